import { ffmpegInput, ffmpegPreamble, videoStreamOnly } from '../../sys';

/**
 * ffmpeg arguments that decode only the luma plane of a video's first video stream to raw
 * frames on stdout, every decoded frame in order (no frame-rate conversion), so that reference
 * and distorted frames pair up from the first frame whatever their timestamps.
 */

export function lumaPixelFormat(bitDepth: number): string {
  if (bitDepth <= 8) return 'gray';
  if (bitDepth >= 16) return 'gray16le';
  return `gray${bitDepth}le`;
}

/** Bits per sample of an ffmpeg pixel format name (yuv420p → 8, yuv420p10le → 10, p010le → 10). */
export function bitDepthOfPixelFormat(pixFmt: string): number {
  const match = /(\d+)(le|be)$/.exec(pixFmt);
  const depth = match ? Number(match[1]) : 8;
  return depth >= 9 && depth <= 16 ? depth : 8;
}

/** Whether the pixel format already has a luma plane extractplanes can take as is. */
function hasLumaPlane(pixFmt: string): boolean {
  return /^(yuv|yuvj|gray|nv|p0|p2|p4|y2|ya)/.test(pixFmt);
}

/**
 * `through` decodes a derived video instead of the file as it is: input options and a filter
 * chain ahead of the luma extraction (see VmafInputInfo.through).
 */
export function lumaDecodeArgs(
  input: string,
  sourcePixFmt: string,
  outputBitDepth: number,
  through?: { inputOptions: string[]; filter: string },
  /** The stream's index (VmafInput.stream); absent: the first video stream. */
  stream?: number,
): string[] {
  return [...ffmpegPreamble(), ...decoderInput(input, through), ...lumaOutput(lumaFilters(sourcePixFmt, outputBitDepth, through), stream)];
}

/** The descriptor `scoredLumaDecodeArgs` writes its progress report to: the child's fd 3, what runProcess's `fd3` option hands it. */
export const PROGRESS_FD = 3;

/**
 * As lumaDecodeArgs, but the raw output carries only frames 0, N, 2N, … (the frames a stride-N
 * measurement scores: frame-set.ts): the distorted side needs no other frame, and each one it
 * skips is a whole luma plane (4 MB at 1080p 10-bit) not extracted, piped and read. The decode
 * still counts every frame: a first, null output of the same decode reports them as `frame=` in
 * the -progress report written to our descriptor PROGRESS_FD (decoded-count.ts), not to stderr,
 * whose tail is what a failure's message is made of (sys/processes.ts).
 */
export function scoredLumaDecodeArgs(
  input: string,
  sourcePixFmt: string,
  outputBitDepth: number,
  stride: number,
  stream?: number,
): string[] {
  return [
    ...ffmpegPreamble(),
    '-progress',
    `pipe:${PROGRESS_FD}`,
    ...decoderInput(input),
    ...videoStreamOnly(stream),
    '-fps_mode',
    'passthrough',
    '-f',
    'null',
    '-',
    // `n` counts the frames reaching the filter from 0, as the engine counts them.
    ...lumaOutput([`select=not(mod(n\\,${stride}))`, ...lumaFilters(sourcePixFmt, outputBitDepth)], stream),
  ];
}

function decoderInput(input: string, through?: { inputOptions: string[] }): string[] {
  return [
    // One decoding thread: the feature workers and the other input's decoder keep the cores busy
    // anyway, and frame threads cost CPU (640x360 10-bit AV1: 0.58 -> 0.46 CPU s for 175 frames).
    '-threads',
    '1',
    ...(through?.inputOptions ?? []),
    ...ffmpegInput(input),
  ];
}

function lumaFilters(sourcePixFmt: string, outputBitDepth: number, through?: { filter: string }): string[] {
  const filters: string[] = through ? [through.filter] : [];
  if (!hasLumaPlane(sourcePixFmt)) filters.push(outputBitDepth > 8 ? 'format=yuv444p16le' : 'format=yuv444p');
  filters.push('extractplanes=y');
  filters.push(`format=${lumaPixelFormat(outputBitDepth)}`);
  return filters;
}

function lumaOutput(filters: string[], stream?: number): string[] {
  return [...videoStreamOnly(stream), '-vf', filters.join(','), '-fps_mode', 'passthrough', '-f', 'rawvideo', 'pipe:1'];
}
