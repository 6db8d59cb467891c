import { z } from 'zod';
import { catalogueShape } from './option-catalogue';
import { targetProblem } from './quality-target';

/**
 * Every knob of an encode job, validated with zod. The CLI, the language server (from editor
 * settings/presets) and the tests all build their options through `parseEncodeOptions`, so a
 * value that passes here is safe to turn into ffmpeg arguments. Each option's type, range,
 * default and help live once, in option-catalogue.ts.
 */
export {
  KNOWN_SVT_PARAMS,
  DEFAULT_CRF,
  parseSvtParams,
  svtParamsSchema,
  vmafPoolSchema,
  pixelFormatSchema,
  audioModeSchema,
} from './option-values';

export const encodeOptionsSchema = z
  .object(catalogueShape())
  .refine((o) => !(o.crf !== undefined && o.targetVmaf !== undefined), {
    message: '--crf and --target-vmaf are exclusive',
  })
  .refine((o) => !(o.crf !== undefined && (o.target !== undefined || o.targetMetric !== undefined)), {
    message: '--crf and --target/--target-metric are exclusive',
  })
  .superRefine((o, ctx) => {
    const problem = targetProblem(o);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .refine((o) => o.minCrf <= o.maxCrf, { message: '--min-crf must not exceed --max-crf' });

export type EncodeOptionsInput = z.input<typeof encodeOptionsSchema>;
export type EncodeOptions = z.output<typeof encodeOptionsSchema>;

export { qualityTargetOf, describeTarget, type QualityTarget } from './quality-target';

export function parseEncodeOptions(input: EncodeOptionsInput): EncodeOptions {
  return encodeOptionsSchema.parse(input);
}
