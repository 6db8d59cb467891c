import { ASSUMED_U_PER_CRF, logDistortion, type Observation } from './search';
import { VMAF_SCALE, type MetricScale } from './metric-scale';

/**
 * The final encode is the probe (issue 22, item 2): the whole segment is encoded at the final
 * preset at a predicted CRF and scored; the score either accepts that encode (it is the output
 * and its verification at once) or asks for one re-encode, from the measured point along the
 * job's learned slope of u = −ln(100 − VMAF) against CRF (the scale search.ts interpolates on).
 * Pure: the driver encodes and measures what these decisions ask for.
 */

/** The band a verified segment should land in: [T − VERIFY_MARGIN, T + BAND_ABOVE]. */
export const BAND_ABOVE = 2;
/** Stride far from the bound: within 0.39 of every frame on bench/vmaf-sampling (design.md). */
export const COARSE_STRIDE = 7;
/** Within this of T − VERIFY_MARGIN, a coarse score is redone at the configured stride (the same encode: cheap). */
export const NEAR_BOUND = 1;
/** A re-encode aims this far above T, so a slope error of a few tenths does not cost a third encode. */
export const REENCODE_AIM = 0.5;
/** Whole-segment encodes at the final preset before the decision falls back to a search. */
export const MAX_FINAL_ENCODES = 2;
/**
 * What the final-encode path allows (final-encode.ts): a third encode, aimed along the secant of
 * the first two, costs one encode where the search it replaces cost 3–7 SVT-AV1 runs on bench/film.
 */
export const FINAL_PATH_ENCODES = 3;

export { ASSUMED_U_PER_CRF, logDistortion };

/** The first scoring's stride: COARSE_STRIDE, or the configured one when that is coarser still. */
export function firstStride(configured: number): number {
  return Math.max(configured, COARSE_STRIDE);
}

/**
 * The stride to score the same encode again at, or undefined: a coarse score within NEAR_BOUND of
 * T − VERIFY_MARGIN is redone at the configured stride (3 by default), so that every accepted
 * figure near the bound is as exact as the verification always was.
 */
export function denserStride(input: {
  vmaf: number;
  target: number;
  stride: number;
  configured: number;
  scale?: MetricScale;
}): number | undefined {
  if (input.stride <= input.configured) return undefined;
  const scale = input.scale ?? VMAF_SCALE;
  return input.vmaf < input.target - scale.below + NEAR_BOUND * scale.unit ? input.configured : undefined;
}

/** u per CRF of one segment's observations (least squares; undefined without two CRFs or with a rising curve). */
export function segmentSlope(observations: readonly Observation[], scale: MetricScale = VMAF_SCALE): number | undefined {
  const points = observations.map((o) => ({ x: o.crf, y: scale.u(o.vmaf) }));
  if (new Set(points.map((p) => p.x)).size < 2) return undefined;
  const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const my = points.reduce((s, p) => s + p.y, 0) / points.length;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const slope = -points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
  return slope > 0 ? slope : undefined;
}

