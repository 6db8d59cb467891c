import assert from 'node:assert/strict';
import { ProgressView, sizeEstimateText } from '../../server/src/job/progress';
import type { JobEvent } from '../../common/events';

/** The CLI's live line from job events, on a fake clock. */
function plan(frames: number[], workers: number): JobEvent {
  let start = 0;
  return {
    event: 'plan',
    input: 'in.mkv',
    workDir: '/w',
    segments: frames.length,
    frames: frames.reduce((a, b) => a + b, 0),
    durationSeconds: 10,
    width: 64,
    height: 64,
    fps: 24,
    workers,
    ranges: frames.map((n, index) => {
      const r = { index, startFrame: start, frames: n, startSeconds: start / 24, endSeconds: (start + n) / 24 };
      start += n;
      return r;
    }),
  };
}

describe('progress view', () => {
  it('says what it does before the plan (probing, planning), with no ETA', () => {
    let now = 0;
    const view = new ProgressView(false, () => now);
    assert.equal(view.line(), 'starting  elapsed 0:00  ETA --:--');
    view.observe({ event: 'phase', phase: 'probe' });
    now = 2000;
    assert.equal(view.line(), 'probing  elapsed 0:02  ETA --:--');
    view.observe({ event: 'phase', phase: 'plan' });
    now = 3000;
    assert.equal(view.line(), 'planning  elapsed 0:03  ETA --:--');
    view.observe(plan([100], 1));
    assert.match(view.line(), /^segments 0\/1 {2}0% {2}elapsed 0:03 {2}ETA --:--$/);
  });

  it('gives no ETA before every kind of work was measured, then one from the measured rates', () => {
    let now = 0;
    const view = new ProgressView(false, () => now);
    view.observe(plan([100, 100, 100], 1));
    view.observe({ event: 'segment', index: 0, state: 'encoding' });
    assert.equal(view.etaSeconds(), null);
    assert.match(view.line(), /ETA --:--/);
    now = 10_000; // encode: 0.1 s per frame
    view.observe({ event: 'segment', index: 0, state: 'validating' });
    now = 11_000; // check: 0.01 s per frame
    view.observe({ event: 'segment', index: 0, state: 'done' });
    assert.equal(view.rate('encode'), 0.1);
    assert.equal(view.rate('validate'), 0.01);
    // Two segments left at 11 s each on one worker, then muxing and checking 300 frames at 0.01 s.
    assert.equal(view.etaSeconds(), 22 + 3);
    assert.match(view.line(), /^segments 1\/3 .*elapsed 0:11 {2}ETA 0:25/);
  });

  it('spreads the work over the workers and counts the time already spent on a running step', () => {
    let now = 0;
    const view = new ProgressView(false, () => now);
    view.observe(plan([100, 100, 100], 2));
    view.observe({ event: 'segment', index: 0, state: 'encoding' });
    now = 10_000;
    view.observe({ event: 'segment', index: 0, state: 'validating' });
    now = 11_000;
    view.observe({ event: 'segment', index: 0, state: 'done' });
    view.observe({ event: 'segment', index: 1, state: 'encoding' });
    now = 16_000; // segment 1 half encoded, segment 2 not started: (5 + 1 + 11) / 2 workers + 3 s tail
    assert.equal(view.etaSeconds(), Math.round(17 / 2 + 3));
  });

  it("shows the tail steps by name with their own ETA, and the running searches' last probe", () => {
    let now = 0;
    const view = new ProgressView(true, () => now);
    view.observe(plan([100], 1));
    view.observe({ event: 'segment', index: 0, state: 'searching' });
    view.observe({ event: 'segment', index: 0, state: 'searching', probe: { crf: 41, vmaf: 92.84, bytes: 1000, seconds: 2 } });
    assert.match(view.line(), /searching 1 .*seg 0: crf 41 → 92\.8$/);
    now = 5000;
    view.observe({ event: 'segment', index: 0, state: 'validating' });
    now = 6000;
    view.observe({ event: 'segment', index: 0, state: 'done' });
    view.observe({ event: 'phase', phase: 'mux' });
    assert.match(view.line(), /^muxing {2}segments 1\/1 {2}elapsed 0:06 {2}ETA 0:01/);
    now = 7000;
    view.observe({ event: 'phase', phase: 'validate' });
    assert.match(view.line(), /^checking {2}segments 1\/1 .*ETA 0:01/);
  });

  it('estimates the output size as the video so far plus the carried streams, and says so', () => {
    assert.equal(sizeEstimateText(null, { bytes: 1000, kinds: ['audio'] }), undefined, 'nothing before a segment is done');
    assert.equal(sizeEstimateText(2 * 1024 ** 2), 'size ~2.0 MiB', 'the video alone');
    assert.equal(
      sizeEstimateText(14.6 * 1024 ** 2, { bytes: 1024 ** 2, kinds: ['audio', 'subtitles'] }),
      'size ~15.6 MiB (video + 1.0 MiB audio, subtitles)',
    );
    const view = new ProgressView(false, () => 0);
    view.observe({ ...plan([100, 100], 1), carried: { bytes: 100 * 1024, kinds: ['audio'] } } as JobEvent);
    view.observe({
      event: 'progress',
      framesDone: 100,
      framesTotal: 200,
      segmentsDone: 1,
      segmentsTotal: 2,
      fps: 10,
      etaSeconds: null,
      elapsedSeconds: 10,
      estimatedBytes: 400 * 1024,
    });
    assert.match(view.line(), /size ~500 KiB \(video \+ 100 KiB audio\)/);
  });
});
