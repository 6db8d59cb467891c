import os from 'node:os';
import { CancelledError, UserError } from '../errors';
import { libvmafTools, resolveTools, toolCapabilities, type LibvmafApi, type Tools } from '../sys';
import { computeBuiltinFeatures } from './builtin/engine';
import { inMeasuredPixelFormat, probeVmafInput, requireSameSize, resolveVmafInput } from './inputs';
import { scoredFrameWeights, weightedScores } from './frame-set';
import { runLibvmaf } from './libvmaf';
import { predictVmaf } from './model';
import { chooseModel, loadModel, modelLabel } from './models';
import { isVmafPool, poolAll, poolScores } from './pooling';
import type { VmafEngineChoice, VmafEngineName, VmafInputInfo, VmafOptions, VmafResult } from './types';

export type * from './types';
export { poolScores, poolAll, isVmafPool, poolMean, poolPercentile } from './pooling';
export { VmafReferenceCache } from './builtin/reference-cache';
// A job holds the VMAF worker threads for its whole run and ends them when it ends.
export { holdVmafWorkers, withVmafWorkers } from './builtin/worker-pool';
export { conversionLabel, engineLabel, poolLabel, vmafResultLine } from './label';

/** Width, height and pixel format of a file's first video stream (one ffprobe), for `inputs`. */
export async function describeVmafInput(file: string, options: Pick<VmafOptions, 'tools' | 'signal'> = {}): Promise<VmafInputInfo> {
  const { width, height, pixFmt } = await probeVmafInput(resolveTools(options.tools), file, 'reference', options.signal);
  return { width, height, pixFmt };
}

/** Default worker count: the machine's CPUs, at most 4 (VMAF shares the machine with encoders). */
export function defaultVmafThreads(): number {
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cpus));
}

/**
 * FFmpeg 5.x's libvmaf filter copies only `width` bytes of each row for >8-bit input (half of a
 * 16-bit row), so its 10-bit scores are wrong; ffmpeg 4.x's libvmaf 1.x filter scores 10-bit
 * input far from libvmaf 3 too (VIF and motion; measured 88.6 against 91.9). `auto` then prefers
 * the built-in engine. A snapshot build's banner (N-12345-g…) has no version: trusted unless 1.x.
 */
export function libvmafFilterScoresHighBitDepth(ffmpegVersionLine: string, api: LibvmafApi = 'v2'): boolean {
  if (api === 'v1') return false;
  const major = /ffmpeg version n?(\d+)\./i.exec(ffmpegVersionLine)?.[1];
  return major === undefined || Number(major) >= 6;
}

/**
 * Which engine measures inputs of `bitDepth` bits: `auto` takes the VMAF ffmpeg's libvmaf filter
 * when it has one that reads that bit depth correctly, else the built-in engine; `libvmaf` insists.
 */
export async function chooseVmafEngine(
  tools: Tools,
  choice: VmafEngineChoice | undefined,
  bitDepth: number,
): Promise<{ engine: VmafEngineName; libvmafApi: LibvmafApi }> {
  if (choice === 'builtin') return { engine: 'builtin', libvmafApi: 'v2' };
  const vmafTools = libvmafTools(tools);
  const caps = await toolCapabilities(vmafTools);
  if (choice === 'libvmaf' && !caps.hasLibvmaf) {
    throw new UserError(
      `${vmafTools.ffmpeg}: this ffmpeg has no libvmaf filter; use --engine builtin (or auto), or point --vmaf-ffmpeg at one that has it`,
      vmafTools.ffmpeg,
    );
  }
  const libvmafApi = caps.libvmafApi ?? 'v2';
  const trustLibvmaf = choice === 'libvmaf' || bitDepth <= 8 || libvmafFilterScoresHighBitDepth(caps.version, libvmafApi);
  return { engine: caps.hasLibvmaf && trustLibvmaf ? 'libvmaf' : 'builtin', libvmafApi };
}

/**
 * VMAF of `distorted` against `reference`, frame by frame from the first frame of each.
 * Uses ffmpeg's libvmaf filter when available (engine auto) and the built-in implementation of
 * VMAF v0.6.1 otherwise; both are pooled here, identically.
 */
