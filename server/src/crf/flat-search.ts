import { nextSearchStep, type Observation, type SearchConfig, type SearchRun } from './search';
import { flatCurve, knee, kneeRefinement, KNEE_REFINE_PROBES } from './unreachable';

/**
 * search.ts's search, stopped as soon as the curve shows itself flat under the target (two failing
 * probes several CRF apart, nearly the same score), and answered at its knee instead of at the
 * lowest CRF measured: the cheapest CRF as good as anything seen. A search that reaches --min-crf
 * without passing is answered at its knee too.
 */
export interface FlatAwareRun extends SearchRun {
  /** Stopped early on a flat curve. */
  flat: boolean;
}

export async function runSearchWithFlatStop(
  config: SearchConfig,
  measure: (crf: number) => Promise<Observation>,
  known: readonly Observation[] = [],
): Promise<FlatAwareRun> {
  const observations = [...known];
  for (;;) {
    const passing = observations.some((o) => o.vmaf >= config.target);
    const flat = !passing && flatCurve(observations, config.target, config.scale);
    const next = flat ? undefined : nextSearchStep(config, observations);
    if (!next || (next.done && !next.reached && observations.length)) {
      await refineKnee(observations, measure, config);
      const at = knee(observations, config.scale);
      return { crf: at.crf, vmaf: at.vmaf, reason: next?.reason ?? 'target-unreachable', reached: false, observations, flat };
    }
    if (next.done) return { crf: next.crf, vmaf: next.vmaf, reason: next.reason, reached: next.reached, observations, flat: false };
    observations.push(await measure(next.crf));
  }
}

/** Up to KNEE_REFINE_PROBES probes halfway between the knee and the next CRF measured above it. */
async function refineKnee(
  observations: Observation[],
  measure: (crf: number) => Promise<Observation>,
  config: SearchConfig,
): Promise<void> {
  for (let i = 0; i < KNEE_REFINE_PROBES; i++) {
    const crf = kneeRefinement(observations, config.scale);
    if (crf === undefined || observations.some((o) => o.crf === crf)) return;
    observations.push(await measure(crf));
  }
}
