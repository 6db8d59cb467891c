/**
 * XPSNR's perceptual weighting, as FFmpeg 7.1's xpsnr filter (libavfilter/vf_xpsnr.c) defines it:
 * the luma picture is cut into square blocks; each block's weight falls with the reference's
 * spatial activity (a 3x3 high-pass) plus its temporal activity (the difference to the previous
 * reference frame); each plane's squared error is summed per block times that block's weight.
 * Pure arithmetic on plane arrays; the sums are integers up to the final doubles, done in the
 * filter's order so the doubles round as they do there.
 */

export type Plane = Uint8Array | Uint16Array;

/** Pictures larger than this (a bit more than HD) use the downsampled 4x4 high-pass. */
const DOWNSAMPLED_ACTIVITY_PIXELS = 2048 * 1152;
/** Min-smoothing of neighbouring block weights happens at or below this size (as in the paper). */
const MIN_SMOOTHING_PIXELS = 640 * 480;
const TEMPORAL_GAMMA = 2;

/** The block size: 4 * round(32 * sqrt(W*H / 3840x2160)); 12 at 320x240, 44 at 1280x720, 64 at 1920x1080. */
export function xpsnrBlockSize(width: number, height: number): number {
  const ratio = (width * height) / (3840 * 2160);
  return Math.max(0, 4 * Math.trunc(32 * Math.sqrt(ratio) + 0.5));
}

/** sqrt(a_pic): scales the weighted SSE back to the picture's average activity. */
export function xpsnrAverageActivity(width: number, height: number, bitDepth: number): number {
  const ratio = (width * height) / (3840 * 2160);
  return Math.sqrt((16 * 2 ** (2 * bitDepth - 9)) / Math.sqrt(Math.max(0.00001, ratio)));
}

/** The reference luma of the previous frames (zero before the first frame, as in the filter). */
export interface TemporalMemory {
  previous: Int16Array;
  beforePrevious: Int16Array;
}

export function newTemporalMemory(width: number, height: number): TemporalMemory {
  return { previous: new Int16Array(width * height), beforePrevious: new Int16Array(width * height) };
}

function squaredError(a: Plane, b: Plane, stride: number, x0: number, y0: number, bw: number, bh: number): number {
  let sse = 0;
  for (let y = y0; y < y0 + bh; y++) {
    let row = 0;
    const start = y * stride + x0;
    for (let i = start; i < start + bw; i++) {
      const d = a[i]! - b[i]!;
      row += d * d;
    }
    sse += row;
  }
  return sse;
}

/** Sum of |3x3 high-pass| over block-local x in [xa, wa), y in [ya, ha). */
function spatialActivity(o: Plane, stride: number, x0: number, y0: number, xa: number, ya: number, wa: number, ha: number): number {
  let sum = 0;
  for (let y = y0 + ya; y < y0 + ha; y++) {
    const r = y * stride;
    for (let x = x0 + xa; x < x0 + wa; x++) {
      const i = r + x;
      const f =
        12 * o[i]! -
        2 * (o[i - 1]! + o[i + 1]! + o[i - stride]! + o[i + stride]!) -
        (o[i - stride - 1]! + o[i - stride + 1]! + o[i + stride - 1]! + o[i + stride + 1]!);
      sum += f < 0 ? -f : f;
    }
  }
  return sum;
}

