import { CancelledError, UserError } from '../../errors';
import { ProcessError, runProcess } from '../../processes';
import type { Tools } from '../../tools';
import { frameCountMismatch, type VmafInput } from '../inputs';
import type { VmafFeatures } from '../types';
import { lumaDecodeArgs } from './decode-args';
import type { FrameFeatures, FrameJob } from './frame-features';
import { FrameReader } from './frame-reader';
import { motion2 } from './motion';
import { sharedFeaturePool } from './worker-pool';

export interface BuiltinRunOptions {
  tools: Tools;
  subsample: number;
  threads: number;
  signal?: AbortSignal;
  onProgress?: (framesDecoded: number) => void;
}

export interface BuiltinFeatures {
  frameCount: number;
  bitDepth: number;
  frames: { index: number; features: VmafFeatures }[];
}

/**
 * The built-in engine's pipeline: two ffmpeg processes decode the luma of both inputs to
 * pipes; frames are paired in order and handed to worker threads, at most a few frames in
 * flight (2 per thread; the worker threads are shared process-wide). Frame i is dispatched once
 * frame i+1 is read, because motion needs the neighbours.
 */
export async function computeBuiltinFeatures(reference: VmafInput, distorted: VmafInput, options: BuiltinRunOptions): Promise<BuiltinFeatures> {
  const { width, height } = reference;
  const bitDepth = Math.max(reference.bitDepth, distorted.bitDepth);
  const frameBytes = width * height * (bitDepth > 8 ? 2 : 1);
  const subsample = Math.max(1, Math.floor(options.subsample));
  const local = new AbortController();
  const forwardAbort = () => local.abort();
  options.signal?.addEventListener('abort', forwardAbort, { once: true });
  if (options.signal?.aborted) throw new CancelledError();

  const decode = (input: VmafInput) => {
    const run = runProcess(options.tools.ffmpeg, lumaDecodeArgs(input.path, input.pixFmt, bitDepth), { stdout: 'stream', signal: local.signal });
    const done = run.then(() => undefined, (error: unknown) => error);
    return { reader: new FrameReader(run.child.stdout!, frameBytes), done, input, stdout: run.child.stdout! };
  };
  const ref = decode(reference);
  const dis = decode(distorted);
  const pool = sharedFeaturePool(Math.max(1, options.threads));
  const results = new Map<number, Promise<FrameFeatures>>();
  const maxInFlight = Math.max(2, options.threads * 2);
  const inFlight = new Set<Promise<void>>();

  const dispatch = async (index: number, frames: Map<number, { ref: Uint8Array; dis: Uint8Array }>) => {
    const current = frames.get(index)!;
    const scored = index % subsample === 0;
    const job: FrameJob = { id: index, width, height, bitDepth, reference: current.ref, distorted: current.dis, scored };
    if (subsample === 1) {
      if (index > 0) job.previousReference = frames.get(index - 1)!.ref;
    } else if (scored && index > 0) {
      job.previousReference = frames.get(index - 1)!.ref;
      job.nextReference = frames.get(index + 1)?.ref;
    }
    if (!scored && subsample > 1) return;
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const promise = pool.run(job);
    promise.catch(() => undefined);
    const settled = promise.then(() => undefined);
    inFlight.add(settled);
    settled.then(() => inFlight.delete(settled), () => inFlight.delete(settled));
    results.set(index, promise);
  };

  let frameCount = 0;
  try {
    const window = new Map<number, { ref: Uint8Array; dis: Uint8Array }>();
    for (;;) {
      const [refFrame, disFrame] = await Promise.all([ref.reader.next(), dis.reader.next()]);
      if (local.signal.aborted) throw new CancelledError();
      if (!refFrame || !disFrame) {
        if (refFrame || disFrame) {
          const refCount = frameCount + (refFrame ? 1 + await ref.reader.countRemaining() : 0);
          const disCount = frameCount + (disFrame ? 1 + await dis.reader.countRemaining() : 0);
          await failedDecode(ref, dis);
          throw frameCountMismatch(reference, refCount, distorted, disCount);
        }
        break;
      }
      window.set(frameCount, { ref: refFrame, dis: disFrame });
      if (frameCount > 0) await dispatch(frameCount - 1, window);
      window.delete(frameCount - 2);
      frameCount++;
      options.onProgress?.(frameCount);
    }
    await failedDecode(ref, dis);
    if (frameCount === 0) throw new UserError(`${reference.path}: no video frames could be decoded`, reference.path);
    await dispatch(frameCount - 1, window);
    const features = await Promise.all([...results.values()]);
    return { frameCount, bitDepth, frames: assemble(features, frameCount, subsample) };
  } catch (error) {
    if (options.signal?.aborted) throw new CancelledError();
    throw error;
  } finally {
    local.abort();
    // Closing our end of the pipes makes a decoder blocked on a full pipe exit at once (EPIPE)
    // instead of waiting for the SIGKILL that follows SIGTERM.
    ref.stdout.destroy();
    dis.stdout.destroy();
    options.signal?.removeEventListener('abort', forwardAbort);
    // Jobs already handed to workers finish on their own (a frame each); their results are dropped.
  }
}

/** Raises the decode failure of either input, naming its file. */
async function failedDecode(...decoders: { done: Promise<unknown>; input: VmafInput }[]): Promise<void> {
  for (const { done, input } of decoders) {
    const error = await done;
    if (error instanceof ProcessError) throw new UserError(`${input.role} ${input.path}: decoding failed: ${error.message}`, input.path);
    if (error) throw error;
  }
}

function assemble(results: FrameFeatures[], frameCount: number, subsample: number): BuiltinFeatures['frames'] {
  const byIndex = new Map(results.map((r) => [r.id, r]));
  const frames: BuiltinFeatures['frames'] = [];
  for (let index = 0; index < frameCount; index += subsample) {
    const r = byIndex.get(index)!;
    const toNext = subsample === 1 ? byIndex.get(index + 1)?.motionToPrevious : r.motionToNext;
    frames.push({
      index,
      features: {
        integer_adm2: r.adm2!,
        integer_motion2: motion2(index, frameCount, r.motionToPrevious, toNext),
        integer_vif_scale0: r.vif![0], integer_vif_scale1: r.vif![1], integer_vif_scale2: r.vif![2], integer_vif_scale3: r.vif![3],
      },
    });
  }
  return frames;
}
