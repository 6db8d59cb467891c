import { runProcess } from '../sys';
import type { Tools } from '../sys';
import { ffmpegInput, ffmpegPreamble } from '../sys';
import { decideCrop, parseCropdetect, type ContentBox, type CropDecision } from '../plan';

/**
 * Automatic crop, the decoding part: cropdetect on short windows spread over the film. Each
 * window reports every frame's own content box (reset=1: no running union inside ffmpeg, skip=0);
 * decideCrop (plan/crop.ts) drops the blank frames of fades and slugs and takes the largest box.
 */

/** Every frame's own box (reset=1), from the first frame (skip=0), even bounds. Written once for both passes. */
export const CROPDETECT_FILTER = 'cropdetect=round=2:reset=1:skip=0';

/** How many windows, and how many frames each decodes. */
export const CROP_WINDOWS = 20;
export const CROP_WINDOW_FRAMES = 6;

/**
 * Start times of the windows: evenly over the film, away from its first and last 2 % (logos,
 * credits) when it is long enough to matter. Pure.
 */
export function cropWindowStarts(startSeconds: number, durationSeconds: number, windows = CROP_WINDOWS): number[] {
  const margin = durationSeconds > 60 ? durationSeconds * 0.02 : 0;
  const span = Math.max(0, durationSeconds - 2 * margin);
  // A window every 2 s at most: a short clip needs few, and each window is one ffmpeg start.
  const count = Math.max(1, Math.min(windows, Math.floor(durationSeconds / 2)));
  return Array.from({ length: count }, (_, i) => startSeconds + margin + (span * (i + 0.5)) / count);
}

/**
 * One window's arguments (pure): seek (input side), decode a few frames, log their boxes. The seek
 * stays accurate (it decodes from the GOP's keyframe up to atSeconds), so windows stay spread over a
 * long-GOP source instead of collapsing onto its few keyframes: up to a GOP of decoding per window,
 * 20 GOPs a film whatever its length (docs/notes/scenes.md). -noaccurate_seek was measured cheaper
 * on a 30 s clip with 10 s GOPs, but its 15 windows fell on 3 keyframes.
 */
export function cropWindowArgs(input: string, videoIndex: number, atSeconds: number, frames = CROP_WINDOW_FRAMES): string[] {
  return [
    ...ffmpegPreamble({ loglevel: 'info' }),
    '-seek_timestamp',
    '1',
    '-ss',
    atSeconds.toFixed(6),
    ...ffmpegInput(input),
    '-map',
    `0:${videoIndex}`,
    '-an',
    '-sn',
    '-dn',
    '-vf',
    CROPDETECT_FILTER,
    '-frames:v',
    String(frames),
    '-f',
    'null',
    '-',
  ];
}

/**
 * The frames the crop is decided from when every frame is decoded anyway (the scene pass): the
 * first `frames` frames at or after each window start, the frames the window's seek would have
 * decoded, as [first, last] presentation times. Pure.
 */
export function cropSampleRanges(pts: readonly number[], starts: readonly number[], frames = CROP_WINDOW_FRAMES): [number, number][] {
  const ranges: [number, number][] = [];
  let from = 0;
  for (const at of starts) {
    while (from < pts.length && pts[from]! < at - 1e-6) from++;
    if (from >= pts.length) break;
    const last = Math.min(pts.length - 1, from + frames - 1);
    const previous = ranges.at(-1);
    if (previous && pts[from]! <= previous[1]) previous[1] = Math.max(previous[1], pts[last]!);
    else ranges.push([pts[from]!, pts[last]!]);
  }
  return ranges;
}

/**
 * A select expression that passes the frames of those ranges (by timestamp, on the -copyts clock),
 * with half a frame of slack either side for a container's rounded clock. Pure.
 */
export function cropSampleSelect(ranges: readonly [number, number][], frameSeconds: number): string {
  const slack = Math.max(1e-4, frameSeconds / 2);
  if (!ranges.length) return '0';
  return ranges.map(([a, b]) => `between(t\\,${(a - slack).toFixed(6)}\\,${(b + slack).toFixed(6)})`).join('+');
}

export interface CropDetection extends CropDecision {
  seconds: number;
}

/** Runs the windows one after another (each is a fraction of a second) and decides the crop. */
export async function detectCrop(
  tools: Tools,
  input: string,
  video: { index: number; width: number; height: number },
  startSeconds: number,
  durationSeconds: number,
  signal?: AbortSignal,
  onProgress?: (share: number) => void,
): Promise<CropDetection> {
  const started = performance.now();
  const boxes: ContentBox[] = [];
  const starts = cropWindowStarts(startSeconds, durationSeconds);
  for (const [i, at] of starts.entries()) {
    onProgress?.(i / starts.length);
    const lines: string[] = [];
    await runProcess(tools.ffmpeg, cropWindowArgs(input, video.index, at), {
      signal,
      stdout: 'ignore',
      onStderrLine: (line) => lines.push(line),
    });
    boxes.push(...parseCropdetect(lines.join('\n')));
  }
  onProgress?.(1);
  return { ...decideCrop(video.width, video.height, boxes), seconds: (performance.now() - started) / 1000 };
}
