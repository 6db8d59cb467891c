import assert from 'node:assert/strict';
import { ProgressView } from '../../server/src/job/progress-view';
import { progressEvents } from '../../server/src/job/progress-events';
import { etaFigures, type ProgressSample } from '../../server/src/job/eta-figures';
import { percentOf, secondsPerUnit } from '../../server/src/job/work-model';
import { FIXED_CRF_RUN, TARGET_QUALITY_RUN, type TimedEvent } from '../helpers/recorded-run';
import type { JobEvent, ProgressEvent } from '../../common/events';
import recordedBench from '../helpers/eta-timelines.json';

/** Replays a recorded run on a fake clock, reading percent and ETA every second as the line does. */
function replay(run: TimedEvent[], targetQuality: boolean): { samples: ProgressSample[]; total: number } {
  let now = 0;
  const view = new ProgressView(targetQuality, () => now * 1000);
  const total = run.at(-1)![0];
  const samples: ProgressSample[] = [];
  let next = 0;
  for (let t = 0; t <= total; t += 0.5) {
    now = t;
    while (next < run.length && run[next]![0] <= t) view.observe(run[next++]![1]);
    samples.push({ at: t, percent: Math.floor(view.percent()), eta: view.etaSeconds() });
  }
  return { samples, total };
}

describe('work model and ETA (recorded runs)', () => {
  for (const [name, run, tq] of [
    ['target quality', TARGET_QUALITY_RUN, true],
    ['fixed CRF', FIXED_CRF_RUN, false],
  ] as const) {
    it(`${name}: percent never still for a fifth of the run; ETA within 25 % at 25/50/75 %; 100 at the end`, () => {
      const { samples, total } = replay(run, tq);
      const figures = etaFigures(samples, total);
      assert.ok(figures.longestStallShare < 0.2, `longest stall ${(figures.longestStallShare * 100).toFixed(1)} % of the run`);
      for (const share of [25, 50, 75] as const) {
        const error = figures.errorAt[share];
        assert.ok(
          error !== null && error <= 0.25,
          `ETA error at ${share} %: ${error === null ? 'no ETA' : `${(error * 100).toFixed(0)} %`}`,
        );
      }
      assert.equal(samples.at(-1)!.percent, 100);
      assert.ok(
        samples.every((s, i) => i === 0 || s.percent >= samples[i - 1]!.percent),
        'never backwards',
      );
    });
  }

  it('percentOf follows elapsed / (elapsed + left), creeps before an ETA, never goes back, 99 until done', () => {
    assert.equal(percentOf(30, 90, 0, 0.1), 25);
    assert.equal(percentOf(30, 90, 40, 0.1), 40);
    assert.ok(percentOf(10, null, 0, 0.1) > percentOf(5, null, 0, 0.1));
    assert.ok(percentOf(1000, null, 0, 0.1) <= 10);
    assert.equal(percentOf(100, 0, 0, 0.1), 99);
    assert.equal(secondsPerUnit([]), undefined);
    assert.equal(
      secondsPerUnit([
        { seconds: 10, units: 5 },
        { seconds: 2, units: 1 },
      ]),
      2,
    );
  });

  it('every progress event carries percent; one follows each phase and segment step', () => {
    let now = 0;
    const seen: JobEvent[] = [];
    const events = progressEvents(
      (e) => seen.push(e),
      true,
      () => now,
    );
    try {
      for (const [at, event] of TARGET_QUALITY_RUN) {
        now = at * 1000;
        events.emit(event);
      }
    } finally {
      events.close();
    }
    const progress = seen.filter((e): e is ProgressEvent => e.event === 'progress');
    const steps = TARGET_QUALITY_RUN.filter(([, e]) => e.event === 'phase' || e.event === 'segment' || e.event === 'plan').length;
    const recorded = TARGET_QUALITY_RUN.filter(([, e]) => e.event === 'progress').length;
    assert.equal(progress.length, steps + recorded);
    assert.ok(progress.every((p) => typeof p.percent === 'number' && p.percent >= 0 && p.percent <= 100));
    assert.ok(progress.at(-1)!.percent! < 100, 'not 100 before the done event');
  });
});

/**
 * Timelines bench/eta.ts recorded (`--timeline`; 32 s 640x360 clip, 4 segments, 2 workers, preset
 * 10; the product's own percent and ETA left out), replayed on a fake clock read every 0.25 s as the
 * line is. "quiet": the machine's other load steady; "loaded": other jobs started and stopped
 * during the run (the whole run 1.5x slower, steps 2–5x), which no estimator sees coming.
 */
describe('work model and ETA (bench/eta.ts timelines)', () => {
  const runs = recordedBench as unknown as Record<string, { totalSeconds: number; timeline: [number, JobEvent][] }>;
  function replayBench(name: string): ReturnType<typeof etaFigures> {
    const { totalSeconds, timeline } = runs[name]!;
    let now = 0;
    const view = new ProgressView(name.endsWith('targetQuality'), () => now * 1000, 10);
    const samples: ProgressSample[] = [];
    let next = 0;
    for (let t = 0; t <= totalSeconds; t += 0.25) {
      now = t;
      while (next < timeline.length && timeline[next]![0] <= t) view.observe(timeline[next++]![1]);
      samples.push({ at: t, percent: Math.floor(view.percent()), eta: view.etaSeconds() });
    }
    return etaFigures(samples, totalSeconds);
  }
  const pct = (e: number | null) => (e === null ? 'no ETA' : `${(e * 100).toFixed(0)} %`);

  for (const name of ['quiet-targetQuality', 'quiet-fixedCrf']) {
    it(`${name}: ETA within 25 % of the truth at 25, 50 and 75 % of the run; percent never still for a fifth of it`, () => {
      const figures = replayBench(name);
      for (const share of [25, 50, 75] as const) {
        const error = figures.errorAt[share];
        assert.ok(error !== null && error <= 0.25, `ETA error at ${share} %: ${pct(error)}`);
      }
      assert.ok(figures.longestStallShare < 0.2, `longest stall ${(figures.longestStallShare * 100).toFixed(1)} %`);
    });
  }

  for (const name of ['loaded-targetQuality', 'loaded-fixedCrf']) {
    it(`${name}: percent never still for a fifth of the run; the ETA at 75 % within 25 % once the load is in the measured rates`, () => {
      const figures = replayBench(name);
      assert.ok(figures.longestStallShare < 0.2, `longest stall ${(figures.longestStallShare * 100).toFixed(1)} %`);
      assert.ok(figures.errorAt[75] !== null && figures.errorAt[75] <= 0.25, `ETA error at 75 %: ${pct(figures.errorAt[75])}`);
    });
  }
});
