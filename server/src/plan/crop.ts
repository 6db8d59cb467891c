/**
 * Automatic crop, the pure part: cropdetect's findings over windows spread across the film → one
 * crop for the whole file. Pure (no I/O); the windows are decoded elsewhere.
 *
 * One crop for every segment, the largest content area any window needs, so no picture is ever
 * cut: a dark scene that makes one window look letterboxed cannot shrink the others. Frames that
 * cropdetect finds all black (fades, black slugs) say nothing about the bars and are skipped.
 */
export interface CropRect {
  width: number;
  height: number;
  x: number;
  y: number;
}

/** One frame's content box as cropdetect saw it: inclusive pixel bounds. */
export interface ContentBox {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
}

/** Below this share of the width or height, bars are not worth a crop (and may be noise). */
export const MIN_BAR_SHARE = 0.01;

const CROPDETECT_LINE = /x1:(-?\d+)\s+x2:(-?\d+)\s+y1:(-?\d+)\s+y2:(-?\d+)/;

/** The content boxes of cropdetect's log lines (ffmpeg's stderr at info level). */
export function parseCropdetect(stderr: string): ContentBox[] {
  const boxes: ContentBox[] = [];
  for (const line of stderr.split('\n')) {
    if (!line.includes('cropdetect')) continue;
    const match = CROPDETECT_LINE.exec(line);
    if (!match) continue;
    const [x1, x2, y1, y2] = match.slice(1, 5).map(Number) as [number, number, number, number];
    boxes.push({ x1, x2, y1, y2 });
  }
  return boxes;
}

/** A frame cropdetect could not find content in: it reports an empty or inverted box. */
function isBlank(box: ContentBox, width: number, height: number): boolean {
  return box.x2 < box.x1 || box.y2 < box.y1 || box.x1 >= width || box.y1 >= height || box.x2 < 0 || box.y2 < 0;
}

export interface CropDecision {
  /** Undefined when the picture is kept whole. */
  crop?: CropRect;
  /** Bars found (pixels) on each side, for the log line; zero when none. */
  bars: { top: number; bottom: number; left: number; right: number };
  /** Frames looked at, and how many of them were blank (skipped). */
  framesSeen: number;
  framesBlank: number;
}

/**
 * The crop for a `width`x`height` picture from the content boxes of every window's frames.
 * Rounded outwards to even numbers (4:2:0 chroma), applied only when some side's bars reach
 * MIN_BAR_SHARE of that dimension.
 */
export function decideCrop(width: number, height: number, boxes: ContentBox[]): CropDecision {
  const content = boxes.filter((box) => !isBlank(box, width, height));
  const none: CropDecision = {
    bars: { top: 0, bottom: 0, left: 0, right: 0 },
    framesSeen: boxes.length,
    framesBlank: boxes.length - content.length,
  };
  if (!content.length) return none;
  let x1 = Math.max(0, Math.min(...content.map((b) => b.x1)));
  let y1 = Math.max(0, Math.min(...content.map((b) => b.y1)));
  let x2 = Math.min(width - 1, Math.max(...content.map((b) => b.x2)));
  let y2 = Math.min(height - 1, Math.max(...content.map((b) => b.y2)));
  // Outwards to even bounds: the first kept pixel even, the kept width and height even.
  x1 -= x1 % 2;
  y1 -= y1 % 2;
  if ((x2 - x1 + 1) % 2) x2 = Math.min(width - 1, x2 + 1);
  if ((y2 - y1 + 1) % 2) y2 = Math.min(height - 1, y2 + 1);
  const bars = { top: y1, bottom: height - 1 - y2, left: x1, right: width - 1 - x2 };
  const worthIt = bars.top + bars.bottom >= MIN_BAR_SHARE * height || bars.left + bars.right >= MIN_BAR_SHARE * width;
  if (!worthIt) return { ...none, bars };
  return { ...none, bars, crop: { width: x2 - x1 + 1, height: y2 - y1 + 1, x: x1, y: y1 } };
}

/** `--crop W:H:X:Y` → a rectangle inside the picture, even-sized for 4:2:0; undefined if it is not one. */
export function parseCropOption(text: string, width: number, height: number): CropRect | undefined {
  const match = /^(\d+):(\d+):(\d+):(\d+)$/.exec(text);
  if (!match) return undefined;
  const [w, h, x, y] = match.slice(1, 5).map(Number) as [number, number, number, number];
  if (w <= 0 || h <= 0 || x + w > width || y + h > height) return undefined;
  return { width: w, height: h, x, y };
}

/** The log's words for a crop: "cropped 1920x1080 → 1920x800 (black bars: 140 px top and bottom)". */
export function describeCrop(width: number, height: number, decision: CropDecision): string {
  if (!decision.crop) return `not cropped (${width}x${height}: no black bars of ${MIN_BAR_SHARE * 100} % or more)`;
  const { top, bottom, left, right } = decision.bars;
  const sides: string[] = [];
  if (top || bottom) sides.push(top === bottom ? `${top} px top and bottom` : `${top} px top, ${bottom} px bottom`);
  if (left || right) sides.push(left === right ? `${left} px left and right` : `${left} px left, ${right} px right`);
  return `cropped ${width}x${height} → ${decision.crop.width}x${decision.crop.height} (black bars: ${sides.join('; ')})`;
}
