import type { VmafPool, VmafPooled } from './types';

/**
 * Pooling of per-frame scores into one number. Ours for both engines, so that libvmaf and the
 * built-in engine pool identically. Definitions follow libvmaf where libvmaf has the method.
 */

export function poolMean(scores: readonly number[]): number {
  requireScores(scores);
  let sum = 0;
  for (const s of scores) sum += s;
  return sum / scores.length;
}

/** libvmaf's harmonic mean: shifted by one so that a frame scoring 0 does not make it 0. */
export function poolHarmonicMean(scores: readonly number[]): number {
  requireScores(scores);
  let sum = 0;
  for (const s of scores) sum += 1 / (s + 1);
  return scores.length / sum - 1;
}

export function poolMin(scores: readonly number[]): number {
  requireScores(scores);
  let min = Infinity;
  for (const s of scores) if (s < min) min = s;
  return min;
}

/**
 * The p-th percentile (0..100) with linear interpolation between the closest ranks (the common
 * "type 7" definition): p0 is the minimum, p100 the maximum.
 */
export function poolPercentile(scores: readonly number[], p: number): number {
  requireScores(scores);
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = [...scores].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export function poolAll(scores: readonly number[]): VmafPooled {
  return {
    mean: poolMean(scores),
    harmonicMean: poolHarmonicMean(scores),
    min: poolMin(scores),
    p1: poolPercentile(scores, 1),
    p5: poolPercentile(scores, 5),
  };
}

const PERCENTILE = /^p(\d+(?:\.\d+)?)$/;

/** True for `mean`, `harmonic_mean`, `min` and `pN` with 0 <= N <= 100. */
export function isVmafPool(value: string): value is VmafPool {
  if (value === 'mean' || value === 'harmonic_mean' || value === 'min') return true;
  const match = PERCENTILE.exec(value);
  return !!match && Number(match[1]) <= 100;
}

export function poolScores(scores: readonly number[], pool: VmafPool): number {
  switch (pool) {
    case 'mean':
      return poolMean(scores);
    case 'harmonic_mean':
      return poolHarmonicMean(scores);
    case 'min':
      return poolMin(scores);
    default: {
      const match = PERCENTILE.exec(pool);
      if (!match) throw new RangeError(`unknown pooling method "${pool}"`);
      return poolPercentile(scores, Number(match[1]));
    }
  }
}

function requireScores(scores: readonly number[]): void {
  if (scores.length === 0) throw new RangeError('no frame scores to pool');
}
