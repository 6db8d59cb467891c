import { CancelledError, UserError } from '../errors';
import { ProcessError, runProcess, type Tools } from '../sys';
import { FramePool, FrameReader } from '../vmaf';
import type { MetricInput } from './inputs';

export interface FramePairFeed {
  tools: Tools;
  reference: MetricInput;
  distorted: MetricInput;
  /** Bytes of one raw frame, the same for both inputs. */
  frameBytes: number;
  /** The ffmpeg arguments that decode an input to those raw frames. */
  decodeArgs: (input: MetricInput) => string[];
  signal?: AbortSignal;
}

/**
 * Decodes both inputs to raw frames through two ffmpeg pipes and hands the pairs, in order from
 * the first frame, to `score` (synchronously, so a frame's buffers are reused once it returns).
 * Frame counts must match; a decoder's failure names its file. Returns the number of frames.
 */
export async function feedFramePairs(
  feed: FramePairFeed,
  score: (reference: Uint8Array, distorted: Uint8Array, index: number) => void,
): Promise<number> {
  const local = new AbortController();
  const forwardAbort = () => local.abort();
  feed.signal?.addEventListener('abort', forwardAbort, { once: true });
  if (feed.signal?.aborted) throw new CancelledError();
  const buffers = new FramePool(feed.frameBytes);
  const decode = (input: MetricInput) => {
    const run = runProcess(feed.tools.ffmpeg, feed.decodeArgs(input), { stdout: 'stream', signal: local.signal });
    const done = run.then(
      () => undefined,
      (error: unknown) => error,
    );
    return { reader: new FrameReader(run.child.stdout!, feed.frameBytes, buffers.acquire), done, input, stdout: run.child.stdout! };
  };
  const decoders = [decode(feed.reference), decode(feed.distorted)] as const;
  let count = 0;
  try {
    for (;;) {
      const [ref, dis] = await Promise.all([decoders[0].reader.next(), decoders[1].reader.next()]);
      if (local.signal.aborted) throw new CancelledError();
      const refFrame = ref instanceof Uint8Array ? ref : undefined;
      const disFrame = dis instanceof Uint8Array ? dis : undefined;
      if (!refFrame || !disFrame) {
        if (refFrame || disFrame) {
          const refCount = count + (refFrame ? 1 + (await decoders[0].reader.countRemaining()) : 0);
          const disCount = count + (disFrame ? 1 + (await decoders[1].reader.countRemaining()) : 0);
          await failedDecode(decoders);
          throw new UserError(
            `frame counts differ: reference ${feed.reference.path} has ${refCount} frames, distorted ${feed.distorted.path} has ${disCount}`,
            feed.distorted.path,
          );
        }
        break;
      }
      score(refFrame, disFrame, count);
      buffers.release(refFrame);
      buffers.release(disFrame);
      count++;
    }
    await failedDecode(decoders);
    if (count === 0) throw new UserError(`${feed.reference.path}: no video frames could be decoded`, feed.reference.path);
    return count;
  } catch (error) {
    if (feed.signal?.aborted) throw new CancelledError();
    throw error;
  } finally {
    local.abort();
    for (const d of decoders) d.stdout.destroy();
    feed.signal?.removeEventListener('abort', forwardAbort);
  }
}

async function failedDecode(decoders: readonly { done: Promise<unknown>; input: MetricInput }[]): Promise<void> {
  for (const { done, input } of decoders) {
    const error = await done;
    if (error instanceof ProcessError) throw new UserError(`${input.role} ${input.path}: decoding failed: ${error.message}`, input.path);
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the decoder's own rejection value unchanged
    if (error) throw error;
  }
}
