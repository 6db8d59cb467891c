import type { Readable } from 'node:stream';

/**
 * Reads fixed-size raw frames from a stream (an ffmpeg pipe), one at a time, so memory stays
 * bounded by the frames in flight. Each frame lands in its own SharedArrayBuffer so worker
 * threads can read it without a copy.
 */
export class FrameReader {
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly stream: Readable, readonly frameBytes: number) {
    stream.on('readable', () => this.notify());
    stream.on('end', () => { this.ended = true; this.notify(); });
    stream.on('close', () => { this.ended = true; this.notify(); });
    stream.on('error', (error: Error) => { this.failure = error; this.notify(); });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** The next frame, or undefined at the end of the stream. A truncated last frame counts as the end. */
  async next(): Promise<Uint8Array | undefined> {
    for (;;) {
      if (this.failure) throw this.failure;
      const chunk = this.stream.read(this.frameBytes) as Buffer | null;
      if (chunk) {
        if (chunk.length < this.frameBytes) return undefined;
        const frame = new Uint8Array(new SharedArrayBuffer(this.frameBytes));
        frame.set(chunk);
        return frame;
      }
      if (this.ended || this.stream.readableEnded) {
        return undefined;
      }
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
  }

  /** Reads and counts the remaining frames (to report both counts on a length mismatch). */
  async countRemaining(): Promise<number> {
    let count = 0;
    for (;;) {
      if (this.failure) throw this.failure;
      let chunk: Buffer | null;
      while ((chunk = this.stream.read(this.frameBytes) as Buffer | null)) if (chunk.length === this.frameBytes) count++;
      if (this.ended || this.stream.readableEnded) return count;
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
  }
}
