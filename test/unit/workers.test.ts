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
    assert.deepEqual(planWorkers({ cores: 8, availableMemoryBytes: 64 * GiB, memoryPerWorkerBytes: GiB, segments: 2, threadsPerWorker: 1 }), { workers: 2, threadsPerWorker: 4, limitedBy: 'segments' });
  });

  it('honours --workers and splits the cores between them', () => {
    assert.deepEqual(planWorkers({ cores: 2, availableMemoryBytes: GiB, memoryPerWorkerBytes: 4 * GiB, segments: 10, requested: 1 }), { workers: 1, threadsPerWorker: 2, limitedBy: 'requested' });
  });

  it('always runs at least one worker', () => {
    assert.equal(planWorkers({ cores: 1, availableMemoryBytes: 0, memoryPerWorkerBytes: GiB, segments: 0 }).workers, 1);
  });
});

describe('tail threads', () => {
  it('keeps the planned threads while the queue is at least as long as the pool', () => {
    assert.equal(tailThreads({ remaining: 5, workers: 2, cores: 2, threadsPerWorker: 1 }), 1);
    assert.equal(tailThreads({ remaining: 2, workers: 2, cores: 2, threadsPerWorker: 1 }), 1);
  });

  it('gives the last segment every core (3 segments, 2 workers, 2 cores: the third runs with 2)', () => {
    assert.equal(tailThreads({ remaining: 1, workers: 2, cores: 2, threadsPerWorker: 1 }), 2);
  });

  it('shares the cores between the last few segments', () => {
    assert.equal(tailThreads({ remaining: 3, workers: 8, cores: 8, threadsPerWorker: 1 }), 2);
    assert.equal(tailThreads({ remaining: 1, workers: 8, cores: 8, threadsPerWorker: 1 }), 8);
  });

  it('never gives fewer than the planned threads', () => {
    assert.equal(tailThreads({ remaining: 3, workers: 4, cores: 2, threadsPerWorker: 2 }), 2);
    assert.equal(tailThreads({ remaining: 0, workers: 4, cores: 8, threadsPerWorker: 1 }), 1);
  });

  it('orders longest first, ties in plan order', () => {
    const order = longestFirst([{ index: 0, frames: 10 }, { index: 1, frames: 30 }, { index: 2, frames: 10 }, { index: 3, frames: 20 }]);
    assert.deepEqual(order.map((s) => s.index), [1, 3, 0, 2]);
  });
});
