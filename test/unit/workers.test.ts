import assert from 'node:assert/strict';
import {
  DEFAULT_THREADS_PER_WORKER,
  byExpectedWork,
  freeCores,
  longestFirst,
  planWorkers,
  tailThreads,
} from '../../server/src/job/workers';
import { WORK_PER_FRAME, segmentExpectedWork, segmentWork, segmentWorkLeft } from '../../server/src/job/work-model';

const GiB = 1024 ** 3;

describe('workers', () => {
  it('fills the cores with workers of the default thread count', () => {
    const plan = planWorkers({ cores: 8, availableMemoryBytes: 64 * GiB, memoryPerWorkerBytes: GiB, segments: 100 });
    assert.equal(plan.threadsPerWorker, DEFAULT_THREADS_PER_WORKER);
    assert.equal(plan.workers, Math.floor(8 / DEFAULT_THREADS_PER_WORKER));
    assert.equal(plan.limitedBy, 'cores');
  });

  it('is capped by memory at the resolution', () => {
    const plan = planWorkers({ cores: 16, availableMemoryBytes: 3.5 * GiB, memoryPerWorkerBytes: GiB, segments: 100, threadsPerWorker: 2 });
    assert.deepEqual(plan, { workers: 3, threadsPerWorker: 5, limitedBy: 'memory' });
  });

  it('never runs more workers than segments, and gives the spare cores to those that run', () => {
    assert.deepEqual(
      planWorkers({ cores: 8, availableMemoryBytes: 64 * GiB, memoryPerWorkerBytes: GiB, segments: 2, threadsPerWorker: 1 }),
      { workers: 2, threadsPerWorker: 4, limitedBy: 'segments' },
    );
  });

  it('honours --workers and splits the cores between them', () => {
    assert.deepEqual(planWorkers({ cores: 2, availableMemoryBytes: GiB, memoryPerWorkerBytes: 4 * GiB, segments: 10, requested: 1 }), {
      workers: 1,
      threadsPerWorker: 2,
      limitedBy: 'requested',
    });
  });

  it('always runs at least one worker', () => {
    assert.equal(planWorkers({ cores: 1, availableMemoryBytes: 0, memoryPerWorkerBytes: GiB, segments: 0 }).workers, 1);
  });
});

describe('tail threads', () => {
  const tail = { workers: 2, cores: 2, threadsPerWorker: 1, work: 240 };
  it('keeps the planned threads while the queue is at least as long as the pool', () => {
    assert.equal(tailThreads({ ...tail, remaining: 5, running: [] }), 1);
    assert.equal(tailThreads({ ...tail, remaining: 2, running: [] }), 1);
  });

  it('gives the last of 3 segments on 2 workers both cores when the other one is nearly done', () => {
    assert.equal(tailThreads({ ...tail, remaining: 1, running: [{ workLeft: 12, threads: 1 }] }), 2);
  });

  it('does not crowd a segment that started alongside (2 segments, 2 workers)', () => {
    assert.equal(tailThreads({ ...tail, remaining: 1, running: [{ workLeft: 240, threads: 1 }] }), 1);
  });

  it('shares the idle cores between the last few segments', () => {
    const wide = { workers: 8, cores: 8, threadsPerWorker: 1, work: 100 };
    assert.equal(tailThreads({ ...wide, remaining: 3, running: [] }), 3);
    assert.equal(tailThreads({ ...wide, remaining: 1, running: [] }), 8);
    assert.equal(tailThreads({ ...wide, remaining: 1, running: [{ workLeft: 50, threads: 4 }] }), 6);
  });

  it('never gives fewer than the planned threads', () => {
    assert.equal(tailThreads({ workers: 4, cores: 2, threadsPerWorker: 2, work: 10, remaining: 3, running: [] }), 2);
    assert.equal(tailThreads({ workers: 4, cores: 8, threadsPerWorker: 1, work: 10, remaining: 0, running: [] }), 1);
  });

  it('orders longest first, ties in plan order', () => {
    const order = longestFirst([
      { index: 0, frames: 10 },
      { index: 1, frames: 30 },
      { index: 2, frames: 10 },
      { index: 3, frames: 20 },
    ]);
    assert.deepEqual(
      order.map((s) => s.index),
      [1, 3, 0, 2],
    );
  });

  it('counts search work: the last segment searches first, while a neighbour in its final encode finishes', () => {
    // Target quality, 2 workers on 2 cores, the last segment (240 frames) about to start.
    const work = segmentExpectedWork(240, true);
    const last = { workers: 2, cores: 2, threadsPerWorker: 1, remaining: 1, work };
    // A 240-frame neighbour 40 frames into its final encode: counted in final-encode frames it
    // covers 200 / 240 of the span (1 thread); counted in work (this segment's search first) it
    // ends before this one is half done, so this one takes both cores.
    const encoding = segmentWorkLeft({ frames: 240, framesEncoded: 40, targetQuality: true });
    assert.ok(encoding / work < 0.45, `${encoding} of ${work}`);
    assert.equal(tailThreads({ ...last, running: [{ workLeft: encoding, threads: 1 }] }), 2);
    // The same neighbour still searching (no final frames yet) holds its core for the whole span.
    const searching = segmentWorkLeft({ frames: 240, framesEncoded: 0, targetQuality: true });
    assert.equal(searching, work);
    assert.equal(tailThreads({ ...last, running: [{ workLeft: searching, threads: 1 }] }), 1);
  });

  it('weighs work: a search, an encode and a check per frame; what is left of a running segment', () => {
    const check = WORK_PER_FRAME.validate + WORK_PER_FRAME.verify;
    assert.equal(segmentExpectedWork(100, false), 100 * (WORK_PER_FRAME.encode + WORK_PER_FRAME.validate));
    assert.equal(segmentExpectedWork(100, true), 100 * (segmentWork('search', true) + WORK_PER_FRAME.encode + check));
    assert.equal(segmentWorkLeft({ frames: 100, framesEncoded: 0, targetQuality: true }), segmentExpectedWork(100, true));
    assert.equal(segmentWorkLeft({ frames: 100, framesEncoded: 100, targetQuality: true }), 100 * check);
    assert.equal(
      segmentWorkLeft({ frames: 100, framesEncoded: 50, targetQuality: false }),
      50 * WORK_PER_FRAME.encode + 100 * WORK_PER_FRAME.validate,
    );
    // A count past the end (a frame counter that overshoots) leaves only the check.
    assert.equal(segmentWorkLeft({ frames: 100, framesEncoded: 130, targetQuality: false }), 100 * WORK_PER_FRAME.validate);
  });

  it('frees the cores of running segments in proportion to what they have left', () => {
    assert.equal(freeCores(4, 100, []), 4);
    assert.equal(freeCores(4, 100, [{ workLeft: 50, threads: 2 }]), 3);
    assert.equal(
      freeCores(4, 100, [
        { workLeft: 500, threads: 2 },
        { workLeft: 0, threads: 2 },
      ]),
      2,
    );
    assert.equal(freeCores(2, 100, [{ workLeft: 500, threads: 4 }]), 0);
  });

  it('orders by expected work, ties in plan order', () => {
    const segments = [
      { index: 0, frames: 100, work: 300 },
      { index: 1, frames: 200, work: 200 },
      { index: 2, frames: 100, work: 300 },
      { index: 3, frames: 50, work: 900 },
    ];
    assert.deepEqual(
      byExpectedWork(segments, (s) => s.work).map((s) => s.index),
      [3, 0, 2, 1],
    );
  });
});