/** The job's slope: the median of its most recent segment slopes (drift), or the assumed one. */
export function learnedSlope(slopes: readonly number[], recent = 8, assumed = ASSUMED_U_PER_CRF): number {
  const last = slopes.slice(-recent).filter((s) => s > 0);
  if (!last.length) return assumed;
  const sorted = [...last].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface ReencodeInput {
  from: Observation;
  /** u per CRF (learnedSlope). */
  slope: number;
  target: number;
  minCrf: number;
  maxCrf: number;
  /** CRF grid step (1 for SVT-AV1 1.4). */
  step: number;
  /** The target metric's scale and band (VMAF's when absent). */
  scale?: MetricScale;
}

/**
 * The CRF of the one re-encode: where the line through the measured point with the learned slope
 * reaches T + REENCODE_AIM, rounded down to the grid (towards quality), at least one step away
 * from the measured CRF in the right direction, inside the range.
 */
export function reencodeCrf(input: ReencodeInput): number {
  const { from, slope, step } = input;
  const scale = input.scale ?? VMAF_SCALE;
  const aim = input.target + REENCODE_AIM * scale.unit;
  const raw = from.crf + (scale.u(from.vmaf) - scale.u(aim)) / slope;
  let crf = Math.floor(raw / step + 1e-9) * step;
  if (from.vmaf < input.target - scale.below) crf = Math.min(crf, from.crf - step);
  else crf = Math.max(crf, from.crf + step);
  return Number(Math.min(input.maxCrf, Math.max(input.minCrf, crf)).toFixed(6));
}

export type FinalVerdict =
  /** Keep this encode: it is the segment's output and its verification. */
  | { kind: 'accept'; crf: number; vmaf: number; why: string }
  /** Encode the whole segment again at this CRF. */
  | { kind: 'reencode'; crf: number; why: string }
  /** Nothing measured passes: search the segment (the old path; a flat curve ends there as unreachable). */
  | { kind: 'search'; why: string };

export interface JudgeInput {
  target: number;
  minCrf: number;
  maxCrf: number;
  step: number;
  /** This segment's whole-segment encodes at the final preset, in the order they were made. */
  encodes: readonly Observation[];
  slope: number;
  maxEncodes?: number;
  /** The target metric's scale and band (VMAF's when absent). */
  scale?: MetricScale;
}

const below = (input: JudgeInput) => (input.scale ?? VMAF_SCALE).below;
const above = (input: JudgeInput) => (input.scale ?? VMAF_SCALE).above;

const inBand = (o: Observation, input: JudgeInput) =>
  o.vmaf >= input.target - below(input) && (o.vmaf <= input.target + above(input) || o.crf >= input.maxCrf);

/**
 * Accept, re-encode once, or fall back. After the last allowed encode, the highest passing CRF in
 * the band is accepted; when nothing passed (never accepted under the margin) or everything passed
 * above the band, the segment is searched as before.
 */
export function judgeFinalEncode(input: JudgeInput): FinalVerdict {
  const last = input.encodes[input.encodes.length - 1];
  if (!last) throw new RangeError('judgeFinalEncode needs at least one encode');
  if (inBand(last, input)) return { kind: 'accept', crf: last.crf, vmaf: last.vmaf, why: 'in the band' };
  const passing = input.encodes.filter((o) => o.vmaf >= input.target - below(input)).sort((a, b) => b.crf - a.crf);
  const failing = input.encodes.filter((o) => o.vmaf < input.target - below(input));
  const best = passing[0];
  // A passing CRF whose next step up failed is the answer on this grid.
  if (best && failing.some((f) => f.crf > best.crf && f.crf - best.crf <= input.step + 1e-9)) {
    return { kind: 'accept', crf: best.crf, vmaf: best.vmaf, why: 'the next CRF up misses' };
  }
  if (input.encodes.length < (input.maxEncodes ?? MAX_FINAL_ENCODES)) {
    // From the second encode on, the segment's own slope through its encodes (a secant) is better
    // than the job's: the first re-encode showed how far the learned one was off.
    const own = input.encodes.length >= 2 ? segmentSlope(input.encodes, input.scale) : undefined;
    const crf = reencodeCrf({ ...input, from: last, slope: own ?? input.slope });
    const tried = input.encodes.some((o) => Math.abs(o.crf - crf) < 1e-9);
    if (!tried) return { kind: 'reencode', crf, why: last.vmaf < input.target - below(input) ? 'under the band' : 'above the band' };
  }
  // Passing but above the band with room to go up: the search finds the boundary (the band is a promise too).
  if (best && (best.vmaf <= input.target + above(input) || best.crf >= input.maxCrf)) {
    return { kind: 'accept', crf: best.crf, vmaf: best.vmaf, why: 'highest passing CRF measured' };
  }
  return { kind: 'search', why: best ? 'the encodes passed above the band' : 'no whole-segment encode reached the band' };
}

/**
 * A verified segment's label, the CRF at which it would score T: its CRF moved along the slope by
 * what its score is off T, at most 2 CRF (a far score says more about the slope than the label).
 */
export function labelCrf(input: {
  crf: number;
  vmaf: number;
  target: number;
  slope: number;
  minCrf: number;
  maxCrf: number;
  scale?: MetricScale;
}): number {
  const u = (input.scale ?? VMAF_SCALE).u;
  const shift = (u(input.vmaf) - u(input.target)) / input.slope;
  const crf = input.crf + Math.max(-2, Math.min(2, shift));
  return Math.min(input.maxCrf, Math.max(input.minCrf, crf));
}