/** The 4x4-support high-pass on 2x2 cells, for pictures above 2048x1152. */
function spatialActivityDownsampled(o: Plane, s: number, x0: number, y0: number, xa: number, ya: number, wa: number, ha: number): number {
  let sum = 0;
  for (let y = y0 + ya; y < y0 + ha; y += 2) {
    for (let x = x0 + xa; x < x0 + wa; x += 2) {
      const i = y * s + x;
      const f =
        12 * (o[i]! + o[i + 1]! + o[i + s]! + o[i + s + 1]!) -
        3 * (o[i - s]! + o[i - s + 1]! + o[i + 2 * s]! + o[i + 2 * s + 1]!) -
        3 * (o[i - 1]! + o[i + 2]! + o[i + s - 1]! + o[i + s + 2]!) -
        2 * (o[i - s - 1]! + o[i - s + 2]! + o[i + 2 * s - 1]! + o[i + 2 * s + 2]!) -
        (o[i - 2 * s - 1]! +
          o[i - 2 * s]! +
          o[i - 2 * s + 1]! +
          o[i - 2 * s + 2]! +
          o[i + 3 * s - 1]! +
          o[i + 3 * s]! +
          o[i + 3 * s + 1]! +
          o[i + 3 * s + 2]! +
          o[i - s - 2]! +
          o[i - 2]! +
          o[i + s - 2]! +
          o[i + 2 * s - 2]! +
          o[i - s + 3]! +
          o[i + 3]! +
          o[i + s + 3]! +
          o[i + 2 * s + 3]!);
      sum += f < 0 ? -f : f;
    }
  }
  return sum;
}

/**
 * Temporal activity of one block, and the memory moved on by one frame. Under 32 fps the first
 * difference, else the second; above 2048x1152 on 2x2 sums.
 */
function temporalActivity(
  o: Plane,
  m: TemporalMemory,
  s: number,
  x0: number,
  y0: number,
  bw: number,
  bh: number,
  secondOrder: boolean,
  downsampled: boolean,
): number {
  const m1 = m.previous;
  const m2 = m.beforePrevious;
  let sum = 0;
  if (downsampled) {
    for (let y = y0; y < y0 + bh; y += 2) {
      for (let x = x0; x < x0 + bw; x += 2) {
        const i = y * s + x;
        const c0 = o[i]! + o[i + 1]! + o[i + s]! + o[i + s + 1]!;
        const c1 = m1[i]! + m1[i + 1]! + m1[i + s]! + m1[i + s + 1]!;
        let t = c0 - c1;
        if (secondOrder) {
          t = c0 - 2 * c1 + (m2[i]! + m2[i + 1]! + m2[i + s]! + m2[i + s + 1]!);
          m2[i] = m1[i]!;
          m2[i + 1] = m1[i + 1]!;
          m2[i + s] = m1[i + s]!;
          m2[i + s + 1] = m1[i + s + 1]!;
        }
        sum += t < 0 ? -t : t;
        m1[i] = o[i]!;
        m1[i + 1] = o[i + 1]!;
        m1[i + s] = o[i + s]!;
        m1[i + s + 1] = o[i + s + 1]!;
      }
    }
    return sum * TEMPORAL_GAMMA;
  }
  for (let y = y0; y < y0 + bh; y++) {
    const start = y * s + x0;
    for (let i = start; i < start + bw; i++) {
      const t = secondOrder ? o[i]! - 2 * m1[i]! + m2[i]! : o[i]! - m1[i]!;
      sum += t < 0 ? -t : t;
      if (secondOrder) m2[i] = m1[i]!;
      m1[i] = o[i]!;
    }
  }
  return sum * TEMPORAL_GAMMA;
}

export interface LumaBlocks {
  /** Unweighted SSE per block, in raster order. */
  sse: Float64Array;
  /** 1 / sqrt(mean squared activity) per block, after min-smoothing. */
  weights: Float64Array;
  blocksPerRow: number;
}

/**
 * Per luma block: its SSE, and its weight from the reference's activity. Moves `memory` on to
 * this frame. A block too small for the high-pass gets weight 1 and leaves its memory as it was.
 */
/**
 * The same sums as the per-block path, in one pass over the picture's rows (SSE, |high-pass| and
 * |temporal difference| binned per block: integer sums, so the order does not matter). For the
 * common case: up to 2048x1152 and no block narrower than 2 pixels at the right or bottom edge.
 */
