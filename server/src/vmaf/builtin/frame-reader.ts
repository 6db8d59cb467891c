import type { Readable } from 'node:stream';

/** What `next(false)` returns for a frame that was there but not kept. */
export const SKIPPED = Symbol('skipped frame');

/**
 * Reads fixed-size raw frames from a stream (an ffmpeg pipe), one at a time, so memory stays
 * bounded by the frames in flight. A kept frame is copied once, straight from the pipe's chunks
 * into its own SharedArrayBuffer (worker threads read it without a copy); a frame that is not
 * kept is only counted. Going through `readable.read(n)` cost a second copy into a fresh buffer
 * for every frame, scored or not: with subsample 8 most of the engine's main-thread time
 * (page faults of fresh memory, ~0.6 CPU s per 640x360 10-bit measurement of 175 frames).
 */
export class FrameReader {
  private readonly chunks: Buffer[] = [];
  /** Bytes already consumed of chunks[0]. */
  private offset = 0;
  private buffered = 0;
  /** Whole frames consumed so far, in bytes. */
  private consumed = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly stream: Readable,
    readonly frameBytes: number,
    private readonly allocate: () => Uint8Array = () => new Uint8Array(new SharedArrayBuffer(frameBytes)),
  ) {
    stream.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      // Backpressure: the decoder waits on the pipe once two frames are buffered.
      if (this.buffered >= 2 * frameBytes) stream.pause();
      this.notify();
    });
    stream.on('end', () => {
      this.ended = true;
      this.notify();
    });
    stream.on('close', () => {
      this.ended = true;
      this.notify();
    });
    stream.on('error', (error: Error) => {
      this.failure = error;
      this.notify();
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Waits until a whole frame is buffered; false at the end of the stream (a truncated last frame counts as the end). */
  private async fill(): Promise<boolean> {
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.buffered >= this.frameBytes) return true;
      if (this.ended || this.stream.readableEnded) return false;
      if (this.stream.isPaused()) this.stream.resume();
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** Consumes one buffered frame, copying it into `into` when given. */
  private take(into: Uint8Array | undefined): void {
    let done = 0;
    while (done < this.frameBytes) {
      const chunk = this.chunks[0]!;
      const n = Math.min(chunk.length - this.offset, this.frameBytes - done);
      into?.set(chunk.subarray(this.offset, this.offset + n), done);
      done += n;
      this.offset += n;
      if (this.offset === chunk.length) {
        this.chunks.shift();
        this.offset = 0;
      }
    }
    this.buffered -= this.frameBytes;
    this.consumed += this.frameBytes;
    if (this.buffered < 2 * this.frameBytes && this.stream.isPaused() && !this.ended) this.stream.resume();
  }

  /** The next frame (or SKIPPED when `keep` is false), or undefined at the end of the stream. */
  async next(keep = true): Promise<Uint8Array | typeof SKIPPED | undefined> {
    if (!(await this.fill())) return undefined;
    if (!keep) {
      this.take(undefined);
      return SKIPPED;
    }
    const frame = this.allocate();
    this.take(frame);
    return frame;
  }

  /** Every byte the stream carried (a truncated last frame included), once countRemaining has drained it. */
  get bytesRead(): number {
    return this.consumed + this.buffered;
  }

  /** Reads and counts the remaining frames (to report both counts on a length mismatch). */
  async countRemaining(): Promise<number> {
    let count = 0;
    while (await this.next(false)) count++;
    return count;
  }
}

/**
 * Frame buffers a finished measurement left free, for the next measurement of the same frame size
 * (a segment's probes and its verification follow one another): fresh memory is what reading frames
 * costs (first touch of every page). At most SPARE_BYTES, of one frame size; dropped when the last
 * job holding the VMAF workers ends (worker-pool.ts) or the frame size changes.
 */
const SPARE_BYTES = 64 * 1024 * 1024;
const spare: Uint8Array[] = [];

/** Drops the spare frame buffers (nothing measures any more). */
export function dropSpareFrames(): void {
  spare.length = 0;
}

function keepSpare(frame: Uint8Array): void {
  if (spare.length > 0 && spare[0]!.byteLength !== frame.byteLength) spare.length = 0;
  if ((spare.length + 1) * frame.byteLength <= SPARE_BYTES) spare.push(frame);
}

function takeSpare(frameBytes: number): Uint8Array | undefined {
  return spare.length > 0 && spare[0]!.byteLength === frameBytes ? spare.pop() : undefined;
}

/**
 * Reuses frame buffers within one measurement: fresh memory is what reading frames cost (first
 * touch of every page, ~1.7 ms per 640x360 10-bit frame here, against 0.02 ms to copy into a
 * buffer already touched). Holders count: the read window and each worker job holding a frame;
 * a frame is reused only when no holder is left, so no worker ever reads a buffer being refilled.
 * Frames this pool did not hand out (a cached reference's) are ignored. Once the measurement is
 * over (close()), frames that become free go to the spare buffers of the next measurement; frames
 * kept by a reference cache keep their holder and never do.
 */
export class FramePool {
  private readonly free: Uint8Array[] = [];
  private readonly holders = new Map<Uint8Array, number>();
  private closed = false;

  constructor(readonly frameBytes: number) {}

  /** A buffer with one holder (the caller). */
  acquire = (): Uint8Array => {
    const frame = this.free.pop() ?? takeSpare(this.frameBytes) ?? new Uint8Array(new SharedArrayBuffer(this.frameBytes));
    this.holders.set(frame, 1);
    return frame;
  };

  retain(frame: Uint8Array | undefined): void {
    const n = frame && this.holders.get(frame);
    if (n) this.holders.set(frame, n + 1);
  }

  release(frame: Uint8Array | undefined): void {
    const n = frame && this.holders.get(frame);
    if (!n) return;
    if (n > 1) this.holders.set(frame, n - 1);
    else {
      this.holders.delete(frame);
      if (this.closed) keepSpare(frame);
      else this.free.push(frame);
    }
  }

  /** The measurement is over: free frames (and those its last jobs release) go to the next one. */
  close(): void {
    this.closed = true;
    for (const frame of this.free.splice(0)) keepSpare(frame);
  }
}
