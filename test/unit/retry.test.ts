import assert from 'node:assert/strict';
import { CancelledError } from '../../server/src/errors';
import { FIXED_CRF_LADDER, TARGET_QUALITY_LADDER, applyAttempt, extendLadder, ladderFor } from '../../server/src/crf/retry-ladder';
import { isRetryable, runWithRetries } from '../../server/src/job/retry';
import { DEFAULT_TIMEOUT_POLICY, EncodeSpeedTracker, encodeTimeoutMs } from '../../server/src/encode/encode-timeout';

describe('retry ladder', () => {
  it('retries a fixed-CRF segment once with the same settings', () => {
    const ladder = ladderFor({ targetQuality: false });
    assert.equal(ladder, FIXED_CRF_LADDER);
    assert.equal(ladder.length, 2);
    const settings = { targetVmaf: undefined, samples: 3, sampleSeconds: 2, crf: 30 };
    for (const rung of ladder) assert.deepEqual(applyAttempt(settings, rung), settings);
  });

  it('follows the seed ladder for target quality: default, 6 x 2 s samples, target - 2', () => {
    const ladder = ladderFor({ targetQuality: true });
    assert.equal(ladder, TARGET_QUALITY_LADDER);
    const settings = { targetVmaf: 95, samples: 3, sampleSeconds: 1 };
    assert.deepEqual(
      ladder.map((rung) => applyAttempt(settings, rung)),
      [
        { targetVmaf: 95, samples: 3, sampleSeconds: 1 },
        { targetVmaf: 95, samples: 6, sampleSeconds: 2 },
        { targetVmaf: 93, samples: 6, sampleSeconds: 2 },
      ],
    );
  });

  it('extends a ladder without changing the original', () => {
    const longer = extendLadder(TARGET_QUALITY_LADDER, { label: 'wider CRF range' });
    assert.equal(longer.length, 4);
    assert.equal(TARGET_QUALITY_LADDER.length, 3);
    assert.throws(() => (TARGET_QUALITY_LADDER as unknown as unknown[]).push({ label: 'x' }));
  });

  it('returns the first success and the failures before it', async () => {
    const seen: number[] = [];
    const outcome = await runWithRetries(TARGET_QUALITY_LADDER, (_rung, n) => {
      seen.push(n);
      if (n < 3) return Promise.reject(new Error(`boom ${n}`));
      return Promise.resolve('ok');
    });
    assert.deepEqual(seen, [1, 2, 3]);
    assert.ok(outcome.ok);
    assert.equal(outcome.ok && outcome.value, 'ok');
    assert.deepEqual(
      outcome.failures.map((f) => (f.error as Error).message),
      ['boom 1', 'boom 2'],
    );
  });

  it('gives up after the last rung with every cause', async () => {
    const retries: boolean[] = [];
    const outcome = await runWithRetries(FIXED_CRF_LADDER, (_r, n) => Promise.reject(new Error(`fail ${n}`)), {
      onFailure: (_f, willRetry) => retries.push(willRetry),
    });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.failures.length, 2);
    assert.deepEqual(retries, [true, false]);
  });

  it('does not retry cancellation or a full disk', async () => {
    let calls = 0;
    await assert.rejects(
      runWithRetries(FIXED_CRF_LADDER, () => {
        calls++;
        return Promise.reject(new CancelledError());
      }),
      CancelledError,
    );
    assert.equal(calls, 1);
    const full = Object.assign(new Error('write failed'), { code: 'ENOSPC' });
    await assert.rejects(
      runWithRetries(FIXED_CRF_LADDER, () => {
        calls++;
        return Promise.reject(full);
      }),
      /write failed/,
    );
    assert.equal(calls, 2);
    assert.equal(isRetryable(new Error('av1 @ 0x1: No space left on device')), false);
    assert.equal(isRetryable(new Error('Invalid data found when processing input')), true);
  });

  it('stops before the next attempt once the signal fires', async () => {
    const controller = new AbortController();
    let calls = 0;
    await assert.rejects(
      runWithRetries(
        FIXED_CRF_LADDER,
        () => {
          calls++;
          controller.abort();
          return Promise.reject(new Error('x'));
        },
        { signal: controller.signal },
      ),
      CancelledError,
    );
    assert.equal(calls, 1);
  });
});

describe('encode time-out', () => {
  it('is generous before any speed is measured and never under the floor', () => {
    assert.equal(encodeTimeoutMs(10, undefined), DEFAULT_TIMEOUT_POLICY.floorMs);
    assert.equal(encodeTimeoutMs(240, undefined), (240 / DEFAULT_TIMEOUT_POLICY.pessimisticFps) * 1000);
  });

  it('follows the slowest measured speed with a slowdown factor', () => {
    const tracker = new EncodeSpeedTracker();
    assert.equal(tracker.fps, undefined);
    tracker.record(240, 10); // 24 fps
    tracker.record(240, 20); // 12 fps
    assert.equal(tracker.fps, 12);
    const policy = { ...DEFAULT_TIMEOUT_POLICY, floorMs: 1000 };
    assert.equal(tracker.timeoutMs(1200, policy), (1200 / (12 / policy.slowdownFactor)) * 1000);
    assert.ok(tracker.timeoutMs(1200, policy) < encodeTimeoutMs(1200, undefined, policy));
  });
});
