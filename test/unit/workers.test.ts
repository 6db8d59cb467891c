import assert from 'node:assert/strict';
import { DEFAULT_THREADS_PER_WORKER, planWorkers } from '../../server/src/job/workers';

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
