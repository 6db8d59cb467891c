import { poolMean, poolPercentile } from '../vmaf';

/**
 * How a metric's per-frame scores become one number for SSIMULACRA2 and XPSNR (`--pool`): the
 * mean, the harmonic mean, or the Nth percentile from the bottom (p5: 5 % of the frames score
 * lower), as Av1an's --probing-stat offers them. VMAF keeps its own (libvmaf's) definitions.
 */
export type MetricPool = 'mean' | 'harmonic' | `p${number}`;

const PERCENTILE = /^p(\d+(?:\.\d+)?)$/;

export function isMetricPool(value: string): value is MetricPool {
  if (value === 'mean' || value === 'harmonic') return true;
  const match = PERCENTILE.exec(value);
  return !!match && Number(match[1]) <= 100;
}

/**
 * The harmonic mean, dominated by the worst frames. SSIMULACRA2 goes below zero, where a harmonic
 * mean means nothing: a score under HARMONIC_FLOOR counts as HARMONIC_FLOOR, so one such frame
 * pulls the pool to near zero, as it should. An infinite score (identical frames' XPSNR) adds nothing.
 */
export const HARMONIC_FLOOR = 0.001;

export function poolHarmonic(scores: readonly number[]): number {
  if (scores.length === 0) throw new RangeError('no scores to pool');
  let sum = 0;
  for (const s of scores) sum += 1 / Math.max(s, HARMONIC_FLOOR);
  return sum === 0 ? Infinity : scores.length / sum;
}

export function poolMetric(scores: readonly number[], pool: MetricPool): number {
  if (pool === 'mean') return poolMean(scores);
  if (pool === 'harmonic') return poolHarmonic(scores);
  return poolPercentile(scores, Number(PERCENTILE.exec(pool)![1]));
}
