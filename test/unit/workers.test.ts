import assert from 'node:assert/strict';
import { DEFAULT_THREADS_PER_WORKER, longestFirst, planWorkers, tailThreads } from '../../server/src/job/workers';

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
  const tail = { workers: 2, cores: 2, threadsPerWorker: 1, frames: 240 };
  it('keeps the planned threads while the queue is at least as long as the pool', () => {
    assert.equal(tailThreads({ ...tail, remaining: 5, running: [] }), 1);
    assert.equal(tailThreads({ ...tail, remaining: 2, running: [] }), 1);
  });

  it('gives the last of 3 segments on 2 workers both cores when the other one is nearly done', () => {
    assert.equal(tailThreads({ ...tail, remaining: 1, running: [{ framesLeft: 12, threads: 1 }] }), 2);
  });

  it('does not crowd a segment that started alongside (2 segments, 2 workers)', () => {
    assert.equal(tailThreads({ ...tail, remaining: 1, running: [{ framesLeft: 240, threads: 1 }] }), 1);
  });

  it('shares the idle cores between the last few segments', () => {
    const wide = { workers: 8, cores: 8, threadsPerWorker: 1, frames: 100 };
    assert.equal(tailThreads({ ...wide, remaining: 3, running: [] }), 3);
    assert.equal(tailThreads({ ...wide, remaining: 1, running: [] }), 8);
    assert.equal(tailThreads({ ...wide, remaining: 1, running: [{ framesLeft: 50, threads: 4 }] }), 6);
  });

  it('never gives fewer than the planned threads', () => {
    assert.equal(tailThreads({ workers: 4, cores: 2, threadsPerWorker: 2, frames: 10, remaining: 3, running: [] }), 2);
    assert.equal(tailThreads({ workers: 4, cores: 8, threadsPerWorker: 1, frames: 10, remaining: 0, running: [] }), 1);
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
});
