import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { FramePool, FrameReader, SKIPPED } from '../../server/src/vmaf/builtin/frame-reader';

/** Frame i is filled with the byte i + 1. */
function frames(count: number, bytes: number): Buffer {
  const all = Buffer.alloc(count * bytes);
  for (let i = 0; i < count; i++) all.fill(i + 1, i * bytes, (i + 1) * bytes);
  return all;
}

/** Writes `data` in chunks of `chunk` bytes (not aligned to frames), then ends the stream. */
function feed(stream: PassThrough, data: Buffer, chunk: number): void {
  void (async () => {
    for (let at = 0; at < data.length; at += chunk) {
      if (!stream.write(data.subarray(at, at + chunk))) await new Promise((resolve) => stream.once('drain', resolve));
    }
    stream.end();
  })();
}

describe('built-in VMAF frame reader', () => {
  it('reads frames across unaligned chunks, copies kept ones, only counts skipped ones', async () => {
    const stream = new PassThrough({ highWaterMark: 7 });
    const reader = new FrameReader(stream, 10);
    feed(stream, frames(5, 10), 7);
    const got: (number | 'skipped')[] = [];
    for (let i = 0; ; i++) {
      const frame = await reader.next(i % 2 === 0);
      if (frame === undefined) break;
      if (frame === SKIPPED) got.push('skipped');
      else {
        assert.ok(frame.buffer instanceof SharedArrayBuffer);
        assert.ok(
          frame.every((b) => b === frame[0]),
          `frame ${i} is whole`,
        );
        got.push(frame[0]!);
      }
    }
    assert.deepEqual(got, [1, 'skipped', 3, 'skipped', 5]);
  });

  it('a truncated last frame is the end; countRemaining counts whole frames only', async () => {
    const stream = new PassThrough();
    const reader = new FrameReader(stream, 10);
    feed(stream, frames(4, 10).subarray(0, 35), 4);
    assert.equal(((await reader.next()) as Uint8Array)[0], 1);
    assert.equal(await reader.countRemaining(), 2);
    assert.equal(await reader.next(), undefined);
  });

  it('pauses the pipe while two frames wait, so memory stays bounded', async () => {
    const stream = new PassThrough({ highWaterMark: 16 });
    const reader = new FrameReader(stream, 100);
    feed(stream, frames(20, 100), 50);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(stream.isPaused());
    assert.ok(stream.readableLength + stream.writableLength <= 4 * 100, `buffered ${stream.readableLength}`);
    let count = 0;
    while (await reader.next(false)) count++;
    assert.equal(count, 20);
  });

  it('the frame pool reuses a buffer only once no holder is left, and ignores buffers it did not hand out', () => {
    const pool = new FramePool(8);
    const a = pool.acquire();
    pool.retain(a);
    pool.release(a);
    assert.notEqual(pool.acquire(), a, 'still held');
    pool.release(a);
    assert.equal(pool.acquire(), a, 'free again');
    const foreign = new Uint8Array(new SharedArrayBuffer(8));
    pool.retain(foreign);
    pool.release(foreign);
    assert.notEqual(pool.acquire(), foreign);
  });
});