function lumaSumsByRow(
  org: Plane,
  rec: Plane,
  width: number,
  height: number,
  b: number,
  wBlk: number,
  secondOrder: boolean,
  memory: TemporalMemory,
  sse: Float64Array,
  spatial: Float64Array,
  temporal: Float64Array,
): void {
  const m1 = memory.previous;
  const m2 = memory.beforePrevious;
  const s = width;
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / b) * wBlk;
    const interiorRow = y > 0 && y < height - 1;
    for (let bx = 0; bx < wBlk; bx++) {
      const x0 = bx * b;
      const x1 = Math.min(x0 + b, width);
      let e = 0;
      let sa = 0;
      let ta = 0;
      if (interiorRow && x0 > 0 && x1 < width && !secondOrder) {
        // The common block (first-order temporal difference, away from the picture's edges): all three sums in one pass.
        // The activity sums as int32 (|0): one block's row (at most 68 pixels here) stays below 2^31 even at 16 bits.
        let left = org[y * s + x0 - 1]!;
        let centre = org[y * s + x0]!;
        let upLeft = org[y * s + x0 - 1 - s]!;
        let up = org[y * s + x0 - s]!;
        let downLeft = org[y * s + x0 - 1 + s]!;
        let down = org[y * s + x0 + s]!;
        for (let i = y * s + x0, end = y * s + x1; i < end; i++) {
          const right = org[i + 1]!;
          const upRight = org[i - s + 1]!;
          const downRight = org[i + s + 1]!;
          const d = centre - rec[i]!;
          e += d * d;
          const t = centre - m1[i]!;
          ta = (ta + (t < 0 ? -t : t)) | 0;
          m1[i] = centre;
          const f = 12 * centre - 2 * (left + right + up + down) - (upLeft + upRight + downLeft + downRight);
          sa = (sa + (f < 0 ? -f : f)) | 0;
          left = centre;
          centre = right;
          upLeft = up;
          up = upRight;
          downLeft = down;
          down = downRight;
        }
        sse[row + bx] = sse[row + bx]! + e;
        spatial[row + bx] = spatial[row + bx]! + sa;
        temporal[row + bx] = temporal[row + bx]! + ta;
        continue;
      }
      for (let i = y * s + x0, end = y * s + x1; i < end; i++) {
        const o = org[i]!;
        const d = o - rec[i]!;
        e += d * d;
        const t = secondOrder ? o - 2 * m1[i]! + m2[i]! : o - m1[i]!;
        ta += t < 0 ? -t : t;
        if (secondOrder) m2[i] = m1[i]!;
        m1[i] = o;
      }
      if (interiorRow) {
        const xa = Math.max(x0, 1);
        const xb = Math.min(x1, width - 1);
        for (let i = y * s + xa, end = y * s + xb; i < end; i++) {
          const f =
            12 * org[i]! -
            2 * (org[i - 1]! + org[i + 1]! + org[i - s]! + org[i + s]!) -
            (org[i - s - 1]! + org[i - s + 1]! + org[i + s - 1]! + org[i + s + 1]!);
          sa += f < 0 ? -f : f;
        }
      }
      sse[row + bx] = sse[row + bx]! + e;
      spatial[row + bx] = spatial[row + bx]! + sa;
      temporal[row + bx] = temporal[row + bx]! + ta;
    }
  }
}

export type LumaRowSums = (org: Plane, rec: Plane, sse: Float64Array, spatial: Float64Array, temporal: Float64Array) => boolean;

