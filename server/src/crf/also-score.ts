import type { MetricName } from '../../../common/quality-metric';
import type { MetricScores } from '../../../common/events';
import { DEFAULT_METRIC_POOL } from '../../../common/quality-target';
import { METRIC_SCALES } from './metric-scale';
import { cutWholeSegment, measureAgainst, reference, verifyKey, type Intermediate, type SegmentSearch } from './probe-measure';

/**
 * --also-score (issue 25): the listed metrics, scored on the segment's final output at its
 * verification only, never searched on. Each is measured against the whole segment's lossless
 * reference (a file, which every engine reads), pooled by its default (VMAF: --vmaf-pool; the others:
 * the mean), and kept in the quality cache under its own key, so a re-run measures nothing again.
 */
export async function alsoScores(
  search: SegmentSearch,
  crf: number,
  encoded: string,
  metrics: readonly MetricName[],
  vmafPool: string,
): Promise<MetricScores> {
  const scores: MetricScores = {};
  let whole: Promise<Intermediate> | undefined;
  for (const metric of metrics) {
    if (metric === search.scale.metric) continue;
    const { metric: _target, ...vmafOnly } = search.vmafSettings;
    const vmafSettings =
      metric === 'vmaf' ? { ...vmafOnly, pool: vmafPool } : { ...vmafOnly, pool: DEFAULT_METRIC_POOL, metric: metric as string };
    const over: SegmentSearch = { ...search, vmafSettings, scale: METRIC_SCALES[metric], builtinVmaf: false };
    const key = verifyKey(over, crf);
    const cached = search.cache.get(key);
    if (cached) {
      scores[metric] = cached.vmaf;
      continue;
    }
    const started = performance.now();
    whole ??= search.plan.fullPass ? reference(search) : cutWholeSegment(search);
    const result = await measureAgainst(over, await whole, encoded);
    scores[metric] = result.score;
    await search.cache.putMeasurement({
      key,
      crf,
      vmaf: result.score,
      bytes: 0,
      seconds: (performance.now() - started) / 1000,
      segment: search.ctx.segment.index,
    });
  }
  return scores;
}
