import { z } from 'zod';
import type { VmafFeatures } from './types';

/**
 * A libvmaf JSON model (LIBSVMNUSVR with an RBF kernel, as vmaf_v0.6.1 and its 4K sibling are)
 * and its evaluation: linear feature rescaling, support-vector regression, denormalisation and
 * clipping. libvmaf applies the model's score_transform only when asked to (enable_transform),
 * which neither the vmaf tool nor ffmpeg's filter does by default, so neither do we.
 */

export const modelFileSchema = z.object({
  model_dict: z.object({
    model_type: z.literal('LIBSVMNUSVR'),
    norm_type: z.literal('linear_rescale'),
    feature_names: z.array(z.string()).min(1),
    slopes: z.array(z.number()),
    intercepts: z.array(z.number()),
    score_clip: z.tuple([z.number(), z.number()]).optional(),
    model: z.string(),
    /** Per-feature options, e.g. the NEG model's enhancement gain limits. */
    feature_opts_dicts: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
});

/** The feature options a model sets (empty dicts set none). */
export function featureOptionNames(dict: z.infer<typeof modelFileSchema>['model_dict']): string[] {
  return [...new Set((dict.feature_opts_dicts ?? []).flatMap((opts) => Object.keys(opts)))];
}

export interface VmafModel {
  featureNames: (keyof VmafFeatures)[];
  slopes: number[];
  intercepts: number[];
  scoreClip?: [number, number];
  gamma: number;
  rho: number;
  /** Support vectors, row-major: supportVectors[i * featureCount + k]. */
  supportVectors: Float64Array;
  coefficients: Float64Array;
}

/** libvmaf's internal feature names mapped to the names it prints in its JSON log. */
const FEATURE_ALIASES: Record<string, keyof VmafFeatures> = {
  VMAF_integer_feature_adm2_score: 'integer_adm2',
  VMAF_integer_feature_motion2_score: 'integer_motion2',
  VMAF_integer_feature_vif_scale0_score: 'integer_vif_scale0',
  VMAF_integer_feature_vif_scale1_score: 'integer_vif_scale1',
  VMAF_integer_feature_vif_scale2_score: 'integer_vif_scale2',
  VMAF_integer_feature_vif_scale3_score: 'integer_vif_scale3',
};

export function parseVmafModel(json: unknown, source: string): VmafModel {
  const parsed = modelFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `${source}: not a supported VMAF model (need a libvmaf JSON LIBSVMNUSVR model with linear_rescale): ${parsed.error.issues[0]?.message ?? ''}`,
    );
  }
  const dict = parsed.data.model_dict;
  const options = featureOptionNames(dict);
  if (options.length)
    throw new Error(`${source}: the built-in engine does not implement the model's feature options (${options.join(', ')})`);
  const featureNames = dict.feature_names.map((name) => {
    const alias = FEATURE_ALIASES[name];
    if (!alias) throw new Error(`${source}: feature "${name}" is not one the built-in engine computes`);
    return alias;
  });
  const featureCount = featureNames.length;
  if (dict.slopes.length !== featureCount + 1 || dict.intercepts.length !== featureCount + 1) {
    throw new Error(`${source}: slopes/intercepts must have ${featureCount + 1} entries`);
  }
  const svm = parseLibsvmModel(dict.model, featureCount, source);
  return { featureNames, slopes: dict.slopes, intercepts: dict.intercepts, scoreClip: dict.score_clip, ...svm };
}

function parseLibsvmModel(text: string, featureCount: number, source: string) {
  const lines = text.split('\n');
  const header = new Map<string, string>();
  let line = 0;
  for (; line < lines.length && lines[line]!.trim() !== 'SV'; line++) {
    const [key, ...rest] = lines[line]!.trim().split(/\s+/);
    if (key) header.set(key, rest.join(' '));
  }
  if (header.get('svm_type') !== 'nu_svr' || header.get('kernel_type') !== 'rbf') {
    throw new Error(`${source}: only nu_svr models with an rbf kernel are supported`);
  }
  const gamma = Number(header.get('gamma'));
  const rho = Number(header.get('rho'));
  const rows = lines
    .slice(line + 1)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const supportVectors = new Float64Array(rows.length * featureCount);
  const coefficients = new Float64Array(rows.length);
  rows.forEach((row, i) => {
    const [coef, ...pairs] = row.split(/\s+/);
    coefficients[i] = Number(coef);
    for (const pair of pairs) {
      const [index, value] = pair.split(':');
      const k = Number(index) - 1;
      if (!(k >= 0 && k < featureCount)) throw new Error(`${source}: support vector ${i} has feature index ${index}`);
      supportVectors[i * featureCount + k] = Number(value);
    }
  });
  if (!Number.isFinite(gamma) || !Number.isFinite(rho) || rows.length === 0) {
    throw new Error(`${source}: malformed libsvm model (gamma, rho or support vectors missing)`);
  }
  return { gamma, rho, supportVectors, coefficients };
}

/** The VMAF score of one frame from its features. */
export function predictVmaf(model: VmafModel, features: VmafFeatures): number {
  const count = model.featureNames.length;
  const x = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    x[k] = model.slopes[k + 1]! * features[model.featureNames[k]!] + model.intercepts[k + 1]!;
  }
  let sum = 0;
  const sv = model.supportVectors;
  for (let i = 0; i < model.coefficients.length; i++) {
    let dist = 0;
    for (let k = 0; k < count; k++) {
      const d = x[k]! - sv[i * count + k]!;
      dist += d * d;
    }
    sum += model.coefficients[i]! * Math.exp(-model.gamma * dist);
  }
  let score = (sum - model.rho - model.intercepts[0]!) / model.slopes[0]!;
  if (model.scoreClip) score = Math.min(Math.max(score, model.scoreClip[0]), model.scoreClip[1]);
  return score;
}
