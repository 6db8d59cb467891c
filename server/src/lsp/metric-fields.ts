/**
 * Issue 25's per-metric fields as the known-jobs file keeps them (a segment's `scores`, a job's
 * `target`), parsed with zod like the rest of that file. The shape is common/quality-target.ts's.
 */
import { z } from 'zod';
import { metricNameSchema } from '../../../common/option-values';
import type { QualityTarget } from '../../../common/quality-target';

export const scoresSchema = z.partialRecord(metricNameSchema, z.number());

export const jobTargetSchema = z.object({
  metric: metricNameSchema,
  value: z.number(),
  pool: z.string(),
  low: z.number(),
  high: z.number(),
}) satisfies z.ZodType<QualityTarget>;
