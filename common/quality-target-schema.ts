/**
 * Issue 25's per-metric records as every file that keeps them parses them with zod: a segment's
 * `scores` (one value per metric measured at verification) and a job's quality target
 * (common/quality-target.ts). The manifest, a finished job's record, the hosts' results and the
 * editor's known-jobs file all read them from here.
 */
import { z } from 'zod';
import { metricNameSchema } from './option-values';
import type { QualityTarget } from './quality-target';

export const metricScoresSchema = z.partialRecord(metricNameSchema, z.number());

export const qualityTargetSchema = z.object({
  metric: metricNameSchema,
  value: z.number(),
  pool: z.string(),
  low: z.number(),
  high: z.number(),
}) satisfies z.ZodType<QualityTarget>;
