/**
 * The CRF search, as a pure function over what has been measured so far. Given the observations
 * (CRF → VMAF), it answers either "measure this CRF next" or "done: use this CRF". No I/O, so it
 * is unit-tested against brute force on synthetic curves.
 *
 * The goal is the highest CRF whose VMAF is at least the target. The strategy mixes the anchors:
 * - start from a warm start (CRFs found for neighbouring segments) or, without one, bisect twice
 *   the way Av1an does;
 * - once the target is bracketed, interpolate: linearly in VMAF between the bracketing
 *   observations (ab-av1), or with a monotone cubic (PCHIP) through all observations when there
 *   are at least three and they are monotone (Av1an's later probes);
 * - clamp every prediction one step inside the bracket, so each probe narrows it;
 * - work on the encoder's CRF grid (integers for SVT-AV1 1.4) and stop when the next CRF was
 *   already tried, when the bracket is adjacent, or when a passing CRF is within the tolerance.
 */

import { VMAF_SCALE, type MetricScale } from './metric-scale';

export interface Observation {
  crf: number;
  vmaf: number;
  bytes?: number;
}

export interface SearchConfig {
  target: number;
  minCrf: number;
  maxCrf: number;
  /** CRF granularity: 1 for encoders that take integer CRFs only, e.g. 0.25 otherwise. */
  step: number;
  /** CRFs chosen for nearby segments, nearest first (empty or undefined: no warm start). */
  warmStart?: readonly number[];
  /** A passing CRF whose VMAF is below target + tolerance is accepted at once (0: search to the exact boundary). */
  tolerance?: number;
  /** Upper bound on probes; the best passing CRF so far is returned when reached. */
  maxProbes?: number;
  /** The target metric's scale (metric-scale.ts); VMAF's when absent. The tolerance is then in VMAF points × scale.unit. */
  scale?: MetricScale;
}

export type StopReason =
  /** A passing CRF within the tolerance, or the CRF just above it fails. */
  | 'found'
  /** Even the highest CRF allowed reaches the target. */
  | 'above-target-at-max-crf'
  /** Even the lowest CRF allowed misses the target. */
  | 'target-unreachable'
  /** The next CRF to try was already tried (noisy measurements). */
  | 'already-tried'
  | 'probe-limit';

export type SearchStep =
  | { done: false; crf: number; method: 'warm-start' | 'bisect' | 'step' | 'linear' | 'pchip' }
  | { done: true; crf: number; vmaf: number; reason: StopReason; reached: boolean };

export const DEFAULT_TOLERANCE = 0.5;
export const DEFAULT_MAX_PROBES = 10;
/**
 * The search works on the distortion's logarithm, u = −ln(100 − VMAF), not on VMAF itself: what a
 * CRF step costs grows with the CRF (100 − VMAF ≈ d·e^(CRF/s)), so VMAF is far from linear across
 * a wide bracket and a chord through a distant failing probe keeps predicting too low a CRF, one
 * small step at a time (a 1080p mandelbrot segment took 55, 20, 25, 28, 30, 31, 32). In u the
 * curve is close to a line: the bench's measured segments give s = 12–19 between CRF 20 and 55.
 */
const FLOOR_DISTORTION = 0.05;
export function logDistortion(vmaf: number): number {
  return -Math.log(Math.max(100 - vmaf, FLOOR_DISTORTION));
}
/** u lost per CRF before two observations give a real slope: 1/s with s = 14, mid-range of the measured ones. */
export const ASSUMED_U_PER_CRF = 1 / 14;

function toGrid(crf: number, step: number): number {
  return Math.round(crf / step);
}

