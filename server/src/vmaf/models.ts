import { UserError } from '../errors';
import { parseVmafModel, type VmafModel } from './model';
import model4k from '../../vmaf-model/vmaf_4k_v0.6.1.json';
import modelDefault from '../../vmaf-model/vmaf_v0.6.1.json';
import { MAX_SMALL_FILE_BYTES, readRegularFileSync } from '../sys';

/** Which model: the two bundled ones by name, or a libvmaf JSON model file. */
export type ModelChoice = { kind: 'builtin'; name: 'v0.6.1' | '4k' } | { kind: 'file'; path: string };

/** ab-av1's rule: the 4K model when the distorted video is wider than 2560 and taller than 1440. */
export function chooseModel(model: string | undefined, width: number, height: number): ModelChoice {
  if (!model) return { kind: 'builtin', name: width > 2560 && height > 1440 ? '4k' : 'v0.6.1' };
  if (model === 'v0.6.1' || model === 'vmaf_v0.6.1') return { kind: 'builtin', name: 'v0.6.1' };
  if (model === '4k' || model === 'vmaf_4k_v0.6.1') return { kind: 'builtin', name: '4k' };
  return { kind: 'file', path: model };
}

export function modelLabel(choice: ModelChoice): string {
  return choice.kind === 'builtin' ? choice.name : choice.path;
}

const cache = new Map<string, VmafModel>();

export function loadModel(choice: ModelChoice): VmafModel {
  const key = choice.kind === 'builtin' ? `builtin:${choice.name}` : `file:${choice.path}`;
  let model = cache.get(key);
  if (model) return model;
  const json = readModelJson(choice);
  try {
    model = parseVmafModel(json, choice.kind === 'builtin' ? `vmaf ${choice.name}` : `model ${choice.path}`);
  } catch (error) {
    if (choice.kind === 'builtin') throw error;
    throw new UserError((error as Error).message, choice.path);
  }
  cache.set(key, model);
  return model;
}

/** The model's JSON document: a bundled one, or the file's contents. */
export function readModelJson(choice: ModelChoice): unknown {
  if (choice.kind === 'builtin') return choice.name === '4k' ? model4k : modelDefault;
  try {
    return JSON.parse(readRegularFileSync(choice.path, MAX_SMALL_FILE_BYTES, 'a VMAF model'));
  } catch (error) {
    throw new UserError(
      `model ${choice.path}: cannot be read as a JSON VMAF model (${(error as Error).message.split('\n')[0]})`,
      choice.path,
    );
  }
}
