/**
 * Which score the editor shows for a segment (issue 25): the one in the job's target metric, read
 * from the segment's `scores` (every metric measured at verification), or from its `vmaf` for jobs
 * that predate `scores`. The texts come from common/quality-metric.ts, so the tree, the status bar,
 * the Problems panel and the hovers print a metric the same way (`ssimu2 81.2`, `XPSNR 42.10 dB`).
 */
import { METRICS, METRIC_NAMES, formatMetricScore, type MetricName } from './quality-metric';
import type { JobSnapshot, SegmentSnapshot } from './protocol';

/** The job's target metric; VMAF for a job without one (fixed CRF, or recorded before issue 25). */
export function jobMetric(job: Pick<JobSnapshot, 'target'> | undefined): MetricName {
  return job?.target?.metric ?? 'vmaf';
}

/** The segment's verified score in `metric`, when it was measured. */
export function segmentScore(segment: Pick<SegmentSnapshot, 'scores' | 'vmaf'>, metric: MetricName): number | undefined {
  return segment.scores?.[metric] ?? (metric === 'vmaf' ? segment.vmaf : undefined);
}

/**
 * The segment's score as shown: in the job's target metric, or, for a job that targets nothing
 * (fixed CRF), the first metric it has a score in (in METRIC_NAMES order, VMAF first), so an `--also-score` still shows.
 */
export function segmentScoreText(
  job: Pick<JobSnapshot, 'target'> | undefined,
  segment: Pick<SegmentSnapshot, 'scores' | 'vmaf'>,
): string | undefined {
  const metric = job?.target ? job.target.metric : METRIC_NAMES.find((m) => segmentScore(segment, m) !== undefined);
  const score = metric && segmentScore(segment, metric);
  return metric && score !== undefined ? formatMetricScore(metric, score) : undefined;
}

/** A target value with its unit, as written by the user: `93`, `80`, `42 dB`. */
export function targetValueText(metric: MetricName, value: number): string {
  const unit = METRICS[metric].unit;
  return `${value}${unit ? ` ${unit}` : ''}`;
}

/** A target as a phrase: `VMAF 93`, `ssimu2 80`, `XPSNR 42 dB`. */
export function targetText(metric: MetricName, value: number): string {
  return `${METRICS[metric].short} ${targetValueText(metric, value)}`;
}
