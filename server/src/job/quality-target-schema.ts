import { z } from 'zod';
import { metricNameSchema } from '../../../common/option-values';
import type { QualityTarget } from '../../../common/options';

/** A job's quality target as the manifest and a finished job's record keep it (common/quality-target.ts). */
export const qualityTargetSchema = z.object({
  metric: metricNameSchema,
  value: z.number(),
  pool: z.string(),
  low: z.number(),
  high: z.number(),
}) satisfies z.ZodType<QualityTarget>;