export async function measureVmaf(reference: string, distorted: string, options: VmafOptions = {}): Promise<VmafResult> {
  const tools = resolveTools(options.tools);
  const pool = options.pool ?? 'mean';
  if (!isVmafPool(pool)) throw new UserError(`unknown VMAF pooling "${String(pool)}" (use mean, harmonic_mean, min or pN)`);
  const subsample = Math.floor(options.subsample ?? 1);
  if (!(subsample >= 1)) throw new UserError(`VMAF subsample must be a whole number >= 1, got ${options.subsample}`);
  const threads = Math.max(1, Math.floor(options.threads ?? defaultVmafThreads()));
  const signal = options.signal;

  const [asGiven, dis] = await Promise.all([
    resolveVmafInput(tools, reference, 'reference', options.inputs?.reference, signal),
    resolveVmafInput(tools, distorted, 'distorted', options.inputs?.distorted, signal),
  ]);
  requireSameSize(asGiven, dis);
  // Both sides in the encode's pixel format (inputs.ts): what the encoder itself was fed.
  const ref = inMeasuredPixelFormat(asGiven, dis);
  const referenceConvertedFrom = ref === asGiven ? undefined : asGiven.pixFmt;
  const modelChoice = chooseModel(options.model, dis.width, dis.height);
  const model = modelChoice.kind === 'file' || options.engine === 'builtin' ? loadModel(modelChoice) : undefined;

  const vmafTools = libvmafTools(tools);
  const { engine, libvmafApi } = await chooseVmafEngine(tools, options.engine, dis.bitDepth);

  if (engine === 'libvmaf' && (asGiven.through || dis.through)) {
    throw new Error('an input decoded through a filter (inputs.*.through) can only be measured by the built-in engine');
  }
  let frames: VmafResult['frames'];
  let frameCount: number;
  let bitDepth = dis.bitDepth;
  if (engine === 'libvmaf') {
    const result = await runLibvmaf(
      vmafTools,
      libvmafApi,
      asGiven,
      dis,
      modelChoice,
      subsample,
      threads,
      signal,
      referenceConvertedFrom && dis.pixFmt,
    );
    frames = result.frames;
    frameCount = result.frameCount;
  } else {
    const evaluator = model ?? loadModel(modelChoice);
    const result = await computeBuiltinFeatures(ref, dis, {
      tools,
      subsample,
      threads,
      signal,
      onProgress: options.onProgress,
      referenceCache: options.referenceCache,
    });
    frames = result.frames.map(({ index, features }) => ({ index, vmaf: predictVmaf(evaluator, features), features }));
    frameCount = result.frameCount;
    bitDepth = result.bitDepth;
  }
  if (signal?.aborted) throw new CancelledError();
  if (frames.length === 0) throw new UserError(`${distorted}: no frames were scored`, distorted);
  // Pooled as if every frame had been scored: each scored frame counts for the frames it stands for.
  const scores =
    subsample === 1
      ? frames.map((f) => f.vmaf)
      : weightedScores(
          frames.map((f) => f.vmaf),
          scoredFrameWeights(frameCount, subsample),
        );
  return {
    score: poolScores(scores, pool),
    pool,
    pooled: poolAll(scores),
    frames,
    engine,
    model: modelLabel(modelChoice),
    frameCount,
    width: ref.width,
    height: ref.height,
    bitDepth,
    pixelFormat: dis.pixFmt,
    ...(referenceConvertedFrom ? { referenceConvertedFrom } : {}),
  };
}

// Also used by other stages:
export { bitDepthOfPixelFormat } from './builtin/decode-args';
export { FramePool, FrameReader } from './builtin/frame-reader';
export { ENCODER_MINI_GOP_FRAMES, aliasesWithMiniGop } from './frame-set';
export { probeVmafInput, requireSameSize, type VmafInput } from './inputs';
export { WasmArena, kernelModule } from './wasm/arena';
export type { KernelModuleExports } from './wasm/arena';
