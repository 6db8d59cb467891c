import { z } from 'zod';
import { METRIC_NAMES } from './quality-metric';

/**
 * The value schemas the option catalogue (option-catalogue.ts) is built from: which SVT-AV1
 * parameters pass through, the VMAF pool names, pixel formats, audio modes and the CRF and preset
 * ranges. Each is a fact written once; the catalogue, the manifest and the encoder's argument
 * builders read them from here.
 */

/** SVT-AV1 parameters we pass through with `-svtav1-params`. Unknown keys are refused so that a
 * setting cannot smuggle other options in. Values are restricted to a safe character set. */
export const KNOWN_SVT_PARAMS = [
  'tune',
  'film-grain',
  'film-grain-denoise',
  'enable-overlays',
  'scd',
  'scm',
  'enable-tf',
  'tf-strength',
  'enable-qm',
  'qm-min',
  'qm-max',
  'sharpness',
  'aq-mode',
  'enable-variance-boost',
  'variance-boost-strength',
  'variance-octile',
  'irefresh-type',
  'lookahead',
  'lp',
  'pin',
  'fast-decode',
  'enable-cdef',
  'enable-restoration',
  'enable-dlf',
  'enable-tpl-la',
  'hierarchical-levels',
  'pred-struct',
  'keyint',
  'input-depth',
  'color-primaries',
  'transfer-characteristics',
  'matrix-coefficients',
  'color-range',
  'mastering-display',
  'content-light',
  'chroma-sample-position',
  'luminance-qp-bias',
  'qp-scale-compress-strength',
  'sframe-dist',
  'recode-loop',
  'bias-pct',
  'minsection-pct',
  'maxsection-pct',
  'undershoot-pct',
  'overshoot-pct',
  'max-qp',
  'min-qp',
  'startup-mg-size',
  'enable-dg',
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

export const vmafPoolSchema = z
  .string()
  .regex(/^(mean|harmonic_mean|min|p([1-9]|[1-9][0-9]))$/, 'pool is mean, harmonic_mean, min or pN (1 to 99)');
export const pixelFormatSchema = z.enum(['yuv420p10le', 'yuv420p']);
export const audioModeSchema = z.enum(['copy', 'opus']);

/** CRF values SVT-AV1 takes (the encoder may honour only integers: see crf-granularity). */
export const crfSchema = z.number().min(0).max(63);
/** The CRF of a fixed-CRF encode when neither --crf nor --target-vmaf is given. */
export const DEFAULT_CRF = 35;
export const presetNumberSchema = z.number().int().min(-1).max(13);
/** A VMAF target, on VMAF's 0–100 scale. */
export const targetVmafSchema = z.number().min(0).max(100);
/** The metrics a job can target or score (common/quality-metric.ts). */
export const metricNameSchema = z.enum(METRIC_NAMES);
/** --pool: VMAF's pool names and the other metrics' (mean, harmonic, pN); which apply is checked with the metric (job-target.ts). */
export const targetPoolSchema = z
  .string()
  .regex(/^(mean|harmonic|harmonic_mean|min|p([1-9]|[1-9][0-9]))$/, 'pool is mean, harmonic or pN (1 to 99)');
/** A target in its metric's units: each metric's range is checked with the metric (job-target.ts). */
export const metricTargetSchema = z.number();
