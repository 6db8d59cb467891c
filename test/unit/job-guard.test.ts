import assert from 'node:assert/strict';
import { FIXED_CRF_LADDER } from '../../server/src/crf/retry-ladder';
import { JobGuard } from '../../server/src/job/guard';
import { tempDir } from '../helpers/clips';

describe('job guard', () => {
  it('holds the work-dir lock until closed', () => {
    const { dir, cleanup } = tempDir();
    try {
      const guard = JobGuard.open({ workDir: dir, workers: 1, sourceBytes: 1000, segments: 10, ladder: FIXED_CRF_LADDER });
      // The same process may not open a second guard through another lock holder; a fresh
      // process would be refused (see job-lock tests). Closing frees it for the next run.
      guard.close();
      JobGuard.open({ workDir: dir, workers: 1, sourceBytes: 1000, segments: 10, ladder: FIXED_CRF_LADDER }).close();
    } finally {
      cleanup();
    }
  });

  it('retries along the ladder with a time-out from the measured speed and stops new segments after a fail-fast failure', async () => {
    const { dir, cleanup } = tempDir();
    const guard = JobGuard.open({
      workDir: dir,
      workers: 2,
      sourceBytes: 1000,
      segments: 10,
      ladder: FIXED_CRF_LADDER,
      failFast: true,
      timeoutPolicy: { floorMs: 10, slowdownFactor: 4, pessimisticFps: 1, ceilingMs: 1e9 },
    });
    try {
      assert.equal(await guard.mayStartSegment(), true);
      const timeouts: number[] = [];
      const failures: boolean[] = [];
      const outcome = await guard.withRetries(
        (_rung, n, hooks) => {
          timeouts.push(hooks(100).timeoutMs);
          if (n === 1) {
            guard.speed.record(100, 1); // 100 fps measured by a neighbour meanwhile
            return Promise.reject(new Error('first attempt fails'));
          }
          return Promise.resolve('ok');
        },
        (_e, _n, willRetry) => failures.push(willRetry),
      );
      assert.ok(outcome.ok);
      assert.deepEqual(failures, [true]);
      assert.deepEqual(timeouts, [100_000, 4_000]);
      guard.segmentFailed();
      assert.equal(guard.halted, 'fail-fast');
      assert.equal(await guard.mayStartSegment(), false);
    } finally {
      guard.close();
      cleanup();
    }
  });
});
