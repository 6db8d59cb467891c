/**
 * Cheap probes, learned correction (issue 16, lever 1). Probes at a faster preset and/or on samples
 * score differently from the final encode of the whole segment; how differently depends on the
 * content and the CRF, and drifts along a film. Every verified segment is a free pair (what the
 * search's probe scored at the chosen CRF, what the final encode scored whole), so the job learns
 * the offset as it goes: recent pairs and pairs at nearby CRFs count most, and pairs from before a
 * change of content are dropped. Pure: the driver feeds it CrfJobState.verified.
 */

export interface CorrectionPair {
  crf: number;
  probeVmaf: number;
  finalVmaf: number;
}

export interface Correction {
  /** Add to a probe's VMAF to predict the final encode's (final − probe). */
  offset: number;
  /** Weighted spread of the pairs' offsets around `offset` (VMAF points). */
  spread: number;
  /** Pairs that carried the estimate (after a detected content change: only those since). */
  pairs: number;
  /** Enough consistent nearby pairs to rely on cheap probes alone. */
  trusted: boolean;
}

export interface CorrectionConfig {
  /** Pairs this many verifications old count half (drift). */
  halfLife: number;
  /** Pairs farther than this many CRF steps from the question count a quarter. */
  crfWindow: number;
  /** Nearby pairs needed before the correction is trusted. */
  minPairs: number;
  /** Largest spread of a trusted correction. */
  maxSpread: number;
  /** A new pair this far from the estimate of the pairs before it marks a change of content. */
  changeThreshold: number;
}

export const DEFAULT_CORRECTION: CorrectionConfig = { halfLife: 4, crfWindow: 6, minPairs: 2, maxSpread: 0.6, changeThreshold: 1.5 };

export const NO_CORRECTION: Correction = { offset: 0, spread: 0, pairs: 0, trusted: false };

function weightedEstimate(
  pairs: readonly CorrectionPair[],
  atCrf: number,
  config: CorrectionConfig,
): { offset: number; spread: number; near: number } {
  let sum = 0;
  let total = 0;
  let near = 0;
  const weights = pairs.map((p, i) => {
    const age = pairs.length - 1 - i;
    const close = Math.abs(p.crf - atCrf) <= config.crfWindow;
    if (close) near++;
    return 0.5 ** (age / config.halfLife) * (close ? 1 : 0.25);
  });
  pairs.forEach((p, i) => {
    sum += weights[i]! * (p.finalVmaf - p.probeVmaf);
    total += weights[i]!;
  });
  const offset = sum / total;
  let variance = 0;
  pairs.forEach((p, i) => {
    variance += weights[i]! * (p.finalVmaf - p.probeVmaf - offset) ** 2;
  });
  return { offset, spread: Math.sqrt(variance / total), near };
}

/** The pairs since the last change of content: a pair whose offset is far from what the pairs before it predicted starts a new run. */
export function sinceLastChange(pairs: readonly CorrectionPair[], config: CorrectionConfig = DEFAULT_CORRECTION): CorrectionPair[] {
  let start = 0;
  for (let i = 1; i < pairs.length; i++) {
    const before = weightedEstimate(pairs.slice(start, i), pairs[i]!.crf, config);
    if (Math.abs(pairs[i]!.finalVmaf - pairs[i]!.probeVmaf - before.offset) > config.changeThreshold) start = i;
  }
  return pairs.slice(start);
}

/** The correction to apply to a probe at `atCrf`, from the job's verified pairs in the order they were verified. */
export function learnCorrection(
  pairs: readonly CorrectionPair[],
  atCrf: number,
  config: CorrectionConfig = DEFAULT_CORRECTION,
): Correction {
  const recent = sinceLastChange(pairs, config);
  if (!recent.length) return NO_CORRECTION;
  const { offset, spread, near } = weightedEstimate(recent, atCrf, config);
  return { offset, spread, pairs: recent.length, trusted: near >= config.minPairs && spread <= config.maxSpread };
}

/** The least safety margin of a correction learned but not yet trusted (the verification's own margin). */
export const UNTRUSTED_MARGIN = 0.5;

/**
 * The VMAF the probes must reach so that the final encode reaches `target`: the target minus the
 * learned offset, plus a safety margin while the correction is not trusted (its spread, at least
 * UNTRUSTED_MARGIN), so an unsure correction errs towards quality and the whole-segment verification
 * has less to catch. Without any pair there is nothing to correct: the target itself.
 */
export function probeTarget(target: number, correction: Correction): number {
  if (correction.pairs === 0) return target;
  return target - correction.offset + (correction.trusted ? 0 : Math.max(correction.spread, UNTRUSTED_MARGIN));
}
