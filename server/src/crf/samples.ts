import type { PlannedSegment } from '../plan';
import { segmentFilter, svtav1EncoderArgs, type VideoEncodeSettings } from '../encode';
import { FIRST_VIDEO_ONLY, ffmpegFileUrl, ffmpegInput, ffmpegPreamble } from '../sys';

/**
 * Where a segment's VMAF samples are, and the ffmpeg arguments that cut and encode them.
 *
 * The plan is pure. Samples are cut frame-exactly by decoding and selecting frames by number
 * (a stream copy would snap to keyframes and drift), into one lossless file per segment: the
 * reference VMAF is measured against, and the input every probe encodes. Frame positions are
 * relative to the segment's first frame.
 */

export interface SampleRange {
  startFrame: number;
  frames: number;
}

export interface SamplePlan {
  /** The samples would cover most of the segment: encode (and measure) the whole segment instead. */
  fullPass: boolean;
  ranges: SampleRange[];
  /** Frames in all samples together. */
  frames: number;
}

export interface SamplePlanInput {
  segmentFrames: number;
  frameRate: number;
  samples: number;
  sampleSeconds: number;
  /** Share of the segment at and above which a full pass replaces the samples (ab-av1: 0.85). */
  fullPassShare?: number;
}

export const FULL_PASS_SHARE = 0.85;

export function planSamples(input: SamplePlanInput): SamplePlan {
  const { segmentFrames, samples } = input;
  if (!(segmentFrames >= 1)) throw new RangeError('a segment has at least one frame');
  if (!(samples >= 1)) throw new RangeError('at least one sample');
  const rate = input.frameRate > 0 ? input.frameRate : 25;
  const sampleFrames = Math.max(1, Math.round(input.sampleSeconds * rate));
  const share = input.fullPassShare ?? FULL_PASS_SHARE;
  if (samples * sampleFrames >= share * segmentFrames) {
    return { fullPass: true, ranges: [{ startFrame: 0, frames: segmentFrames }], frames: segmentFrames };
  }
  // Equal gaps before, between and after the samples (ab-av1's spread).
  const gap = (segmentFrames - samples * sampleFrames) / (samples + 1);
  const ranges: SampleRange[] = [];
  for (let i = 0; i < samples; i++) {
    ranges.push({ startFrame: Math.floor(gap * (i + 1) + sampleFrames * i), frames: sampleFrames });
  }
  return { fullPass: false, ranges, frames: samples * sampleFrames };
}

/** The select expression keeping the sample frames (frame numbers within the segment). */
export function sampleSelectExpression(ranges: readonly SampleRange[]): string {
  return ranges.map((r) => `between(n,${r.startFrame},${r.startFrame + r.frames - 1})`).join('+');
}

/**
 * The lossless intermediate every probe and every VMAF measurement decodes again: FFmpeg's
 * HuffYUV variant, intra-only and 10-bit capable. Measured on bench/target-quality's clip
 * (640x360 10-bit, 175 frames of mandelbrot), it encodes in 1.2 CPU s and decodes in 0.7, against
 * FFV1 level 3's 3.0 and 2.6, for files about 2.2x as large (the files live only while their
 * segment is searched and verified).
 */
export const LOSSLESS_CODEC = ['-c:v', 'ffvhuff'] as const;

/**
 * Cut the samples of one segment from its stream copy into one lossless file. The segment's
 * own filter (keep its frames by source timestamp, crop, pixel format) runs first, exactly as in
 * the final encode, so a full-pass reference holds the very frames the segment encode sees; the
 * second select keeps the sample frames and the clock is rewritten to run without gaps.
 */
export function sampleCutArgs(
  input: string,
  segment: PlannedSegment,
  plan: SamplePlan,
  settings: Pick<VideoEncodeSettings, 'evenCrop' | 'pixelFormat' | 'crop' | 'turn'>,
  frameRate: number,
  output: string,
): string[] {
  const filters = [segmentFilter(segment, settings)];
  if (!plan.fullPass) {
    const rate = frameRate > 0 ? frameRate : 25;
    filters.push(`select='${sampleSelectExpression(plan.ranges)}'`, `setpts=N/(${rate}*TB)`);
  }
  return [
    ...ffmpegPreamble({ overwrite: true }),
    '-copyts',
    ...ffmpegInput(input),
    ...FIRST_VIDEO_ONLY,
    '-vf',
    filters.join(','),
    '-fps_mode',
    'passthrough',
    ...LOSSLESS_CODEC,
    '-f',
    'matroska',
    ffmpegFileUrl(output),
  ];
}

/** Encode a cut sample file with the job's settings at one CRF (no filter: the cut already converted it). */
export function sampleEncodeArgs(input: string, settings: VideoEncodeSettings, output: string): string[] {
  return [
    ...ffmpegPreamble({ overwrite: true }),
    ...ffmpegInput(input),
    ...FIRST_VIDEO_ONLY,
    '-fps_mode',
    'passthrough',
    ...svtav1EncoderArgs(settings),
    '-f',
    'matroska',
    ffmpegFileUrl(output),
  ];
}
