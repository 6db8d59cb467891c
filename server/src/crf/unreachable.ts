import type { Observation } from './search';
import { VMAF_SCALE, type MetricScale } from './metric-scale';

/**
 * An unreachable target is an answer, not a failure (issue 22, item 7). Some content saturates the
 * metric below the target: smooth, slowly moving gradients scored VMAF 88.7–90.5 at every CRF from
 * 38 down to 10 on a held-out film. Probing on costs encodes and lowering the target lies, so the
 * search stops as soon as the curve is seen to be flat, takes its knee (the cheapest CRF that
 * scores as well as anything measured) and the segment is marked, not failed. Pure.
 */

/** Two probes at least this many CRF apart... */
export const FLAT_CRF_SPAN = 6;
/**
 * ...scoring within this of each other, both under T − VERIFY_MARGIN, show a flat curve. A normal
 * curve under T ≤ 98 moves more than 1.3 VMAF over 6 CRF (100 − VMAF ≥ 2.5 grows by e^(6/14)).
 */
export const FLAT_VMAF_DELTA = 0.75;
/** Probes spent moving the knee up between measured CRFs (bits saved at no loss of score). */
export const KNEE_REFINE_PROBES = 2;
/** Refine only across a gap of at least this many CRF. */
export const KNEE_REFINE_GAP = 4;
/** The knee: the highest CRF scoring within this of the best score seen. */
export const KNEE_WITHIN = 0.3;

/** Two failing observations several CRF apart with nearly the same score: lower CRFs will not reach T. */
export function flatCurve(observations: readonly Observation[], target: number, scale: MetricScale = VMAF_SCALE): boolean {
  const failing = observations.filter((o) => o.vmaf < target - scale.below);
  for (let i = 0; i < failing.length; i++) {
    for (let j = i + 1; j < failing.length; j++) {
      const [a, b] = [failing[i]!, failing[j]!];
      if (Math.abs(a.crf - b.crf) >= FLAT_CRF_SPAN && Math.abs(a.vmaf - b.vmaf) < FLAT_VMAF_DELTA * scale.unit) return true;
    }
  }
  return false;
}

/** The highest CRF within KNEE_WITHIN of the best score measured. */
export function knee(observations: readonly Observation[], scale: MetricScale = VMAF_SCALE): Observation {
  if (!observations.length) throw new RangeError('knee needs at least one observation');
  const best = Math.max(...observations.map((o) => o.vmaf));
  return [...observations].filter((o) => o.vmaf >= best - KNEE_WITHIN * scale.unit).sort((a, b) => b.crf - a.crf)[0]!;
}

/** The CRF to probe next to move the knee up, or undefined: halfway to the lowest measured CRF above it. */
export function kneeRefinement(observations: readonly Observation[], scale: MetricScale = VMAF_SCALE): number | undefined {
  const at = knee(observations, scale);
  const above = observations.filter((o) => o.crf > at.crf).sort((a, b) => a.crf - b.crf)[0];
  if (!above || above.crf - at.crf < KNEE_REFINE_GAP) return undefined;
  return Math.floor((at.crf + above.crf) / 2);
}

export type UnreachableWhy = 'flat' | 'min-crf' | 'lowered-target';

/** What the manifest, the events, the summary and the report say about such a segment. */
export function unreachableText(vmaf: number, crf: number): string {
  return `unreachable: best ${vmaf.toFixed(1)} at CRF ${crf}`;
}

/**
 * How a verified score that misses the job's own target is answered: the segment is marked
 * unreachable (the job finishes), or, with --strict, it is a failure. A score at or above
 * T − VERIFY_MARGIN is met, however the search got there. `target` is the job's target, never a
 * lowered rung's: a lowered target is never reported as met.
 */
export function missAnswer(input: {
  vmaf: number;
  target: number;
  strict: boolean;
  searchSaidUnreachable: boolean;
  scale?: MetricScale;
}): 'met' | 'unreachable' | 'miss' {
  if (input.vmaf >= input.target - (input.scale ?? VMAF_SCALE).below) return 'met';
  if (input.searchSaidUnreachable && !input.strict) return 'unreachable';
  return 'miss';
}