export function lumaBlocks(
  org: Plane,
  rec: Plane,
  width: number,
  height: number,
  bitDepth: number,
  frameRate: number,
  memory: TemporalMemory,
  /** The same sums, faster (xpsnr-luma-wasm.ts); returns false to leave them to lumaSumsByRow. */
  rowSums?: LumaRowSums,
): LumaBlocks {
  const b = xpsnrBlockSize(width, height);
  const wBlk = Math.ceil(width / b);
  const hBlk = Math.ceil(height / b);
  const sse = new Float64Array(wBlk * hBlk);
  const weights = new Float64Array(wBlk * hBlk);
  const downsampled = width * height > DOWNSAMPLED_ACTIVITY_PIXELS;
  const bVal = downsampled ? 2 : 1;
  const secondOrder = frameRate >= 32;
  const floor = 2 ** (bitDepth - 6);
  const smoothing = width * height <= MIN_SMOOTHING_PIXELS;
  const byRow = !downsampled && width % b !== 1 && height % b !== 1;
  const spatial = new Float64Array(byRow ? wBlk * hBlk : 0);
  const temporal = new Float64Array(byRow ? wBlk * hBlk : 0);
  if (byRow && !rowSums?.(org, rec, sse, spatial, temporal))
    lumaSumsByRow(org, rec, width, height, b, wBlk, secondOrder, memory, sse, spatial, temporal);
  let idx = 0;
  for (let y = 0; y < height; y += b) {
    const bh = y + b > height ? height - y : b;
    for (let x = 0; x < width; x += b, idx++) {
      const bw = x + b > width ? width - x : b;
      const xa = x > 0 ? 0 : bVal;
      const ya = y > 0 ? 0 : bVal;
      const wa = x + bw < width ? bw : bw - bVal;
      const ha = y + bh < height ? bh : bh - bVal;
      let msAct = 1;
      if (byRow) {
        msAct = spatial[idx]! / ((wa - xa) * (ha - ya));
        msAct += (temporal[idx]! * TEMPORAL_GAMMA) / (bw * bh);
        if (msAct < floor) msAct = floor;
        msAct *= msAct;
      } else {
        sse[idx] = squaredError(org, rec, width, x, y, bw, bh);
        if (wa > xa && ha > ya) {
          let sa = 0;
          // The filter computes the downsampled activity of a block 12 or fewer pixels wide but drops it.
          if (!downsampled) sa = spatialActivity(org, width, x, y, xa, ya, wa, ha);
          else if (wa > 12) sa = spatialActivityDownsampled(org, width, x, y, xa, ya, wa, ha);
          msAct = sa / ((wa - xa) * (ha - ya));
          const ta = temporalActivity(org, memory, width, x, y, bw, bh, secondOrder, downsampled);
          msAct += ta / (bw * bh);
          if (msAct < floor) msAct = floor;
          msAct *= msAct;
        }
      }
      weights[idx] = 1 / Math.sqrt(msAct);
      if (smoothing) smoothWeights(weights, idx, x, y, b, width, height, wBlk);
    }
  }
  return { sse, weights, blocksPerRow: wBlk };
}

/** The filter's in-line "min-smoothing": a block's weight is lowered to the larger of its neighbours' (left, top). */
function smoothWeights(
  weights: Float64Array,
  idx: number,
  x: number,
  y: number,
  b: number,
  width: number,
  height: number,
  wBlk: number,
): void {
  let prev: number;
  if (x === 0) prev = idx > 1 ? weights[idx - 2]! : 0;
  else prev = x > b ? Math.max(weights[idx - 2]!, weights[idx]!) : weights[idx]!;
  if (idx > wBlk) prev = Math.max(prev, weights[idx - 1 - wBlk]!);
  if (idx > 0 && weights[idx - 1]! > prev) weights[idx - 1] = prev;
  if (x + b >= width && y + b >= height && idx > wBlk) {
    prev = Math.max(weights[idx - 1]!, weights[idx - wBlk]!);
    if (weights[idx]! > prev) weights[idx] = prev;
  }
}

/** Weighted SSE of a chroma plane: the luma blocks' weights on blocks scaled to the plane. */
export function chromaWeightedSse(
  org: Plane,
  rec: Plane,
  w: number,
  h: number,
  lumaWidth: number,
  lumaHeight: number,
  b: number,
  weights: Float64Array,
): number {
  const bx = Math.floor((b * w) / lumaWidth);
  const by = Math.floor((b * h) / lumaHeight);
  let sum = 0;
  let idx = 0;
  for (let y = 0; y < h; y += by) {
    const bh = y + by > h ? h - y : by;
    for (let x = 0; x < w; x += bx, idx++) {
      const bw = x + bx > w ? w - x : bx;
      sum += squaredError(org, rec, w, x, y, bw, bh) * weights[idx]!;
    }
  }
  return sum;
}

/** The whole-plane SSE: what the filter uses for pictures too small for blocks of 4. */
export function planeSse(org: Plane, rec: Plane, w: number, h: number): number {
  return squaredError(org, rec, w, 0, 0, w, h);
}
