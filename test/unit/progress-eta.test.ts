import assert from 'node:assert/strict';
import { ProgressView } from '../../server/src/job/progress-view';
import { progressEvents, stepEvent } from '../../server/src/job/progress-events';
import { scheduleSeconds } from '../../server/src/job/eta-schedule';
import { planEvent } from '../helpers/plan-event';
import type { JobEvent, ProgressEvent } from '../../common/events';

/**
 * Issue 23 item 3, what bench/eta.ts timelines of the pipeline as it runs since issue 22 showed the
 * estimator missing: an ETA before scene detection has a pace, the last segments alone on the
 * machine, the segment copies without a percent (a target-quality search whose chosen probe is the
 * output: progress-steps.test.ts). Fake clock, synthesised events.
 */
function plan(frames: number[], workers: number): JobEvent {
  return planEvent(frames, workers, { durationSeconds: 24, width: 480, height: 270 });
}

/** A view whose probe took PROBE_MS, at the start of the scene and crop detection (the clock stays there). */
function atSceneDetectionStart(probeMs: number): ProgressView {
  let now = 0;
  const view = new ProgressView(false, () => now, 10);
  view.observe({ event: 'phase', phase: 'probe' });
  now = probeMs;
  view.observe({ event: 'phase', phase: 'plan' });
  view.observe(stepEvent('scene and crop detection', 0, 576));
  return view;
}

describe('progress: the ETA on the pipeline as it runs now', () => {
  it('has an ETA once the planning starts, paced by the probe (it read every packet), before scene detection has a pace', () => {
    // bench/eta.ts: a 12.6 s run was 1.7 s in when scene detection said enough; without this, `--:--` until then.
    const eta = atSceneDetectionStart(400).etaSeconds();
    assert.notEqual(eta, null);
    // Twice as slow a probe, twice the ETA.
    const slow = atSceneDetectionStart(800);
    assert.ok(Math.abs(slow.etaSeconds()! / eta! - 2) < 0.25, `${slow.etaSeconds()} against ${eta}`);
  });

  it('the last target-quality segments have the machine to themselves: a lone one goes about twice as fast on 2 workers', () => {
    // Seconds of work of one of 2 workers side by side.
    assert.equal(scheduleSeconds([10, 10], [], 2, true), 10);
    assert.equal(scheduleSeconds([10], [], 2, true), 5);
    // The second finishes alone: 4 s side by side, then 6 s of work at twice the pace.
    assert.equal(scheduleSeconds([4, 10], [], 2, true), 7);
    // Queued segments start as workers free up, in the order given.
    assert.equal(scheduleSeconds([4], [4, 4], 2, true), 6);
    // A fixed-CRF encode runs on its own worker's threads: no faster alone.
    assert.equal(scheduleSeconds([4, 10], [], 2, false), 10);
    assert.equal(scheduleSeconds([], [], 2, true), 0);
  });

  it('names the segment copies with their share made, on the line and in the events, keeping the plan’s totals', () => {
    let now = 0;
    const seen: JobEvent[] = [];
    const events = progressEvents(
      (e) => seen.push(e),
      false,
      () => now,
      10,
    );
    const view = new ProgressView(false, () => now, 10);
    const emit = (e: JobEvent) => {
      events.emit(e);
      view.observe(e);
    };
    try {
      emit({ event: 'phase', phase: 'plan' });
      emit(stepEvent('scene detection', 0, 576));
      now = 1000;
      emit(stepEvent('scene detection', 1, 576));
      emit(plan([144, 144, 144, 144], 2));
      emit({ event: 'phase', phase: 'segment' });
      emit(stepEvent('segment copies', 0, 576));
      now = 1500;
      emit(stepEvent('segment copies', 0.5, 576));
      assert.match(view.line(), /^segments 0\/4: segment copies 50 % {2}/);
      now = 2000;
      emit(stepEvent('segment copies', 0.75, 576));
      emit({ event: 'segment', index: 0, state: 'encoding', crf: 35 });
    } finally {
      events.close();
    }
    const copies = seen.filter((e): e is ProgressEvent => e.event === 'progress' && e.step === 'segment copies');
    assert.deepEqual(
      copies.flatMap((e) => (e.stepPercent === undefined ? [] : [e.stepPercent])),
      [0, 50, 75],
      JSON.stringify(copies),
    );
    assert.ok(
      copies.every((e) => e.segmentsTotal === 4 && e.framesTotal === 576),
      'the plan’s totals, not a step event’s zeros',
    );
    const last = seen.filter((e): e is ProgressEvent => e.event === 'progress').at(-1)!;
    assert.equal(last.step, undefined, 'the segments say what runs once one started');
  });
});
