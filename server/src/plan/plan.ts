import type { FrameTimeline } from '../probe';
import type { CutReason, PlannedCut } from './scene-cuts';
import type { EncodeOptions } from '../../../common/options';

/** Why a segment starts where it does: the reason of the cut before it, `start` for the first, `zone` at a zone boundary. */
export type SegmentReason = CutReason | 'start' | 'zone';
/** A cut the plan takes: a cutter's, or a zone boundary (zones/zone-plan.ts). */
export type PlanCut = Omit<PlannedCut, 'reason'> & { reason: CutReason | 'zone' };

/** The zone a segment lies in (zones/, docs/zones.md): its number in the zones file and the options it overrides. */
export interface SegmentZone {
  index: number;
  overrides: Partial<Pick<EncodeOptions, 'crf' | 'targetVmaf' | 'minCrf' | 'maxCrf' | 'preset' | 'svtParams'>>;
}

/**
 * The segment plan: where the source is cut. Pure (no I/O), unit-tested on literal timelines.
 *
 * Cuts prefer keyframes near each multiple of the segment length; when there is no keyframe
 * within half a segment length of the target, the cut falls on the frame nearest the target
 * (the worker decodes from the GOP's keyframe anyway, so any frame is a valid cut). Every
 * segment carries the timestamps its worker needs to keep exactly its frames, identified by
 * source timestamps rather than by position, so leading pictures of open GOPs and reordered
 * B-frames land in the right segment.
 */
export interface PlannedSegment {
  index: number;
  startFrame: number;
  frames: number;
  /** Always set by planSegments; optional so segments built elsewhere (tests, older manifests) need not name one. */
  reason?: SegmentReason;
  /** Presentation time of the first frame (source clock). */
  startSeconds: number;
  /** Presentation time of the next segment's first frame, or the end of the last frame. */
  endSeconds: number;
  /**
   * Where the stream copy starts: half a frame before the keyframe that opens this segment's GOP
   * (the last keyframe displayed at or before its first frame), so rounding of the printed
   * timestamp can never skip that keyframe; the copy's first packet is that keyframe.
   */
  seekSeconds: number;
  /** Where the stream copy may stop (decode order), past the leading pictures of the next GOP; undefined: to the end. */
  copyEndSeconds?: number;
  /** Frames with a timestamp in [keepFromSeconds, keepToSeconds) belong to this segment (midpoints between frames). */
  keepFromSeconds: number;
  keepToSeconds: number;
  /** Set when a zones file gave this segment's range overrides; no segment spans two zones. */
  zone?: SegmentZone;
}

export interface SegmentPlan {
  segments: PlannedSegment[];
  frames: number;
  /** Source clock time of the first frame. */
  startSeconds: number;
  /** End of the last frame (source clock). */
  endSeconds: number;
  durationSeconds: number;
}

export interface PlanOptions {
  segmentSeconds: number;
  /**
   * Where to cut (first frames of every segment after the first, increasing), from a scene-aware
   * or fixed split (scene-cuts.ts). Absent: cuts at keyframes near each segment length (chooseCuts).
   */
  cuts?: PlanCut[];
  /** Extra time copied past a segment's end so the next GOP's leading pictures are included (seconds). */
  copyMarginSeconds?: number;
}

