import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../errors';
import { featureOptionNames, modelFileSchema } from './model';

/**
 * libvmaf 1.x (ffmpeg 4.x's libvmaf filter, still in many static builds) reads its model as a
 * Python protocol-0 pickle (`X.pkl`) beside a libsvm text file (`X.pkl.model`), and knows its
 * features by their float names. We ship and accept JSON models only, so the legacy pair is
 * written from the same JSON model, once per model, into a cache directory.
 */

/** The v0.6.1 features under libvmaf 1.x's names (its float implementations of the same features). */
const LEGACY_FEATURE = /^VMAF_(?:integer_)?feature_(adm2|motion2|vif_scale[0-3])_score$/;

function pickleString(value: string): string {
  return `S'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'\n`;
}

function pickleFloat(value: number): string {
  return `F${Number.isInteger(value) ? value.toFixed(1) : String(value)}\n`;
}

function pickleList<T>(items: readonly T[], encode: (item: T) => string): string {
  return `(l${items.map((item) => `${encode(item)}a`).join('')}`;
}

/**
 * The `.pkl` text and the `.pkl.model` text for a JSON model, or an error naming what libvmaf 1.x
 * cannot evaluate (pure).
 */
export function legacyModelFiles(json: unknown, source: string): { pickle: string; libsvm: string } {
  const parsed = modelFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${source}: libvmaf 1.x can only run LIBSVMNUSVR models with linear_rescale`);
  const dict = parsed.data.model_dict;
  const options = featureOptionNames(dict);
  if (options.length) throw new Error(`${source}: libvmaf 1.x cannot apply the model's feature options (${options.join(', ')})`);
  const featureNames = dict.feature_names.map((name) => {
    const feature = LEGACY_FEATURE.exec(name)?.[1];
    if (!feature) throw new Error(`${source}: libvmaf 1.x does not compute feature "${name}"`);
    return `VMAF_feature_${feature}_score`;
  });
  const items: [string, string][] = [
    ['model_type', pickleString('LIBSVMNUSVR')],
    ['norm_type', pickleString(dict.norm_type)],
    ['feature_names', pickleList(featureNames, pickleString)],
    ['slopes', pickleList(dict.slopes, pickleFloat)],
    ['intercepts', pickleList(dict.intercepts, pickleFloat)],
  ];
  if (dict.score_clip) items.push(['score_clip', pickleList(dict.score_clip, pickleFloat)]);
  const modelDict = `(d${items.map(([key, value]) => `${pickleString(key)}${value}s`).join('')}`;
  return { pickle: `(d${pickleString('model_dict')}${modelDict}s.`, libsvm: dict.model };
}

/**
 * Writes the legacy pair for `json` (once; keyed by the JSON's hash) and returns the `.pkl` path.
 * Written under temporary names and renamed, so parallel measurements never read half a file.
 */
export async function legacyModelPath(
  json: unknown,
  source: string,
  cacheRoot = path.join(tmpdir(), 'chunked-av1-libvmaf1-models'),
): Promise<string> {
  let files: { pickle: string; libsvm: string };
  try {
    files = legacyModelFiles(json, source);
  } catch (error) {
    throw new UserError(`${(error as Error).message}; use --vmaf-engine builtin or an ffmpeg with libvmaf 2 or later`, source);
  }
  const key = createHash('sha256').update(files.pickle).update('\0').update(files.libsvm).digest('hex').slice(0, 16);
  const dir = path.join(cacheRoot, key);
  const pickle = path.join(dir, 'model.pkl');
  const existing = await readFile(pickle, 'utf8').catch(() => undefined);
  if (existing === files.pickle) return pickle;
  await mkdir(dir, { recursive: true });
  const suffix = `.${process.pid}.${Date.now()}.tmp`;
  // libvmaf 1.x opens `<model_path>.model` for the support vectors: write it before the pickle.
  await writeFile(`${pickle}.model${suffix}`, files.libsvm);
  await rename(`${pickle}.model${suffix}`, `${pickle}.model`);
  await writeFile(`${pickle}${suffix}`, files.pickle);
  await rename(`${pickle}${suffix}`, pickle);
  return pickle;
}
