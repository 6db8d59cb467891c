import { CancelledError, UserError } from '../../errors';
import { ProcessError, runProcess } from '../../sys';
import type { Tools } from '../../sys';
import { isScoredFrame, normaliseStride, scoredFrameCount, scoredFrameIndices } from '../frame-set';
import { frameCountMismatch, type VmafInput } from '../inputs';
import type { VmafFeatures } from '../types';
import { lumaDecodeArgs, scoredLumaDecodeArgs } from './decode-args';
import { ProgressFile } from './decoded-count';
import type { FrameFeatures, FrameJob } from './frame-features';
import { FramePool, FrameReader, SKIPPED } from './frame-reader';
import { motion2 } from './motion';
import { VmafReferenceCache } from './reference-cache';
import { sharedFeaturePool } from './worker-pool';

export interface BuiltinRunOptions {
  tools: Tools;
  subsample: number;
  threads: number;
  signal?: AbortSignal;
  onProgress?: (framesDecoded: number) => void;
  /** Keeps the reference's scored frames and motion for the next measurement against it. */
  referenceCache?: VmafReferenceCache;
}

export interface BuiltinFeatures {
  frameCount: number;
  bitDepth: number;
  frames: { index: number; features: VmafFeatures }[];
}

/** A distorted frame that was not read: ffmpeg dropped it (unscored) and counted it. */
const NOT_READ = Symbol('unscored distorted frame, not read');
type Slot = Uint8Array | typeof SKIPPED | typeof NOT_READ;
interface WindowFrame {
  ref: Slot;
  dis: Slot;
}

/**
 * The built-in engine's pipeline: two ffmpeg processes decode the luma of both inputs to
 * pipes (or one, when the reference is cached); frames are paired in order and handed to worker
 * threads, at most a few frames in flight (2 per thread; the worker threads are shared
 * process-wide). Frame i is dispatched once frame i+1 is read, because motion needs the
 * neighbours. With subsample N only what a scored frame needs is kept: its distorted frame, its
 * reference frame and the reference frames either side (motion); the others are only counted.
 */
