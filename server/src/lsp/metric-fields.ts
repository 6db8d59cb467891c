/**
 * Issue 25's per-metric fields as the editor reads them from events, manifests and the known-jobs
 * file (a segment's `scores`, a job's `target`), parsed with zod: they come
 * from another process or an older file, and the done event's `target` was a string before (`VMAF
 * 93 (harmonic_mean)`), which is not a target object and is ignored here.
 */
import { z } from 'zod';
import { METRIC_NAMES } from '../../../common/quality-metric';
import type { JobTarget, SegmentSnapshot } from '../../../common/protocol';

const metricSchema = z.enum(METRIC_NAMES);

export const scoresSchema = z.partialRecord(metricSchema, z.number());

export const jobTargetSchema = z.object({
  metric: metricSchema,
  value: z.number(),
  pool: z.string(),
  low: z.number(),
  high: z.number(),
});

/** A segment's `scores`, when the record has a well-formed, non-empty one. */
export function scoresOf(record: object): SegmentSnapshot['scores'] | undefined {
  const parsed = scoresSchema.safeParse((record as { scores?: unknown }).scores);
  return parsed.success && Object.keys(parsed.data).length ? parsed.data : undefined;
}

/** A job-level `target` object; undefined for anything else (absent, or the older string form). */
export function jobTargetOf(value: unknown): JobTarget | undefined {
  const parsed = jobTargetSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
