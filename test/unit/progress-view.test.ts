import assert from 'node:assert/strict';
import { ProgressView, sizeEstimateText } from '../../server/src/job/progress';
import { planEvent } from '../helpers/plan-event';
import type { JobEvent } from '../../common/events';

/** The CLI's live line from job events, on a fake clock. */
function plan(frames: number[], workers: number): JobEvent {
  return planEvent(frames, workers, { durationSeconds: 10, width: 64, height: 64 });
}

describe('progress view', () => {
  it('names the step before the plan and its percent creeps instead of standing still', () => {
    let now = 0;
    const view = new ProgressView(false, () => now);
    assert.equal(view.line(), 'starting  0%  elapsed 0:00  ETA --:--');
    view.observe({ event: 'phase', phase: 'probe' });
    now = 2000;
    assert.match(view.line(), /^probing {2}\d+% {2}elapsed 0:02 {2}ETA --:--$/);
    view.observe({ event: 'phase', phase: 'plan' });
    const percents: number[] = [];
    for (now = 3000; now <= 30_000; now += 3000) percents.push(view.percent());
    assert.ok(
      percents.every((p, i) => i === 0 || p > percents[i - 1]!),
      `planning: ${percents.join(' ')}`,
    );
    assert.ok(percents.at(-1)! < 20, 'never past the planning share');
    assert.match(view.line(), /^planning {2}\d+%/);
  });

  it('has an ETA from the plan on, from the planning time and the work model, then the measured rates', () => {
    let now = 0;
    const view = new ProgressView(false, () => now);
    view.observe({ event: 'phase', phase: 'probe' });
    now = 2000;
    view.observe(plan([100, 100, 100], 1));
    const early = view.etaSeconds();
    assert.ok(early !== null && early > 0, 'an ETA right after the plan');
    view.observe({ event: 'segment', index: 0, state: 'encoding' });
    now = 12_000; // encode: 0.1 s per frame
    view.observe({ event: 'segment', index: 0, state: 'validating' });
    now = 13_000; // check: 0.01 s per frame
    view.observe({ event: 'segment', index: 0, state: 'done' });
    assert.equal(view.rate('encode'), 0.1);
    assert.equal(view.rate('validate'), 0.01);
    // Two segments left at 11 s each on one worker, then the tail at the measured seconds per unit.
    const eta = view.etaSeconds()!;
    assert.ok(eta >= 22 && eta < 30, `ETA ${eta}`);
    assert.match(view.line(), /^segments 1\/3 {2}\d+% {2}elapsed 0:13 {2}ETA 0:2\d/);
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
    now = 16_000; // segment 1 half encoded, segment 2 not started: (5 + 1 + 11) / 2 workers, plus the tail
    const eta = view.etaSeconds()!;
    assert.ok(eta >= Math.round(17 / 2) && eta <= Math.round(17 / 2) + 8, `ETA ${eta} (the tail at the measured seconds per unit)`);
  });

  it('estimates a search from its probes before any search finished, names the tail steps, never shows probe results', () => {
    let now = 0;
    const view = new ProgressView(true, () => now);
    now = 2000; // the planning: 2 s
    view.observe(plan([100], 1));
    view.observe({ event: 'segment', index: 0, state: 'searching' });
    now = 9000;
    view.observe({ event: 'segment', index: 0, state: 'searching', probe: { crf: 41, vmaf: 92.84, bytes: 1000, seconds: 2 } });
    const eta = view.etaSeconds()!;
    // The first probe (with the content window before it) costs two later ones: 2.5 more of 3.5 s, then the check.
    assert.ok(eta >= 8 && eta <= 16, `one probe in 7 s of an expected 3.5: about 9 s of search left, then the check (ETA ${eta})`);
    assert.doesNotMatch(view.line(), /crf 41/);
    assert.match(view.line(), /^segments 0\/1: searching 1 {2}\d+%/);
    now = 22_000;
    view.observe({ event: 'segment', index: 0, state: 'validating' });
    now = 23_000;
    view.observe({ event: 'segment', index: 0, state: 'done' });
    view.observe({ event: 'phase', phase: 'mux' });
    assert.match(view.line(), /^muxing {2}\d+%/);
    now = 24_000;
    view.observe({ event: 'phase', phase: 'validate' });
    assert.match(view.line(), /^checking /);
    view.observe({ event: 'done', output: 'o', frames: 100, bytes: 1, seconds: 22, sourceBytes: 2, segments: [] });
    assert.equal(view.percent(), 100);
  });

  it('fits the line to the terminal, leaving out fps, then size, then elapsed', () => {
    const view = new ProgressView(false, () => 5000);
    view.observe({ ...plan([100, 100], 2), carried: { bytes: 100 * 1024, kinds: ['audio', 'subtitles', 'attachments'] } } as JobEvent);
    view.observe({ event: 'segment', index: 0, state: 'encoding' });
    view.observe({ event: 'segment', index: 1, state: 'encoding' });
    view.observe({
      event: 'progress',
      framesDone: 150,
      framesTotal: 200,
      segmentsDone: 1,
      segmentsTotal: 2,
      fps: 10,
      etaSeconds: null,
      elapsedSeconds: 10,
      estimatedBytes: 400 * 1024,
    });
    for (const columns of [40, 60, 80, 120]) assert.ok(view.line(columns).length < columns, `${columns}: ${view.line(columns)}`);
    assert.match(view.line(200), /fps/);
    assert.doesNotMatch(view.line(60), /fps|size/);
    assert.match(view.line(60), /ETA/);
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
    assert.match(view.line(120), /size ~400 KiB\? \(guess from 1\/2 segments\)/, 'a guess until every segment is done');
  });
});
