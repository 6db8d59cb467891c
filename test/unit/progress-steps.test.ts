import assert from 'node:assert/strict';
import { ProgressView } from '../../server/src/job/progress-view';
import { progressEvents, stepEvent, stepReporter } from '../../server/src/job/progress-events';
import { percentOf } from '../../server/src/job/work-model';
import { planEvent } from '../helpers/plan-event';
import type { JobEvent, ProgressEvent } from '../../common/events';

/**
 * Issue 23 item 3: the planning's own steps (scene detection, crop detection, the segment copies)
 * named with their percent on the line and in the progress events, an ETA before the plan from
 * scene detection's pace, and the estimator's fixes found on bench/eta.ts timelines. Fake clock.
 */
function plan(frames: number[], workers: number): JobEvent {
  return planEvent(frames, workers, { durationSeconds: 16, width: 640, height: 360 });
}

const frames = (framesDone: number): JobEvent => ({
  event: 'progress',
  framesDone,
  framesTotal: 384,
  segmentsDone: 0,
  segmentsTotal: 1,
  fps: 0,
  etaSeconds: null,
  elapsedSeconds: 0,
  estimatedBytes: null,
});

describe('progress: the planning steps and the ETA estimator', () => {
  it('names the planning step and its percent on the line: planning: scene detection 40 %, then crop detection, then the segment copies', () => {
    let now = 0;
    const view = new ProgressView(false, () => now, 10);
    view.observe({ event: 'phase', phase: 'probe' });
    now = 1000;
    view.observe({ event: 'phase', phase: 'plan' });
    view.observe(stepEvent('scene detection', 0, 384));
    now = 1300;
    view.observe(stepEvent('scene detection', 0.05, 384));
    now = 2000;
    view.observe(stepEvent('scene detection', 0.4, 384));
    assert.match(view.line(), /^planning: scene detection 40 % {2}\d+% {2}elapsed 0:02 {2}ETA \d+:\d\d$/);
    assert.deepEqual(view.currentStep(), { step: 'scene detection', stepPercent: 40 });
    now = 3500;
    view.observe(stepEvent('crop detection', 0, 384));
    now = 4000;
    view.observe(stepEvent('crop detection', 0.5, 384));
    assert.match(view.line(), /^planning: crop detection 50 % /);
    now = 5000;
    view.observe(plan([384], 1));
    view.observe({ event: 'phase', phase: 'segment' });
    assert.match(view.line(), /^segments 0\/1: segment copies {2}/);
    assert.deepEqual(view.currentStep(), { step: 'segment copies' });
    view.observe({ event: 'phase', phase: 'encode' });
    view.observe({ event: 'segment', index: 0, state: 'encoding', crf: 35 });
    assert.equal(view.currentStep(), undefined, 'the segments say what runs');
  });

  it('has an ETA before the plan once scene detection is paced: the rest of it, crop detection, every frame’s encode and check, the tail', () => {
    let now = 0;
    const view = new ProgressView(false, () => now, 10);
    view.observe({ event: 'phase', phase: 'plan' });
    view.observe(stepEvent('scene detection', 0, 384));
    assert.equal(view.etaSeconds(), null, 'no pace yet');
    // ffmpeg's start-up (0.2 s here) is not part of the per-frame pace: it counts from the first frame scored.
    now = 200;
    view.observe(stepEvent('scene detection', 0.01, 384));
    assert.equal(view.etaSeconds(), null, 'one point is no pace');
    now = 1000;
    view.observe(stepEvent('scene detection', 0.5, 384));
    // 0.8 s for 188 frames: 4.3 ms a unit. Scene detection has 1 s left; the rest is priced by the work model.
    const eta = view.etaSeconds()!;
    assert.ok(eta > 1 && eta < 60, `ETA ${eta}`);
    // Twice as slow a machine, twice the ETA (nearly: the running step is its own measure).
    let slowNow = 0;
    const slow = new ProgressView(false, () => slowNow, 10);
    slow.observe(stepEvent('scene detection', 0, 384));
    slowNow = 400;
    slow.observe(stepEvent('scene detection', 0.01, 384));
    slowNow = 2000;
    slow.observe(stepEvent('scene detection', 0.5, 384));
    assert.ok(Math.abs(slow.etaSeconds()! / eta - 2) < 0.2, `${slow.etaSeconds()} against ${eta}`);
    // A slower preset costs more: the encode's prior follows the preset.
    let p6Now = 0;
    const p6 = new ProgressView(false, () => p6Now, 6);
    p6.observe(stepEvent('scene detection', 0, 384));
    p6Now = 200;
    p6.observe(stepEvent('scene detection', 0.01, 384));
    p6Now = 1000;
    p6.observe(stepEvent('scene detection', 0.5, 384));
    assert.ok(p6.etaSeconds()! > 2 * eta, `preset 6: ${p6.etaSeconds()} against ${eta} at preset 10`);
  });

  it('does not take the first frames an encode reports as its pace (an ETA of hours, then minutes)', () => {
    let now = 0;
    const view = new ProgressView(false, () => now, 10);
    view.observe(stepEvent('scene detection', 0, 384));
    now = 1000;
    view.observe(stepEvent('scene detection', 1, 384));
    view.observe(plan([384], 1));
    now = 1500;
    view.observe({ event: 'segment', index: 0, state: 'encoding', crf: 35 });
    const before = view.etaSeconds()!;
    now = 1700;
    view.observe(frames(1));
    // Recorded (bench/eta.ts, before): one frame after 0.2 s said ETA 93 s, then 592 s, for a 6 s run.
    assert.ok(view.etaSeconds()! <= before, `one frame reported: ETA ${view.etaSeconds()} (was ${before})`);
    now = 2700;
    view.observe(frames(192));
    now = 3000;
    // 192 frames in 1.2 s: the other 192 take about as long (less the 0.3 s since that count), then the check and tail.
    const eta = view.etaSeconds()!;
    assert.ok(eta >= 1 && eta <= 4, `ETA ${eta}`);
  });

  it('a running search is paced by its probes after the first (which starts the VMAF workers and decodes the reference)', () => {
    let now = 0;
    const view = new ProgressView(true, () => now, 10);
    view.observe(stepEvent('scene detection', 0, 384));
    now = 700;
    view.observe(stepEvent('scene detection', 1, 384));
    view.observe(plan([384], 1));
    view.observe({ event: 'segment', index: 0, state: 'searching' });
    const probe = (crf: number) => ({ crf, vmaf: 93, bytes: 1000, seconds: 1 });
    // Probes of 2.5 s after a first one that also measured the content window.
    now = 5200;
    view.observe({ event: 'segment', index: 0, state: 'searching', probe: probe(33) });
    now = 7700;
    view.observe({ event: 'segment', index: 0, state: 'searching', probe: probe(44) });
    // 1.5 probes of 2.5 s still expected, then the check: the chosen probe is the output (issue 22), no encode after it.
    const eta = view.etaSeconds()!;
    assert.ok(eta >= 3 && eta <= 8, `ETA ${eta}`);
    // A search that took more probes than expected is not done: half a probe more, less the time since the last.
    now = 15_000;
    for (const crf of [47, 50, 48]) view.observe({ event: 'segment', index: 0, state: 'searching', probe: probe(crf) });
    assert.ok(view.etaSeconds()! >= 1, `ETA ${view.etaSeconds()}`);
  });

  it('a search with no probe yet, past its estimate: each probe takes at least the time spent, so the ETA grows', () => {
    let now = 0;
    const view = new ProgressView(true, () => now, 10);
    view.observe(stepEvent('scene detection', 0, 384));
    now = 500;
    view.observe(stepEvent('scene detection', 1, 384));
    view.observe(plan([384], 1));
    view.observe({ event: 'segment', index: 0, state: 'searching' });
    const etas: number[] = [];
    for (now = 10_000; now <= 40_000; now += 10_000) etas.push(view.etaSeconds()!);
    assert.ok(
      etas.every((e, i) => i === 0 || e > etas[i - 1]!),
      `ETAs ${etas.join(' ')}`,
    );
  });

  it('percent keeps moving when the ETA grows (from where it was, at the pace the new ETA gives), never backwards', () => {
    // At 30 s of 120 s: 25 %. Then the ETA jumps from 90 to 200 s: elapsed / (elapsed + ETA) says 13 %.
    const at30 = percentOf(30, 90, 0, 0.1, 29);
    const at31 = percentOf(31, 200, at30, 0.1, 30);
    const at32 = percentOf(32, 199, at31, 0.1, 31);
    assert.equal(at30, 25);
    assert.ok(at31 > at30 && at32 > at31, `${at30} ${at31} ${at32}`);
    assert.ok(at32 - at30 < 1.5, 'slowly: 75 % over 200 s');
  });

  it('progress events carry the step and its percent; a step reporter sends the first, at most every 250 ms, and the end', () => {
    let now = 0;
    const seen: JobEvent[] = [];
    const events = progressEvents(
      (e) => seen.push(e),
      false,
      () => now,
      10,
    );
    try {
      const report = stepReporter(events.emit, 384, () => now);
      events.emit({ event: 'phase', phase: 'plan' });
      report('scene detection', 0);
      for (let f = 1; f <= 384; f++) {
        now = f * 5;
        report('scene detection', f / 384);
      }
      report('crop detection', 0);
      now = 2500;
      events.emit(plan([384], 1));
      events.emit({ event: 'phase', phase: 'segment' });
    } finally {
      events.close();
    }
    const progress = seen.filter((e): e is ProgressEvent => e.event === 'progress');
    const scenes = progress.filter((e) => e.step === 'scene detection').map((e) => e.stepPercent);
    assert.equal(scenes[0], 0);
    assert.equal(scenes.at(-1), 100);
    assert.ok(scenes.length >= 8 && scenes.length <= 12, `1.9 s of frames: ${scenes.length} events`);
    assert.ok(progress.some((e) => e.step === 'crop detection'));
    const afterPlan = progress.filter((e) => e.framesTotal === 384 && e.segmentsTotal === 1);
    assert.ok(afterPlan.length > 0, 'after the plan, the plan’s totals');
    assert.equal(progress.at(-1)!.step, 'segment copies');
    assert.ok(progress.every((e) => e.percent !== undefined));
  });
});