/** Index of the last element of a sorted list that is <= value (or -1). */
function lastAtOrBefore(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** First frames of each segment after the first (frame indices, increasing). */
export function chooseCuts(timeline: FrameTimeline, segmentSeconds: number): number[] {
  const { pts, keyframes } = timeline;
  if (pts.length < 2) return [];
  const end = pts[pts.length - 1]! + timeline.lastFrameSeconds;
  const cuts: number[] = [];
  let start = 0;
  for (;;) {
    const startTime = pts[start]!;
    const target = startTime + segmentSeconds;
    // A last segment shorter than half the length is merged into this one.
    if (end - target < segmentSeconds / 2) break;
    let best = -1;
    let bestDistance = Infinity;
    for (const k of keyframes) {
      if (k <= start) continue;
      const t = pts[k]!;
      if (t > target + segmentSeconds / 2) break;
      const distance = Math.abs(t - target);
      if (t >= startTime + segmentSeconds / 2 && distance < bestDistance) {
        best = k;
        bestDistance = distance;
      }
    }
    if (best < 0) {
      const at = lastAtOrBefore(pts, target);
      const next = Math.min(at + 1, pts.length - 1);
      best = Math.abs(pts[next]! - target) < Math.abs(pts[at]! - target) ? next : at;
      if (best <= start) best = start + 1;
    }
    if (best >= pts.length) break;
    cuts.push(best);
    start = best;
  }
  return cuts;
}

/** `--split keyframe`: chooseCuts, each cut named for what it fell on. */
export function keyframeCuts(timeline: FrameTimeline, segmentSeconds: number): PlannedCut[] {
  const keys = new Set(timeline.keyframes);
  return chooseCuts(timeline, segmentSeconds).map((frame) => ({ frame, reason: keys.has(frame) ? 'keyframe' : 'fixed' }));
}

/**
 * Where a copy that must start at the keyframe `keyIndex` (display order) starts: half way to the
 * frame displayed before it. ffmpeg's stream copy begins at the first keyframe at or after -ss,
 * so the midpoint is as good as the keyframe's own time and immune to its rounding.
 *
 * Decoding from the segment's own GOP keyframe is enough even for open GOPs: the pictures that
 * need the GOP before (HEVC RASL, H.264 open-GOP B-frames) are that keyframe's leading pictures,
 * displayed before it, so they belong to the previous segment, whose copy runs past this
 * keyframe. Every picture displayed at or after a CRA/recovery point decodes from it.
 */
export function copyStartSeconds(timeline: FrameTimeline, keyIndex: number): number {
  const { pts } = timeline;
  const key = pts[keyIndex]!;
  return keyIndex > 0 ? (pts[keyIndex - 1]! + key) / 2 : key;
}

export function planSegments(timeline: FrameTimeline, options: PlanOptions): SegmentPlan {
  const { pts, keyframes } = timeline;
  if (!pts.length) throw new Error('the video stream has no frames');
  const interval = pts.length > 1 ? (pts[pts.length - 1]! - pts[0]!) / (pts.length - 1) : timeline.lastFrameSeconds;
  const margin = options.copyMarginSeconds ?? Math.max(1, 32 * interval);
  const cuts = options.cuts ?? keyframeCuts(timeline, options.segmentSeconds);
  const starts = [0, ...cuts.map((cut) => cut.frame)];
  for (let i = 1; i < starts.length; i++) {
    if (!(starts[i]! > starts[i - 1]!) || starts[i]! >= pts.length)
      throw new Error(`planSegments: cut at frame ${starts[i]} is not after ${starts[i - 1]} within ${pts.length} frames`);
  }
  const end = pts[pts.length - 1]! + timeline.lastFrameSeconds;
  const keyTimes = keyframes.map((k) => pts[k]!);
  const segments = starts.map((startFrame, index): PlannedSegment => {
    const nextStart = starts[index + 1];
    const frames = (nextStart ?? pts.length) - startFrame;
    const startSeconds = pts[startFrame]!;
    const endSeconds = nextStart !== undefined ? pts[nextStart]! : end;
    const seekSeconds =
      index === 0 ? pts[0]! : copyStartSeconds(timeline, keyframes[Math.max(0, lastAtOrBefore(keyTimes, startSeconds))] ?? 0);
    const lastFrame = startFrame + frames - 1;
    const segment: PlannedSegment = {
      index,
      startFrame,
      frames,
      reason: index === 0 ? 'start' : cuts[index - 1]!.reason,
      startSeconds,
      endSeconds,
      seekSeconds,
      keepFromSeconds: startFrame > 0 ? (pts[startFrame - 1]! + startSeconds) / 2 : startSeconds - Math.max(1, interval),
      keepToSeconds: nextStart !== undefined ? (pts[lastFrame]! + endSeconds) / 2 : end + Math.max(1, interval),
    };
    if (nextStart !== undefined) segment.copyEndSeconds = endSeconds + margin;
    return segment;
  });
  return { segments, frames: pts.length, startSeconds: pts[0]!, endSeconds: end, durationSeconds: end - pts[0]! };
}
