import type { SegmentReport } from '../../../common/report';
import { METRICS, type MetricName } from '../../../common/quality-metric';

/** How the report page names a metric and reads a segment's score in it (issue 25). */

/** The metric's name on an axis or in a legend: `VMAF`, `SSIMULACRA2`, `XPSNR (dB)`. */
export function metricAxis(metric: MetricName): string {
  const facts = METRICS[metric];
  return facts.unit ? `${facts.label} (${facts.unit})` : facts.label;
}

/** A segment's verified score in a metric: `scores`, or `vmaf` in records made before them. */
export function scoreOf(segment: SegmentReport, metric: MetricName): number | undefined {
  return segment.scores?.[metric] ?? (metric === 'vmaf' ? segment.vmaf : undefined);
}
