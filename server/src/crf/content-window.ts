import type { PlannedSegment } from '../plan';
import { segmentFilter, svtav1EncoderArgs, type VideoEncodeSettings } from '../encode';
import { ffmpegFileUrl, ffmpegPreamble, inputRestrictions } from '../sys';
import { LOSSLESS_CODEC } from './samples';
import { logDistortion } from './search';

/**
 * A segment's content fingerprint (issue 22, item 3): a tiny encode of a short window from the
 * middle of the segment, cut by seeking, at a quarter of the area, at the fastest preset and one
 * fixed CRF, scored by VMAF at that size. Its VMAF (how well this content survives compression)
 * and its bits per pixel (how much there is to compress) tell kinds of content apart where the
 * source's own bits per pixel do not: on bench/film's first 2 minutes the window scored 97.0–97.3
 * on the establishing runs (16–17 kB), 95.6–96.8 on action (46–54 kB) and 86.2–89.9 on detail
 * (37–63 kB), whose CRFs at T = 93 are 55, 39–40 and 24–25.
 * Pure: the window's place and the ffmpeg arguments; content-feature.ts runs and caches them.
 */

/** Seconds of the window (cut from the middle of the segment). */
export const WINDOW_SECONDS = 2;
/** Fastest SVT-AV1 preset (SVT-AV1 1.4 runs 12 at 360p and below). */
export const WINDOW_PRESET = 13;
/** The one CRF every window is encoded at: near the middle of the useful range, so VMAF moves with content. */
export const WINDOW_CRF = 35;
/** Each side scaled by this (a quarter of the area)... */
export const WINDOW_SCALE = 0.5;
/** ...when the shorter side stays at least 64 after it (SVT-AV1's smallest picture; the 1-pixel even crop included). */
export const WINDOW_SCALE_FROM = 130;

export interface ContentWindowPlan {
  /** Source clock (the segment copy keeps it): the window's frames have timestamps in [start, end). */
  startSeconds: number;
  endSeconds: number;
  frames: number;
  /** Input seek into the segment copy (relative to its start), at or before the window's first frame. */
  seekOffset: number;
  /** Scaled by WINDOW_SCALE (a picture too small is kept as it is). */
  scaled: boolean;
  width: number;
  height: number;
}

const even = (n: number) => Math.max(16, 2 * Math.round(n / 2));

/** Each side scaled by WINDOW_SCALE, rounded to even (4:2:0), from the picture the filter gives (after crop and turn). */
function scaleFilter(): string {
  const half = 1 / WINDOW_SCALE;
  return `scale=trunc(iw/${2 * half})*2:trunc(ih/${2 * half})*2`;
}

/** The window in the middle of the segment (the whole segment when it is shorter than the window). */
export function planContentWindow(input: {
  segment: Pick<PlannedSegment, 'keepFromSeconds' | 'keepToSeconds' | 'seekSeconds' | 'frames'>;
  frameRate: number;
  /** The picture the encode sees (after any crop); only bits per pixel uses it. */
  width: number;
  height: number;
  seconds?: number;
}): ContentWindowPlan {
  const { segment } = input;
  const rate = input.frameRate > 0 ? input.frameRate : 25;
  const length = segment.keepToSeconds - segment.keepFromSeconds;
  const seconds = Math.min(input.seconds ?? WINDOW_SECONDS, length);
  const frames = Math.max(1, Math.min(segment.frames, Math.round(seconds * rate)));
  const startSeconds = segment.keepFromSeconds + (length - seconds) / 2;
  const scaled = Math.min(input.width, input.height) >= WINDOW_SCALE_FROM;
  return {
    startSeconds,
    endSeconds: startSeconds + seconds,
    frames,
    // Half a second early: the copy starts at its keyframe, half a frame after seekSeconds; a fast
    // seek lands on the keyframe at or before, and the select below keeps exactly the window.
    seekOffset: Math.max(0, Math.floor((startSeconds - segment.seekSeconds - 0.5) * 1000) / 1000),
    scaled,
    width: scaled ? even(input.width * WINDOW_SCALE) : input.width,
    height: scaled ? even(input.height * WINDOW_SCALE) : input.height,
  };
}

/**
 * One ffmpeg run: seek into the segment copy, keep the window's frames through the segment's own
 * filter (crop, turn, pixel format), scale, and write both the lossless reference and the tiny
 * encode (the decode is shared).
 */
export function contentWindowArgs(
  input: string,
  segment: PlannedSegment,
  plan: ContentWindowPlan,
  settings: Omit<VideoEncodeSettings, 'crf'>,
  reference: string,
  encoded: string,
): string[] {
  const window = { ...segment, keepFromSeconds: plan.startSeconds, keepToSeconds: plan.endSeconds };
  const scale = plan.scaled ? [scaleFilter(), `format=${settings.pixelFormat}`] : [];
  const filter = `[0:v:0]${[segmentFilter(window, settings), ...scale, 'split=2[ref][enc]'].join(',')}`;
  const tiny: VideoEncodeSettings = { ...settings, preset: WINDOW_PRESET, crf: WINDOW_CRF, keyintFrames: Math.max(plan.frames, 1) };
  return [
    ...ffmpegPreamble({ overwrite: true }),
    '-copyts',
    '-ss',
    String(plan.seekOffset),
    ...inputRestrictions(),
    '-i',
    ffmpegFileUrl(input),
    '-filter_complex',
    filter,
    '-map',
    '[ref]',
    '-frames:v',
    String(plan.frames),
    '-fps_mode',
    'passthrough',
    ...LOSSLESS_CODEC,
    '-f',
    'matroska',
    ffmpegFileUrl(reference),
    '-map',
    '[enc]',
    '-frames:v',
    String(plan.frames),
    '-fps_mode',
    'passthrough',
    ...svtav1EncoderArgs(tiny),
    '-f',
    'matroska',
    ffmpegFileUrl(encoded),
  ];
}

/** What the predictor compares: the window's VMAF at WINDOW_CRF and its bits per pixel. */
export interface WindowFeature {
  vmaf: number;
  bitsPerPixel: number;
}

export function windowFeature(input: {
  vmaf: number;
  bytes: number;
  plan: Pick<ContentWindowPlan, 'frames' | 'width' | 'height'>;
}): WindowFeature {
  const { frames, width, height } = input.plan;
  return { vmaf: input.vmaf, bitsPerPixel: (8 * input.bytes) / (frames * width * height) };
}

/** The two coordinates kinds of content are told apart on: u = −ln(100 − VMAF), and ln(bits per pixel). */
export function windowCoordinates(feature: WindowFeature): { u: number; logBits: number } {
  return { u: logDistortion(feature.vmaf), logBits: Math.log(Math.max(feature.bitsPerPixel, 1e-9)) };
}
