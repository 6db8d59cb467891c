import { nearestFrame, type FrameTimeline, type SceneScore } from '../probe';

/**
 * Where a scene-aware plan cuts. Pure (no I/O): (frame timestamps, keyframes, scene scores,
 * limits) → cuts, each with the reason it is there.
 *
 * Per-segment target quality may give two segments different CRFs, so a boundary inside a shot
 * shows as a quality "pump" in the middle of it. Cuts therefore go on scene changes first; a scene
 * longer than the maximum is split where a change shows least (a source keyframe close to the
 * ideal point, else the frame with the lowest scene score). Segments are whole runs of scenes,
 * chosen so that their lengths come as close to the target as the scene changes allow.
 */
export type CutReason = 'scene' | 'keyframe' | 'split' | 'fixed';

export interface PlannedCut {
  /** First frame (display order) of the segment this cut opens. */
  frame: number;
  reason: CutReason;
}

export interface SceneCutLimits {
  targetSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  /** A score at or above this is a scene change. */
  threshold: number;
  /** How far from an ideal split point a source keyframe may be and still be preferred. */
  keyframeSlackSeconds?: number;
}

/**
 * Lengths within this of a limit meet it: container clocks round timestamps (Matroska to the
 * millisecond), so 72 frames at 24 fps may span 2.999 s, and must still make three 1 s segments.
 */
const LENGTH_TOLERANCE = 1e-3;

/** How many whole `unit`s fit in `length`, with the tolerance (and the sum's float rounding: 1.999 + 0.001 < 2). */
function wholeUnits(length: number, unit: number): number {
  return Math.floor((length + LENGTH_TOLERANCE) / unit + 1e-9);
}

/**
 * Relative cost of one extra split inside a scene, against a segment one target length off (1):
 * high, so that the plan cuts at scene changes, however far from the target that leaves a segment
 * within the limits, and splits inside a shot only where a scene is longer than the maximum.
 */
const SPLIT_COST = 4;

function endOf(timeline: FrameTimeline): number {
  const { pts } = timeline;
  return pts[pts.length - 1]! + timeline.lastFrameSeconds;
}

/** How many pieces a span of `length` seconds becomes: one up to the maximum, else pieces within [min, max] aiming at the target. */
function piecesFor(length: number, limits: SceneCutLimits): number {
  const atMost = Math.max(1, wholeUnits(length, limits.minSeconds));
  // Within the tolerance too: 2.0004 s at a 1 s maximum is two pieces, not three.
  const atLeast = Math.max(1, Math.ceil((length - LENGTH_TOLERANCE) / limits.maxSeconds - 1e-9));
  // A span within the maximum stays whole: a split inside a shot is the pump this plan avoids.
  if (length <= limits.maxSeconds + LENGTH_TOLERANCE) return 1;
  const aim = Math.max(1, Math.round(length / limits.targetSeconds));
  return Math.min(atMost, Math.max(atLeast, aim));
}

/** Cost of a span between two chosen cuts: how far its pieces are from the target length. */
function spanCost(length: number, limits: SceneCutLimits): number {
  const pieces = piecesFor(length, limits);
  const piece = length / pieces;
  const off = (piece - limits.targetSeconds) / limits.targetSeconds;
  const tooShort = piece < limits.minSeconds - LENGTH_TOLERANCE ? 1e6 : 0;
  return pieces * off * off + (pieces - 1) * SPLIT_COST + tooShort;
}

/**
 * Scene changes strong enough to cut at, keeping the strongest where two fall closer than the
 * minimum segment length (a flash gives two spikes a few frames apart: one cut survives).
 */
export function sceneChanges(timeline: FrameTimeline, scores: SceneScore[], limits: SceneCutLimits): number[] {
  const { pts } = timeline;
  const start = pts[0]!;
  const end = endOf(timeline);
  const strong = scores
    .filter((s) => s.score >= limits.threshold && s.frame > 0 && s.frame < pts.length)
    .sort((a, b) => b.score - a.score || a.frame - b.frame);
  const kept: number[] = [];
  for (const { frame } of strong) {
    const t = pts[frame]!;
    const min = limits.minSeconds - LENGTH_TOLERANCE;
    if (t - start < min || end - t < min) continue;
    if (kept.some((k) => Math.abs(pts[k]! - t) < min)) continue;
    kept.push(frame);
  }
  return kept.sort((a, b) => a - b);
}

/**
 * Splits the scene [from, to) (frame indices) into `pieces`: each split goes to a keyframe within
 * the slack of its ideal time when there is one, else to the quietest frame in a window around it.
 */