export async function computeBuiltinFeatures(
  reference: VmafInput,
  distorted: VmafInput,
  options: BuiltinRunOptions,
): Promise<BuiltinFeatures> {
  const { width, height } = reference;
  const bitDepth = Math.max(reference.bitDepth, distorted.bitDepth);
  const frameBytes = width * height * (bitDepth > 8 ? 2 : 1);
  const subsample = normaliseStride(options.subsample);
  const local = new AbortController();
  const forwardAbort = () => local.abort();
  options.signal?.addEventListener('abort', forwardAbort, { once: true });
  if (options.signal?.aborted) throw new CancelledError();

  const cacheKey = options.referenceCache ? VmafReferenceCache.keyOf(reference, bitDepth) : undefined;
  const cached = cacheKey ? options.referenceCache!.get(cacheKey, subsample) : undefined;
  // Frames of this reference kept by a measurement at another stride: not kept twice.
  const alreadyKept = cacheKey && !cached ? options.referenceCache!.kept(cacheKey) : undefined;
  const alreadyKeptBytes = alreadyKept ? options.referenceCache!.storedBytes : 0;
  // Filled during this run when the cache is asked for and empty; dropped once over its budget.
  let filling: { frames: Map<number, Uint8Array>; bytes: number } | undefined =
    cacheKey && !cached ? { frames: new Map(), bytes: 0 } : undefined;
  const buffers = new FramePool(frameBytes);
  // The distorted side needs only the scored frames: the others are dropped by ffmpeg, which
  // reports how many it decoded (decode-args.ts scoredLumaDecodeArgs). Not through a filter,
  // which could change the frame count ahead of the count.
  const progress = subsample > 1 && !distorted.through ? new ProgressFile() : undefined;
  const decode = (input: VmafInput, counted?: ProgressFile) => {
    const args = counted
      ? scoredLumaDecodeArgs(input.path, input.pixFmt, bitDepth, subsample, input.stream)
      : lumaDecodeArgs(input.path, input.pixFmt, bitDepth, input.through, input.stream);
    const run = runProcess(options.tools.ffmpeg, args, {
      stdout: 'stream',
      signal: local.signal,
      ...(counted ? { fd3: counted.fd } : {}),
    });
    const done = run.then(
      () => undefined,
      (error: unknown) => error,
    );
    return { reader: new FrameReader(run.child.stdout!, frameBytes, buffers.acquire), done, input, stdout: run.child.stdout! };
  };
  let ref: ReturnType<typeof decode> | undefined;
  let dis: ReturnType<typeof decode>;
  try {
    ref = cached ? undefined : decode(reference);
    dis = decode(distorted, progress);
  } catch (error) {
    progress?.close();
    throw error;
  }
  const decoders = ref ? [ref, dis] : [dis];
  /** Every frame of the distorted input, the unscored ones too, once its decoder is done. */
  const distortedFrames = async (readSoFar: number): Promise<number> => {
    const remaining = await dis.reader.countRemaining();
    await failedDecode(dis);
    if (!progress) return readSoFar + remaining;
    const counted = progress.decodedFrames();
    if (counted === undefined) throw new Error(`${distorted.path}: ffmpeg did not report how many frames it decoded`);
    const scoredCount = scoredFrameCount(counted, subsample);
    const bytes = dis.reader.bytesRead;
    if (bytes === scoredCount * frameBytes) return counted;
    // Frames of another size than described: as a decode of every frame would, count the
    // described frames the decoded bytes make (what reading them all used to report).
    return scoredCount === 0 ? 0 : Math.floor((counted * bytes) / scoredCount / frameBytes);
  };
  const pool = sharedFeaturePool(Math.max(1, options.threads));
  const results = new Map<number, Promise<FrameFeatures>>();
  const maxInFlight = Math.max(2, options.threads * 2);
  const inFlight = new Set<Promise<void>>();
  const scored = (index: number) => isScoredFrame(index, subsample);
  const motionNeighbour = (index: number) => subsample === 1 || scored(index + 1) || scored(index - 1);
  const nextDistorted = (index: number): Promise<Slot | undefined> =>
    progress && !scored(index) ? Promise.resolve(NOT_READ) : dis.reader.next(scored(index));
  const nextReference = (index: number): Promise<Slot | undefined> => {
    if (ref) return ref.reader.next(scored(index) || motionNeighbour(index));
    if (index >= cached!.frameCount) return Promise.resolve(undefined);
    return Promise.resolve(scored(index) ? cached!.frames.get(index)! : SKIPPED);
  };
  const frame = (slot: Slot | undefined) => (slot instanceof Uint8Array ? slot : undefined);

  const dispatch = async (index: number, window: Map<number, WindowFrame>) => {
    if (!scored(index) && subsample > 1) return;
    const current = window.get(index)!;
    const job: FrameJob = {
      id: index,
      width,
      height,
      bitDepth,
      reference: frame(current.ref)!,
      distorted: frame(current.dis)!,
      scored: scored(index),
    };
    if (!cached && index > 0) {
      job.previousReference = frame(window.get(index - 1)!.ref);
      if (subsample > 1) job.nextReference = frame(window.get(index + 1)?.ref);
    }
    const held = [job.reference, job.distorted, job.previousReference, job.nextReference];
    for (const f of held) buffers.retain(f);
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const promise = pool.run(job);
    promise.catch(() => undefined);
    const settled = promise
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        for (const f of held) buffers.release(f);
        inFlight.delete(settled);
      });
    inFlight.add(settled);
    results.set(index, promise);
  };

  let frameCount = 0;
  try {
    const window = new Map<number, WindowFrame>();
    for (;;) {
      const [refFrame, disFrame] = await Promise.all([nextReference(frameCount), nextDistorted(frameCount)]);
      if (local.signal.aborted) throw new CancelledError();
      // An unread (unscored) distorted frame says nothing of the end: its count is checked below.
      if (!refFrame || !disFrame) {
        if (refFrame || (disFrame && disFrame !== NOT_READ)) {
          const refRemaining = !refFrame ? 0 : ref ? 1 + (await ref.reader.countRemaining()) : cached!.frameCount - frameCount;
          const disCount = await distortedFrames(frameCount + (disFrame ? 1 : 0));
          await failedDecode(...decoders);
          throw frameCountMismatch(reference, frameCount + refRemaining, distorted, disCount);
        }
        break;
      }
      if (filling && scored(frameCount) && refFrame instanceof Uint8Array && !alreadyKept?.frames.has(frameCount)) {
        if (options.referenceCache!.reserve(frameBytes, alreadyKeptBytes + filling.bytes)) {
          filling.bytes += frameBytes;
          buffers.retain(refFrame);
          filling.frames.set(frameCount, refFrame);
        } else {
          // Too big to keep (or the process's reference memory is taken): decoded every time instead.
          for (const kept of filling.frames.values()) buffers.release(kept);
          options.referenceCache!.release(filling.bytes);
          filling = undefined;
        }
      }
      window.set(frameCount, { ref: refFrame, dis: disFrame });
      if (frameCount > 0) await dispatch(frameCount - 1, window);
      const old = window.get(frameCount - 2);
      if (old) {
        window.delete(frameCount - 2);
        buffers.release(frame(old.ref));
        buffers.release(frame(old.dis));
      }
      frameCount++;
      options.onProgress?.(frameCount);
    }
    // Drained first: a longer distorted input's next scored frame may still wait in the pipe.
    const disCount = progress ? await distortedFrames(frameCount) : frameCount;
    await failedDecode(...decoders);
    if (disCount !== frameCount) throw frameCountMismatch(reference, frameCount, distorted, disCount);
    if (frameCount === 0) throw new UserError(`${reference.path}: no video frames could be decoded`, reference.path);
    await dispatch(frameCount - 1, window);
    for (const last of window.values()) {
      buffers.release(frame(last.ref));
      buffers.release(frame(last.dis));
    }
    const features = await Promise.all([...results.values()]);
    const frames = assemble(features, frameCount, subsample, cached?.motion2);
    if (filling && cacheKey) {
      options.referenceCache!.store(
        {
          key: cacheKey,
          frameCount,
          frames: filling.frames,
          motion2: new Map(frames.map((f) => [f.index, f.features.integer_motion2])),
        },
        filling.bytes,
      );
      filling = undefined;
    }
    return { frameCount, bitDepth, frames };
  } catch (error) {
    if (options.signal?.aborted) throw new CancelledError();
    throw error;
  } finally {
    // A measurement that failed or was cancelled stores nothing: its reservation goes back.
    if (filling) options.referenceCache!.release(filling.bytes);
    buffers.close();
    local.abort();
    // Closing our end of the pipes makes a decoder blocked on a full pipe exit at once (EPIPE)
    // instead of waiting for the SIGKILL that follows SIGTERM.
    for (const d of decoders) d.stdout.destroy();
    progress?.close();
    options.signal?.removeEventListener('abort', forwardAbort);
    // Jobs already handed to workers finish on their own (a frame each); their results are dropped.
  }
}

