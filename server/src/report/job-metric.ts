import { z } from 'zod';
import { TARGET_BAND, type MetricScores } from '../../../common/report';
import { METRICS, METRIC_NAMES, isMetricName, type MetricName } from '../../../common/quality-metric';
import type { Manifest, SegmentRecord } from '../job';

/**
 * The metric a job's report charts (issue 25) and each segment's scores in it, read from the
 * manifest: the target { metric, value, pool, low, high } (job-level, or in the settings as
 * metric25c writes it; common/quality-target.ts) and each segment record's
 * `scores` (METRIC-CONTRACT.md), read loosely so a manifest written before them (VMAF only:
 * `settings.targetVmaf` and the record's `vmaf`) gives exactly the report it gave before.
 */

export interface JobTarget {
  metric: MetricName;
  value: number;
  low: number;
  high: number;
  pool?: string;
}

const targetSchema = z.object({
  metric: z.enum(METRIC_NAMES),
  value: z.number(),
  low: z.number(),
  high: z.number(),
  pool: z.string().optional(),
});
const targetSettingsSchema = z.object({
  targetMetric: z.enum(METRIC_NAMES).optional().catch(undefined),
  target: z.union([targetSchema, z.number()]).optional().catch(undefined),
});
const scoresSchema = z.object({ scores: z.record(z.string(), z.number()).optional().catch(undefined) });

/** The job's metric: the manifest's `target`, else its settings' target metric, else VMAF (also for fixed-CRF jobs). */
export function jobMetric(manifest: Manifest): MetricName {
  return jobTarget(manifest)?.metric ?? targetSettingsSchema.catch({}).parse(manifest.settings).targetMetric ?? 'vmaf';
}

/** The job's target and band in its metric's units; undefined for a fixed-CRF job. */
export function jobTarget(manifest: Manifest): JobTarget | undefined {
  const recorded = targetSchema.safeParse((manifest as { target?: unknown }).target);
  if (recorded.success) return recorded.data;
  const settings = targetSettingsSchema.catch({}).parse(manifest.settings);
  // metric25c keeps the resolved target in the settings: { metric, value, pool, low, high }.
  if (typeof settings.target === 'object') return settings.target;
  if (settings.targetMetric && settings.target !== undefined) {
    const band = METRICS[settings.targetMetric].band;
    return { metric: settings.targetMetric, value: settings.target, low: settings.target - band.below, high: settings.target + band.above };
  }
  const vmaf = manifest.settings.targetVmaf;
  if (vmaf === undefined) return undefined;
  return { metric: 'vmaf', value: vmaf, low: vmaf - TARGET_BAND.below, high: vmaf + TARGET_BAND.above };
}

/** Only the metrics we know, in their canonical order. */
export function knownScores(scores: Record<string, number> | undefined): MetricScores | undefined {
  if (!scores) return undefined;
  const known: MetricScores = {};
  for (const name of Object.keys(scores)) if (isMetricName(name)) known[name] = scores[name];
  const ordered = Object.fromEntries(METRIC_NAMES.filter((m) => known[m] !== undefined).map((m) => [m, known[m]!])) as MetricScores;
  return Object.keys(ordered).length ? ordered : undefined;
}

/** A segment record's verified scores: its `scores`, VMAF from `vmaf` when only that was recorded. */
export function recordScores(record: SegmentRecord): MetricScores | undefined {
  const scores = knownScores(scoresSchema.catch({}).parse(record).scores);
  if (record.vmaf !== undefined && scores?.vmaf === undefined) return scores ? { vmaf: record.vmaf, ...scores } : { vmaf: record.vmaf };
  return scores;
}