function splitScene(
  timeline: FrameTimeline,
  from: number,
  to: number,
  pieces: number,
  scoreOf: Map<number, number>,
  limits: SceneCutLimits,
): PlannedCut[] {
  const { pts, keyframes } = timeline;
  const startT = pts[from]!;
  const endT = to < pts.length ? pts[to]! : endOf(timeline);
  const piece = (endT - startT) / pieces;
  const slack = limits.keyframeSlackSeconds ?? Math.min(1, piece / 4);
  const cuts: PlannedCut[] = [];
  let previous = startT;
  for (let k = 1; k < pieces; k++) {
    const ideal = startT + k * piece;
    // A window that keeps both neighbours at least the minimum length.
    const lowT = Math.max(ideal - piece / 4, previous + limits.minSeconds - LENGTH_TOLERANCE);
    const highT = Math.min(ideal + piece / 4, endT - (pieces - k) * limits.minSeconds + LENGTH_TOLERANCE);
    let best: PlannedCut | undefined;
    let bestDistance = Infinity;
    for (const key of keyframes) {
      const t = pts[key]!;
      if (key <= from || key >= to || t < lowT || t > highT) continue;
      const distance = Math.abs(t - ideal);
      if (distance <= slack && distance < bestDistance) {
        best = { frame: key, reason: 'keyframe' };
        bestDistance = distance;
      }
    }
    if (!best) {
      const low = Math.max(from + 1, nearestFrame(pts, lowT));
      const high = Math.min(to - 1, nearestFrame(pts, highT));
      let bestScore = Infinity;
      for (let f = low; f <= high; f++) {
        const score = scoreOf.get(f) ?? 0;
        const distance = Math.abs(pts[f]! - ideal);
        if (score < bestScore - 1e-9 || (Math.abs(score - bestScore) <= 1e-9 && distance < bestDistance)) {
          best = { frame: f, reason: 'split' };
          bestScore = score;
          bestDistance = distance;
        }
      }
    }
    if (!best) continue;
    cuts.push(best);
    previous = pts[best.frame]!;
  }
  return cuts;
}

/**
 * The scene-aware cuts (the first segment's start, frame 0, is implied). Chooses, by dynamic
 * programming over the scene changes, the subset whose segments come nearest the target length,
 * then splits every segment longer than the maximum at its quietest points.
 */
export function chooseSceneCuts(timeline: FrameTimeline, scores: SceneScore[], limits: SceneCutLimits): PlannedCut[] {
  const { pts } = timeline;
  if (pts.length < 2) return [];
  const changes = sceneChanges(timeline, scores, limits);
  const points = [0, ...changes, pts.length];
  const timeOf = (i: number) => (points[i]! < pts.length ? pts[points[i]!]! : endOf(timeline));
  // best[j]: least cost of cutting [0, points[j]) with a cut at points[j]; from[j]: the cut before.
  const best = new Float64Array(points.length).fill(Infinity);
  const from = new Int32Array(points.length).fill(-1);
  best[0] = 0;
  for (let j = 1; j < points.length; j++) {
    for (let i = j - 1; i >= 0; i--) {
      const cost = best[i]! + spanCost(timeOf(j) - timeOf(i), limits);
      if (cost < best[j]!) {
        best[j] = cost;
        from[j] = i;
      }
    }
  }
  const chosen: number[] = [];
  for (let j = points.length - 1; j > 0; j = from[j]!) chosen.push(j);
  chosen.reverse();

  const scoreOf = new Map(scores.map((s) => [s.frame, s.score]));
  const cuts: PlannedCut[] = [];
  let previous = 0;
  for (const j of chosen) {
    const length = timeOf(j) - timeOf(previous);
    const pieces = piecesFor(length, limits);
    if (pieces > 1) cuts.push(...splitScene(timeline, points[previous]!, points[j]!, pieces, scoreOf, limits));
    if (points[j]! < pts.length) cuts.push({ frame: points[j]!, reason: 'scene' });
    previous = j;
  }
  return cuts;
}

/** `--split fixed`: a cut every `segmentSeconds` at the nearest frame, keyframe or not. */
export function chooseFixedCuts(timeline: FrameTimeline, segmentSeconds: number): PlannedCut[] {
  const { pts } = timeline;
  if (pts.length < 2) return [];
  const end = endOf(timeline);
  const cuts: PlannedCut[] = [];
  for (let t = pts[0]! + segmentSeconds; end - t >= segmentSeconds / 2; t += segmentSeconds) {
    const frame = nearestFrame(pts, t);
    if (frame > (cuts.at(-1)?.frame ?? 0)) cuts.push({ frame, reason: 'fixed' });
  }
  return cuts;
}