/** Raises the decode failure of either input, naming its file. */
async function failedDecode(...decoders: { done: Promise<unknown>; input: VmafInput }[]): Promise<void> {
  for (const { done, input } of decoders) {
    const error = await done;
    if (error instanceof ProcessError) throw new UserError(`${input.role} ${input.path}: decoding failed: ${error.message}`, input.path);
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the decoder's own rejection value unchanged
    if (error) throw error;
  }
}

function assemble(
  results: FrameFeatures[],
  frameCount: number,
  subsample: number,
  cachedMotion?: Map<number, number>,
): BuiltinFeatures['frames'] {
  const byIndex = new Map(results.map((r) => [r.id, r]));
  const frames: BuiltinFeatures['frames'] = [];
  for (const index of scoredFrameIndices(frameCount, subsample)) {
    const r = byIndex.get(index)!;
    const toNext = subsample === 1 ? byIndex.get(index + 1)?.motionToPrevious : r.motionToNext;
    frames.push({
      index,
      features: {
        integer_adm2: r.adm2!,
        integer_motion2: cachedMotion ? cachedMotion.get(index)! : motion2(index, frameCount, r.motionToPrevious, toNext),
        integer_vif_scale0: r.vif![0],
        integer_vif_scale1: r.vif![1],
        integer_vif_scale2: r.vif![2],
        integer_vif_scale3: r.vif![3],
      },
    });
  }
  return frames;
}