function fromGrid(q: number, step: number): number {
  return Number((q * step).toFixed(6));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Fritsch–Carlson monotone cubic through (xs, ys), xs strictly increasing; evaluated at x. */
export function pchip(xs: readonly number[], ys: readonly number[], x: number): number {
  const n = xs.length;
  if (n < 2) return ys[0]!;
  const h: number[] = [];
  const delta: number[] = [];
  for (let i = 0; i < n - 1; i++) {
    h.push(xs[i + 1]! - xs[i]!);
    delta.push((ys[i + 1]! - ys[i]!) / h[i]!);
  }
  const d: number[] = new Array<number>(n).fill(0);
  d[0] = delta[0]!;
  d[n - 1] = delta[n - 2]!;
  for (let i = 1; i < n - 1; i++) {
    if (delta[i - 1]! * delta[i]! <= 0) d[i] = 0;
    else {
      const w1 = 2 * h[i]! + h[i - 1]!;
      const w2 = h[i]! + 2 * h[i - 1]!;
      d[i] = (w1 + w2) / (w1 / delta[i - 1]! + w2 / delta[i]!);
    }
  }
  let k = 0;
  while (k < n - 2 && x > xs[k + 1]!) k++;
  const t = (x - xs[k]!) / h[k]!;
  const h00 = (1 + 2 * t) * (1 - t) ** 2;
  const h10 = t * (1 - t) ** 2;
  const h01 = t * t * (3 - 2 * t);
  const h11 = t * t * (t - 1);
  return h00 * ys[k]! + h10 * h[k]! * d[k]! + h01 * ys[k + 1]! + h11 * h[k]! * d[k + 1]!;
}

/** The x in [lo, hi] where a decreasing f crosses `target` (bisection on the interpolant). */
function solveDecreasing(f: (x: number) => number, lo: number, hi: number, target: number): number {
  let a = lo;
  let b = hi;
  for (let i = 0; i < 60; i++) {
    const mid = (a + b) / 2;
    if (f(mid) >= target) a = mid;
    else b = mid;
  }
  return (a + b) / 2;
}

/** Observations collapsed to one per grid point (the mean when a CRF was measured twice), sorted by CRF. */
function byGrid(observations: readonly Observation[], step: number): { q: number; vmaf: number }[] {
  const groups = new Map<number, number[]>();
  for (const o of observations) {
    const q = toGrid(o.crf, step);
    groups.set(q, [...(groups.get(q) ?? []), o.vmaf]);
  }
  return [...groups.entries()].map(([q, v]) => ({ q, vmaf: v.reduce((s, x) => s + x, 0) / v.length })).sort((a, b) => a.q - b.q);
}

/** Where to look next once the target lies between a passing `lo` and a failing `hi` (grid units). */
function interpolate(
  points: { q: number; vmaf: number }[],
  lo: { q: number; vmaf: number },
  hi: { q: number; vmaf: number },
  target: number,
  u: (score: number) => number,
): { q: number; method: 'linear' | 'pchip' } {
  const monotone = points.every((p, i) => i === 0 || p.vmaf < points[i - 1]!.vmaf);
  const goal = u(target);
  let x: number;
  let method: 'linear' | 'pchip';
  if (points.length >= 3 && monotone) {
    const xs = points.map((p) => p.q);
    const ys = points.map((p) => u(p.vmaf));
    x = solveDecreasing((v) => pchip(xs, ys, v), lo.q, hi.q, goal);
    method = 'pchip';
  } else {
    const [uLo, uHi] = [u(lo.vmaf), u(hi.vmaf)];
    const span = uLo - uHi;
    x = span > 0 ? lo.q + ((uLo - goal) / span) * (hi.q - lo.q) : (lo.q + hi.q) / 2;
    method = 'linear';
  }
  // The highest grid point predicted to pass, kept strictly inside the bracket so each probe narrows it.
  const q = Math.min(hi.q - 1, Math.max(lo.q + 1, Math.floor(x + 1e-9)));
  return { q, method };
}

/** The next probe, or the answer. `observations` are in the order they were measured. */
export function nextSearchStep(config: SearchConfig, observations: readonly Observation[]): SearchStep {
  const { target, step } = config;
  const scale = config.scale ?? VMAF_SCALE;
  const tolerance = config.tolerance ?? DEFAULT_TOLERANCE * scale.unit;
  const maxProbes = config.maxProbes ?? DEFAULT_MAX_PROBES;
  const minQ = Math.ceil(config.minCrf / step - 1e-9);
  const maxQ = Math.floor(config.maxCrf / step + 1e-9);
  if (minQ > maxQ) throw new RangeError(`empty CRF range ${config.minCrf}..${config.maxCrf}`);

  const points = byGrid(observations, step);
  const tried = new Set(points.map((p) => p.q));
  const passing = points.filter((p) => p.vmaf >= target);
  const best = passing.length ? passing[passing.length - 1]! : undefined;
  const failAbove = points.find((p) => p.vmaf < target && (!best || p.q > best.q));
  const done = (p: { q: number; vmaf: number }, reason: StopReason, reached: boolean): SearchStep => ({
    done: true,
    crf: fromGrid(p.q, step),
    vmaf: p.vmaf,
    reason,
    reached,
  });
  const probe = (q: number, method: Extract<SearchStep, { done: false }>['method']): SearchStep => {
    const clamped = Math.min(maxQ, Math.max(minQ, q));
    if (tried.has(clamped)) {
      if (best) return done(best, 'already-tried', true);
      const lowest = points[0]!;
      return done(lowest, 'target-unreachable', false);
    }
    return { done: false, crf: fromGrid(clamped, step), method };
  };

  if (points.length === 0) {
    if (config.warmStart?.length) return probe(toGrid(median(config.warmStart.slice(0, 2)), step), 'warm-start');
    return probe(Math.round((minQ + maxQ) / 2), 'bisect');
  }

  // Settled cases first.
  if (best && best.vmaf < target + tolerance) return done(best, 'found', true);
  if (best && failAbove && failAbove.q - best.q <= 1) return done(best, 'found', true);
  if (best && best.q >= maxQ && !failAbove) return done(best, 'above-target-at-max-crf', true);
  if (!best && tried.has(minQ)) return done(points[0]!, 'target-unreachable', false);
  if (observations.length >= maxProbes) return best ? done(best, 'probe-limit', true) : done(points[0]!, 'target-unreachable', false);

  if (best && failAbove) {
    const { q, method } = interpolate(
      points.filter((p) => p.q >= best.q && p.q <= failAbove.q),
      best,
      failAbove,
      target,
      scale.u,
    );
    return probe(q, method);
  }

  // One-sided: everything measured passes (go up) or fails (go down).
  const warm = !!config.warmStart?.length;
  const bisecting = !warm && observations.length < 2;
  if (best) {
    if (bisecting) return probe(Math.ceil((best.q + maxQ) / 2), 'bisect');
    return probe(best.q + extrapolatedSteps(points, best, target, step, scale), 'step');
  }
  const lowest = points[0]!;
  if (bisecting) return probe(Math.floor((minQ + lowest.q) / 2), 'bisect');
  return probe(lowest.q - extrapolatedSteps(points, lowest, target, step, scale), 'step');
}

/**
 * How many grid steps to move from `from` to reach the target, from the slope of the two
 * observations nearest to it (or a typical slope with one), at least one step.
 */
function extrapolatedSteps(
  points: { q: number; vmaf: number }[],
  from: { q: number; vmaf: number },
  target: number,
  step: number,
  scale: MetricScale,
): number {
  const others = points.filter((p) => p.q !== from.q).sort((a, b) => Math.abs(a.q - from.q) - Math.abs(b.q - from.q));
  let slopePerStep = scale.assumedSlope * step;
  const other = others[0];
  if (other) {
    const measured = (scale.u(other.vmaf) - scale.u(from.vmaf)) / (from.q - other.q);
    if (measured > 0) slopePerStep = measured;
  }
  const gap = Math.abs(scale.u(from.vmaf) - scale.u(target));
  // Aim just past the target so that the next probe brackets it rather than creeping towards it.
  return Math.max(1, Math.ceil(gap / slopePerStep));
}

export interface SearchRun {
  crf: number;
  vmaf: number;
  reason: StopReason;
  reached: boolean;
  observations: Observation[];
}

/**
 * Runs the search with a measuring function (async so the driver can encode and measure; tests
 * pass a synthetic curve).
 */
export async function runSearch(
  config: SearchConfig,
  measure: (crf: number) => Promise<Observation>,
  known: readonly Observation[] = [],
): Promise<SearchRun> {
  const observations = [...known];
  for (;;) {
    const next = nextSearchStep(config, observations);
    if (next.done) return { crf: next.crf, vmaf: next.vmaf, reason: next.reason, reached: next.reached, observations };
    observations.push(await measure(next.crf));
  }
}
