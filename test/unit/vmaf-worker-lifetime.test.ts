import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FrameJob } from '../../server/src/vmaf/builtin/frame-features';
import { ReferenceMemory, VmafReferenceCache, referenceMemoryLimit } from '../../server/src/vmaf/builtin/reference-cache';
import { FeatureWorkerPool } from '../../server/src/vmaf/builtin/worker-pool';

const MiB = 1024 * 1024;

function job(id: number): FrameJob {
  const width = 64,
    height = 48;
  const plane = () => {
    const frame = new Uint8Array(new SharedArrayBuffer(width * height));
    for (let i = 0; i < frame.length; i++) frame[i] = (i * 7 + id) & 0xff;
    return frame;
  };
  return { id, width, height, bitDepth: 8, reference: plane(), distorted: plane(), scored: true };
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(20);
  }
}

describe('VMAF worker threads: a job keeps them, the end of the job ends them', function () {
  this.timeout(60_000);

  it('held by a job, idle workers stay past the idle delay and are reused; the last release retires them', async () => {
    const pool = new FeatureWorkerPool(2, 50);
    const held = pool.hold();
    await Promise.all([pool.run(job(0)), pool.run(job(1))]);
    assert.equal(pool.started, 2);
    await sleep(300); // six idle delays: a job's gap between two probes
    assert.equal(pool.liveWorkers, 2);
    await Promise.all([pool.run(job(2)), pool.run(job(3))]);
    assert.equal(pool.started, 2, 'no restart within the job');
    held.release();
    await until(() => pool.liveWorkers === 0);
  });

  it('two jobs share the workers: the first to end leaves them to the other', async () => {
    const pool = new FeatureWorkerPool(1, 50);
    const first = pool.hold();
    const second = pool.hold();
    await pool.run(job(0));
    first.release();
    first.release(); // twice counts once
    await sleep(200);
    assert.equal(pool.liveWorkers, 1);
    await pool.run(job(1));
    assert.equal(pool.started, 1);
    second.release();
    await until(() => pool.liveWorkers === 0);
  });

  it('a release while frames are in flight retires the workers once they finish', async () => {
    const pool = new FeatureWorkerPool(1, 60_000);
    const held = pool.hold();
    const running = pool.run(job(0));
    held.release();
    await running;
    await until(() => pool.liveWorkers === 0);
  });

  it('outside any job, idle workers leave after the idle delay', async () => {
    const pool = new FeatureWorkerPool(1, 50);
    await pool.run(job(0));
    await until(() => pool.liveWorkers === 0);
  });
});

describe('VMAF reference cache memory', () => {
  it('is limited to an eighth of the memory, between 256 MiB and 4 GiB', () => {
    assert.equal(referenceMemoryLimit(24 * 1024 * MiB), 3 * 1024 * MiB);
    assert.equal(referenceMemoryLimit(1024 * MiB), 256 * MiB);
    assert.equal(referenceMemoryLimit(256 * 1024 * MiB), 4096 * MiB);
  });

  it('holds 50 scored 1080p 10-bit frames (207 MB) by default', () => {
    assert.ok(new VmafReferenceCache().maxBytes >= 50 * 1920 * 1080 * 2);
  });

  it('reserves kept frames against the shared limit and gives them back on clear, replacement or release', () => {
    const memory = new ReferenceMemory(10);
    const a = new VmafReferenceCache(8, memory);
    const b = new VmafReferenceCache(8, memory);
    assert.ok(a.reserve(4, 0));
    assert.ok(a.reserve(4, 4));
    assert.equal(a.reserve(4, 8), false, 'over the cache’s own maximum');
    a.store({ key: 'a', frameCount: 2, frames: new Map(), motion2: new Map() }, 8);
    assert.ok(b.reserve(2, 0));
    assert.equal(b.reserve(2, 2), false, 'over the shared limit');
    b.release(2);
    assert.equal(memory.used, 8);
    assert.ok(a.reserve(2, 0));
    a.store({ key: 'a2', frameCount: 1, frames: new Map(), motion2: new Map() }, 2);
    assert.equal(memory.used, 2, 'the replaced entry went back');
    a.clear();
    assert.equal(memory.used, 0);
    assert.equal(a.reservedBytes, 0);
  });

  it('adds the frames another stride scores to the kept reference of the same key, and serves a stride only when it holds all its frames', () => {
    const memory = new ReferenceMemory(100);
    const cache = new VmafReferenceCache(100, memory);
    const frames = (indices: number[]) => new Map(indices.map((i) => [i, new Uint8Array(1)]));
    const motion = (indices: number[]) => new Map(indices.map((i) => [i, i / 10]));
    assert.ok(cache.reserve(2, 0));
    cache.store({ key: 'r', frameCount: 10, frames: frames([0, 7]), motion2: motion([0, 7]) }, 2);
    assert.ok(cache.get('r', 7) && !cache.get('r', 3) && !cache.get('other', 7));
    // A stride-3 measurement kept only the frames that were not there (3, 6, 9; 0 already was).
    assert.ok(cache.reserve(3, cache.storedBytes));
    cache.store({ key: 'r', frameCount: 10, frames: frames([3, 6, 9]), motion2: motion([0, 3, 6, 9]) }, 3);
    assert.deepEqual(
      [...cache.kept('r')!.frames.keys()].sort((x, y) => x - y),
      [0, 3, 6, 7, 9],
    );
    assert.ok(cache.get('r', 3) && cache.get('r', 7) && !cache.get('r', 2));
    assert.equal(cache.storedBytes, 5);
    assert.equal(memory.used, 5);
    // Another reference replaces it and its whole reservation goes back.
    assert.ok(cache.reserve(1, 0));
    cache.store({ key: 's', frameCount: 1, frames: frames([0]), motion2: motion([0]) }, 1);
    assert.equal(cache.storedBytes, 1);
    assert.equal(memory.used, 1);
    cache.clear();
    assert.equal(memory.used, 0);
  });
});
