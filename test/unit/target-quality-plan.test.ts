import assert from 'node:assert/strict';
import {
  attemptLine,
  chooseWarmStart,
  decisionWarnings,
  probeIsFinalEncode,
  probesAreExact,
  probeSettingsFor,
  searchScopes,
  useUncutReference,
  verifiedMiss,
  VERIFY_MARGIN,
  type SegmentSettings,
} from '../../server/src/crf/target-quality-plan';
import { CrfJobState } from '../../server/src/crf/crf-job-state';
import type { SamplePlan } from '../../server/src/crf/samples';

const settings = { preset: 8, pixelFormat: 'yuv420p10le', threads: 2 } as unknown as SegmentSettings;
const full: SamplePlan = { fullPass: true, ranges: [{ startFrame: 0, frames: 250 }], frames: 250 };
const sampled: SamplePlan = {
  fullPass: false,
  ranges: [
    { startFrame: 40, frames: 50 },
    { startFrame: 160, frames: 50 },
  ],
  frames: 100,
};

describe('target quality plan (pure decisions of the driver)', () => {
  it('probes at the final settings unless --probe-preset names another; only those are exact', () => {
    assert.equal(probeSettingsFor(settings, 'same'), settings);
    const fast = probeSettingsFor(settings, 12);
    assert.equal(fast.preset, 12);
    assert.equal(probesAreExact(settings, settings), true);
    assert.equal(probesAreExact(settings, fast), false);
  });

  it('keeps a probe as the output (and its score as the verification) only for an exact full pass', () => {
    assert.equal(probeIsFinalEncode(full, true), true);
    assert.equal(probeIsFinalEncode(full, false), false);
    assert.equal(probeIsFinalEncode(sampled, true), false);
  });

  it('decodes an uncut full-pass reference only with the built-in engine and when its kept frames fit', () => {
    const base = {
      plan: full,
      builtinVmaf: true,
      segmentFrames: 250,
      subsample: 8,
      width: 640,
      height: 360,
      bitDepth: 10,
      keptLimitBytes: 128 * 2 ** 20,
    };
    assert.equal(useUncutReference(base), true);
    assert.equal(useUncutReference({ ...base, builtinVmaf: false }), false);
    assert.equal(useUncutReference({ ...base, plan: sampled }), false);
    // 1080p 10-bit, 250 frames every frame: 1 GB kept, over the limit.
    assert.equal(useUncutReference({ ...base, width: 1920, height: 1080, subsample: 1 }), false);
  });

  it('scopes neighbours by the question asked: threads do not matter, the probe preset does when inexact', () => {
    const input = { target: 93, minCrf: 10, maxCrf: 55, settings, probeSettings: settings, vmafSettings: { subsample: 8 }, plan: sampled };
    const a = searchScopes(input);
    assert.deepEqual(searchScopes({ ...input, settings: { ...settings, threads: 8 }, probeSettings: { ...settings, threads: 8 } }), a);
    assert.notEqual(searchScopes({ ...input, target: 95 }).scope, a.scope);
    assert.notEqual(searchScopes({ ...input, probeSettings: probeSettingsFor(settings, 12) }).scope, a.scope);
    const otherSamples = searchScopes({ ...input, plan: full });
    assert.equal(otherSamples.scope, a.scope);
    assert.notEqual(otherSamples.replayScope, a.replayScope);
  });

  it("warm-starts from the segment's own replayed start, else its neighbours, never when turned off", () => {
    assert.deepEqual(chooseWarmStart({ disabled: false, replayed: [30], neighbours: [40, 41] }), [30]);
    assert.deepEqual(chooseWarmStart({ disabled: false, neighbours: [40, 41] }), [40, 41]);
    assert.deepEqual(chooseWarmStart({ disabled: true, replayed: [30], neighbours: [40] }), []);
  });

  it('warns when the target is out of reach and when the encode is larger than the allowed share of its source', () => {
    const run = { crf: 10, vmaf: 88.1, reached: false };
    const [unreachable] = decisionWarnings({ segment: 3, target: 93, minCrf: 10, run, sourceBytes: 0, maxEncodedPercent: 80 });
    assert.match(unreachable!, /segment 3: VMAF 93 is out of reach even at --min-crf 10 \(VMAF 88.10 there\)/);
    const big = decisionWarnings({
      segment: 1,
      target: 93,
      minCrf: 10,
      run: { crf: 30, vmaf: 93.2, reached: true },
      chosen: { vmaf: 93.2, bytes: 900 },
      sourceBytes: 1000,
      maxEncodedPercent: 80,
    });
    assert.equal(big.length, 1);
    assert.match(big[0]!, /90% of the source's size, over --max-encoded-percent 80/);
    assert.deepEqual(
      decisionWarnings({
        segment: 1,
        target: 93,
        minCrf: 10,
        run: { crf: 30, vmaf: 93.2, reached: true },
        chosen: { vmaf: 93.2, bytes: 500 },
        sourceBytes: 1000,
        maxEncodedPercent: 80,
      }),
      [],
    );
  });

  it("another target metric's warnings and attempt lines name that metric and its flag, not VMAF's", () => {
    const run = { crf: 10, vmaf: 51.3, reached: false };
    const [unreachable] = decisionWarnings({
      segment: 3,
      target: 56,
      minCrf: 10,
      run,
      sourceBytes: 0,
      maxEncodedPercent: 80,
      metric: 'ssimulacra2',
    });
    assert.equal(
      unreachable,
      'segment 3: SSIMULACRA2 56 is out of reach even at --min-crf 10 (SSIMULACRA2 51.30 there); lower --min-crf or --target',
    );
    const [big] = decisionWarnings({
      segment: 1,
      target: 35,
      minCrf: 10,
      run: { crf: 30, vmaf: 35.2, reached: true },
      chosen: { vmaf: 35.2, bytes: 900 },
      sourceBytes: 1000,
      maxEncodedPercent: 80,
      metric: 'xpsnr',
    });
    assert.match(big!, /at CRF 30 \(XPSNR 35.20\) .* lower --target, or raise/);
    assert.equal(
      attemptLine(1, 'default settings', 35, [{ crf: 40, vmaf: 35.4, bytes: 100, seconds: 1 }], 'xpsnr'),
      'attempt 1 (default settings, target 35): CRF 40 → XPSNR 35.40 (100 B)',
    );
  });

  it('a verified score is a miss only beyond the margin, and the miss lists every attempt', () => {
    assert.equal(verifiedMiss({ segment: 0, crf: 40, vmaf: 93 - VERIFY_MARGIN, target: 93, history: [] }), undefined);
    const history = [
      attemptLine(1, 'default settings', 93, [{ crf: 40, vmaf: 93.4, bytes: 100, seconds: 1 }]),
      attemptLine(2, 'more samples', 93, []),
    ];
    const miss = verifiedMiss({ segment: 2, crf: 40, vmaf: 92.3, target: 93, history });
    assert.equal(
      miss,
      'segment 2: verified VMAF 92.30 at CRF 40 is under the target 93 by more than 0.5; observations: attempt 1 (default settings, target 93): CRF 40 → VMAF 93.40 (100 B) | attempt 2 (more samples, target 93): none',
    );
  });
});

describe('CrfJobState (what one job remembers across its segments)', () => {
  it('numbers attempts per segment and forgets a verified segment', () => {
    const job = new CrfJobState();
    job.recordAttempt(4, (n) => `attempt ${n}`);
    job.recordAttempt(4, (n) => `attempt ${n}`);
    job.recordAttempt(5, (n) => `attempt ${n}`);
    assert.deepEqual(job.historyOf(4), ['attempt 1', 'attempt 2']);
    job.forget(4);
    assert.deepEqual(job.historyOf(4), []);
    assert.deepEqual(job.historyOf(5), ['attempt 1']);
  });

  it('two jobs share nothing: same segment numbers, same describe key', async () => {
    const a = new CrfJobState();
    const b = new CrfJobState();
    a.recordAttempt(0, () => 'job a');
    assert.deepEqual(b.historyOf(0), []);
    let runs = 0;
    const info = { width: 64, height: 36, pixFmt: 'yuv420p' } as never;
    await a.describe('k', () => {
      runs++;
      return Promise.resolve(info);
    });
    await a.describe('k', () => {
      runs++;
      return Promise.resolve(info);
    });
    await b.describe('k', () => {
      runs++;
      return Promise.resolve(info);
    });
    assert.equal(runs, 2, 'described once per job, not once per process');
  });

  it('does not remember a failed describe', async () => {
    const job = new CrfJobState();
    await assert.rejects(job.describe('k', () => Promise.reject(new Error('ffprobe failed'))));
    const info = { width: 1 } as never;
    assert.equal(await job.describe('k', () => Promise.resolve(info)), info);
  });
});
