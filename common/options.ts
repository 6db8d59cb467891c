import { z } from 'zod';

/**
 * Every knob of an encode job, validated with zod. The CLI, the language server (from editor
 * settings/presets) and the tests all build their options through `parseEncodeOptions`, so a
 * value that passes here is safe to turn into ffmpeg arguments.
 */

/** SVT-AV1 parameters we pass through with `-svtav1-params`. Unknown keys are refused so that a
 * setting cannot smuggle other options in. Values are restricted to a safe character set. */
export const KNOWN_SVT_PARAMS = [
  'tune', 'film-grain', 'film-grain-denoise', 'enable-overlays', 'scd', 'scm', 'enable-tf', 'tf-strength',
  'enable-qm', 'qm-min', 'qm-max', 'sharpness', 'aq-mode', 'enable-variance-boost', 'variance-boost-strength',
  'variance-octile', 'irefresh-type', 'lookahead', 'lp', 'pin', 'fast-decode', 'enable-cdef', 'enable-restoration',
  'enable-dlf', 'enable-tpl-la', 'hierarchical-levels', 'pred-struct', 'keyint', 'input-depth', 'color-primaries',
  'transfer-characteristics', 'matrix-coefficients', 'color-range', 'mastering-display', 'content-light', 'chroma-sample-position',
  'luminance-qp-bias', 'qp-scale-compress-strength', 'sframe-dist', 'recode-loop', 'bias-pct', 'minsection-pct',
  'maxsection-pct', 'undershoot-pct', 'overshoot-pct', 'max-qp', 'min-qp', 'startup-mg-size', 'enable-dg',
] as const;

const SVT_PAIR = /^([a-z][a-z0-9-]*)=([A-Za-z0-9.,()\-+]+)$/;

export function parseSvtParams(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  if (!text.trim()) return result;
  for (const pair of text.split(':')) {
    const match = SVT_PAIR.exec(pair.trim());
    if (!match) throw new Error(`SVT-AV1 parameter "${pair}" is not key=value with a plain value`);
    const [, key, value] = match as unknown as [string, string, string];
    if (!(KNOWN_SVT_PARAMS as readonly string[]).includes(key)) {
      throw new Error(`unknown SVT-AV1 parameter "${key}" (known: ${KNOWN_SVT_PARAMS.join(', ')})`);
    }
    result[key] = value;
  }
  return result;
}

export const svtParamsSchema = z.string().superRefine((text, ctx) => {
  try {
    parseSvtParams(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

export const vmafPoolSchema = z.string().regex(/^(mean|harmonic_mean|min|p([1-9]|[1-9][0-9]))$/, 'pool is mean, harmonic_mean, min or pN (1 to 99)');

export const pixelFormatSchema = z.enum(['yuv420p10le', 'yuv420p']);
export const audioModeSchema = z.enum(['copy', 'opus']);

export const encodeOptionsSchema = z.object({
  input: z.string().min(1),
  output: z.string().min(1).optional(),
  workDir: z.string().min(1).optional(),
  keepWorkDir: z.boolean().default(false),
  /** Fixed CRF; exclusive with targetVmaf. */
  crf: z.number().min(0).max(63).optional(),
  targetVmaf: z.number().min(0).max(100).optional(),
  minCrf: z.number().min(0).max(63).default(10),
  maxCrf: z.number().min(0).max(63).default(55),
  samples: z.number().int().min(1).max(20).default(3),
  sampleSeconds: z.number().min(0.5).max(60).default(2),
  vmafSubsample: z.number().int().min(1).max(64).default(8),
  vmafPool: vmafPoolSchema.default('harmonic_mean'),
  vmafEngine: z.enum(['auto', 'libvmaf', 'builtin']).default('auto'),
  maxEncodedPercent: z.number().min(1).max(100).default(80),
  preset: z.number().int().min(-1).max(13).default(8),
  /**
   * SVT-AV1 preset of the target-quality probes. 'same' (default) probes at --preset: exact, and a
   * whole-segment probe can be kept as the output. A faster preset makes each probe cheaper but
   * measures a shifted CRF→VMAF curve (bench/probe-preset-shift: 0.3 to 1.8 VMAF between presets
   * 10 and 12, in either direction between 8 and 12, depending on the content); the whole-segment
   * verification and the retry ladder still catch misses.
   */
  probePreset: z.union([z.literal('same'), z.number().int().min(-1).max(13)]).default('same'),
  svtParams: svtParamsSchema.default(''),
  keyintSeconds: z.number().min(0.5).max(60).default(10),
  pixelFormat: pixelFormatSchema.default('yuv420p10le'),
  segmentSeconds: z.number().min(1).max(600).default(10),
  workers: z.number().int().min(1).max(64).optional(),
  audio: audioModeSchema.default('copy'),
  allowDvStrip: z.boolean().default(false),
  failFast: z.boolean().default(false),
  pinWorkers: z.boolean().default(false),
  ffmpeg: z.string().min(1).optional(),
  ffprobe: z.string().min(1).optional(),
  /** An ffmpeg with libvmaf for the VMAF measurements only (the encodes still use `ffmpeg`). */
  vmafFfmpeg: z.string().min(1).optional(),
  /** --hosts / --hosts-file / chunkedAv1.hosts: `[N/][user@]host[:port]` or `:` (checked by server/src/hosts/host-spec.ts). */
  hosts: z.array(z.string().min(1)).optional(),
  /** Stop when a host fails the check instead of going on without it. */
  hostsStrict: z.boolean().default(false),
}).refine((o) => !(o.crf !== undefined && o.targetVmaf !== undefined), {
  message: '--crf and --target-vmaf are exclusive',
}).refine((o) => o.minCrf <= o.maxCrf, { message: '--min-crf must not exceed --max-crf' });

export type EncodeOptionsInput = z.input<typeof encodeOptionsSchema>;
export type EncodeOptions = z.output<typeof encodeOptionsSchema>;

export const DEFAULT_CRF = 35;

export function parseEncodeOptions(input: EncodeOptionsInput): EncodeOptions {
  return encodeOptionsSchema.parse(input);
}
