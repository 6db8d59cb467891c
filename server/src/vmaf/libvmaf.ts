import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors';
import { ProcessError, runProcess } from '../sys';
import type { LibvmafApi, Tools } from '../sys';
import { scoredFrameIndices } from './frame-set';
import { frameCountMismatch, type VmafInput } from './inputs';
import { libvmafArgs } from './libvmaf-args';
import { countFramesArgs } from '../probe';
import { legacyModelPath } from './libvmaf-legacy-model';
import { modelLabel, readModelJson, type ModelChoice } from './models';
import type { VmafFeatures } from './types';

/** Runs ffmpeg's libvmaf filter and reads its per-frame scores from the JSON log. */

const logSchema = z.object({
  frames: z.array(
    z.object({
      frameNum: z.number().int().nonnegative(),
      metrics: z.record(z.string(), z.number()),
    }),
  ),
});

export interface LibvmafFrames {
  frameCount: number;
  frames: { index: number; vmaf: number; features: VmafFeatures }[];
}

async function countFrames(tools: Tools, input: VmafInput, signal?: AbortSignal): Promise<number> {
  const { stdout } = await runProcess(tools.ffprobe, countFramesArgs(input.path, input.stream), { signal });
  const count = Number.parseInt(stdout.trim().split(/\s+/)[0] ?? '', 10);
  if (!Number.isFinite(count)) throw new UserError(`${input.role} ${input.path}: could not count its frames`, input.path);
  return count;
}

/**
 * libvmaf 1.x logs its float features without the `integer_` prefix. They are the same six
 * features, computed in floating point, so they fill the same fields.
 */
function featureKey(api: LibvmafApi, name: keyof VmafFeatures): string {
  return api === 'v1' ? name.replace(/^integer_/, '') : name;
}

export function parseLibvmafLog(text: string, api: LibvmafApi = 'v2'): LibvmafFrames['frames'] {
  const log = logSchema.parse(JSON.parse(text));
  return log.frames.map(({ frameNum, metrics }) => {
    const get = (name: keyof VmafFeatures | 'vmaf') => {
      const key = name === 'vmaf' ? name : featureKey(api, name);
      const value = metrics[key];
      if (value === undefined) throw new Error(`libvmaf log: frame ${frameNum} has no "${key}"`);
      return value;
    };
    return {
      index: frameNum,
      vmaf: get('vmaf'),
      features: {
        integer_adm2: get('integer_adm2'),
        integer_motion2: get('integer_motion2'),
        integer_vif_scale0: get('integer_vif_scale0'),
        integer_vif_scale1: get('integer_vif_scale1'),
        integer_vif_scale2: get('integer_vif_scale2'),
        integer_vif_scale3: get('integer_vif_scale3'),
      },
    };
  });
}

/**
 * Both engines must report the same frames (frame-set.ts): which frames are scored decides whether
 * the pooled score is biased, so a libvmaf whose n_subsample picked another set is an error, not
 * a silently different measure.
 */
export function requireScoredFrames(frames: LibvmafFrames['frames'], frameCount: number, subsample: number, ffmpeg: string): void {
  const expected = scoredFrameIndices(frameCount, subsample);
  const got = frames.map((f) => f.index);
  if (got.length !== expected.length || got.some((index, i) => index !== expected[i])) {
    throw new Error(
      `${ffmpeg}: libvmaf scored frames ${got.slice(0, 6).join(', ')}… (${got.length}) where n_subsample=${subsample} of ${frameCount} frames means ${expected.slice(0, 6).join(', ')}… (${expected.length})`,
    );
  }
}

export async function runLibvmaf(
  tools: Tools,
  api: LibvmafApi,
  reference: VmafInput,
  distorted: VmafInput,
  modelChoice: ModelChoice,
  subsample: number,
  threads: number,
  signal?: AbortSignal,
  /** The pixel format the reference is converted into first (inputs.ts inMeasuredPixelFormat). */
  referencePixelFormat?: string,
): Promise<LibvmafFrames> {
  const [refCount, disCount] = await Promise.all([countFrames(tools, reference, signal), countFrames(tools, distorted, signal)]);
  if (refCount !== disCount) throw frameCountMismatch(reference, refCount, distorted, disCount);
  const model =
    api === 'v1'
      ? { kind: 'legacy-pickle' as const, path: await legacyModelPath(readModelJson(modelChoice), modelLabel(modelChoice)) }
      : modelChoice;
  const dir = await mkdtemp(path.join(tmpdir(), 'chunked-av1-vmaf-'));
  try {
    const logPath = path.join(dir, 'vmaf.json');
    try {
      await runProcess(
        tools.ffmpeg,
        libvmafArgs({
          reference: reference.path,
          distorted: distorted.path,
          model,
          subsample,
          threads,
          logPath,
          referencePixelFormat,
          referenceStream: reference.stream,
          distortedStream: distorted.stream,
        }),
        { signal, stdout: 'ignore' },
      );
    } catch (error) {
      if (error instanceof ProcessError) throw new UserError(`libvmaf failed on ${distorted.path}: ${error.message}`, distorted.path);
      throw error;
    }
    const frames = parseLibvmafLog(await readFile(logPath, 'utf8'), api);
    requireScoredFrames(frames, refCount, subsample, tools.ffmpeg);
    return { frameCount: refCount, frames };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
