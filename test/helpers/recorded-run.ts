import type { JobEvent } from '../../common/events';

/**
 * Job event sequences with their times (seconds from the start), shaped like the runs issue 23
 * reproduced: a 640x360 clip of two unequal segments on two workers, a target-quality run (planning
 * with scene detection ~20 s, searches of 3–4 probes, the tail ~10 s) and a fixed-CRF run.
 */
export type TimedEvent = [at: number, event: JobEvent];

function plan(frames: number[], workers: number, scenes: boolean): JobEvent {
  let start = 0;
  return {
    event: 'plan',
    input: 'in.mkv',
    workDir: '/w',
    segments: frames.length,
    frames: frames.reduce((a, b) => a + b, 0),
    durationSeconds: frames.reduce((a, b) => a + b, 0) / 24,
    width: 640,
    height: 360,
    fps: 24,
    workers,
    ...(scenes ? { scenes: 1 } : {}),
    ranges: frames.map((n, index) => {
      const r = { index, startFrame: start, frames: n, startSeconds: start / 24, endSeconds: (start + n) / 24 };
      start += n;
      return r;
    }),
  };
}

/** The tracker's progress event: frames encoded so far (done segments' and the running encodes'). */
const progress = (framesDone: number, segmentsDone: number): JobEvent => ({
  event: 'progress',
  framesDone,
  framesTotal: 480,
  segmentsDone,
  segmentsTotal: 2,
  fps: 10,
  etaSeconds: null,
  elapsedSeconds: 0,
  estimatedBytes: null,
});

/** Progress events once a second while encodes run: FRAMES(t) encoded at time t. */
function encoding(from: number, to: number, frames: (t: number) => number, segmentsDone: (t: number) => number): TimedEvent[] {
  const events: TimedEvent[] = [];
  for (let t = from + 1; t < to; t++) events.push([t, progress(Math.round(frames(t)), segmentsDone(t))]);
  return events;
}

function byTime(events: TimedEvent[]): TimedEvent[] {
  return [...events].sort((a, b) => a[0] - b[0]);
}

const probe = (crf: number) => ({ crf, vmaf: 93, bytes: 10_000, seconds: 10 });

export const TARGET_QUALITY_RUN: TimedEvent[] = byTime([
  [0, { event: 'phase', phase: 'probe' }],
  [3, { event: 'phase', phase: 'plan' }],
  [24, plan([168, 312], 2, true)],
  [25, { event: 'phase', phase: 'encode' }],
  [25, { event: 'segment', index: 0, state: 'searching' }],
  [25, { event: 'segment', index: 1, state: 'searching' }],
  [36, { event: 'segment', index: 0, state: 'searching', probe: probe(35) }],
  [45, { event: 'segment', index: 1, state: 'searching', probe: probe(35) }],
  [48, { event: 'segment', index: 0, state: 'searching', probe: probe(30) }],
  [59, { event: 'segment', index: 0, state: 'searching', probe: probe(32) }],
  [65, { event: 'segment', index: 1, state: 'searching', probe: probe(30) }],
  [60, { event: 'segment', index: 0, state: 'encoding', crf: 32 }],
  [84, { event: 'segment', index: 1, state: 'searching', probe: probe(32) }],
  [76, { event: 'segment', index: 0, state: 'validating', crf: 32 }],
  [82, { event: 'segment', index: 0, state: 'done', crf: 32, vmaf: 93.2, bytes: 700_000 }],
  [104, { event: 'segment', index: 1, state: 'searching', probe: probe(31) }],
  [105, { event: 'segment', index: 1, state: 'encoding', crf: 31 }],
  [128, { event: 'segment', index: 1, state: 'validating', crf: 31 }],
  [137, { event: 'segment', index: 1, state: 'done', crf: 31, vmaf: 93.4, bytes: 1_300_000 }],
  [137, { event: 'phase', phase: 'concat' }],
  [138, { event: 'phase', phase: 'mux' }],
  [141, { event: 'phase', phase: 'validate' }],
  [150, { event: 'done', output: 'o', frames: 480, bytes: 2_000_000, seconds: 150, sourceBytes: 9_000_000, segments: [] }],
  ...encoding(
    60,
    76,
    (t) => (168 * (t - 60)) / 16,
    () => 0,
  ),
  ...encoding(
    105,
    128,
    (t) => 168 + (312 * (t - 105)) / 23,
    () => 1,
  ),
]);

export const FIXED_CRF_RUN: TimedEvent[] = byTime([
  [0, { event: 'phase', phase: 'probe' }],
  [3, { event: 'phase', phase: 'plan' }],
  [5, plan([168, 312], 2, false)],
  [5, { event: 'phase', phase: 'encode' }],
  [5, { event: 'segment', index: 0, state: 'encoding', crf: 35 }],
  [5, { event: 'segment', index: 1, state: 'encoding', crf: 35 }],
  [21, { event: 'segment', index: 0, state: 'validating', crf: 35 }],
  [23, { event: 'segment', index: 0, state: 'done', crf: 35, bytes: 700_000 }],
  [35, { event: 'segment', index: 1, state: 'validating', crf: 35 }],
  [38, { event: 'segment', index: 1, state: 'done', crf: 35, bytes: 1_300_000 }],
  [38, { event: 'phase', phase: 'concat' }],
  [38.5, { event: 'phase', phase: 'mux' }],
  [40, { event: 'phase', phase: 'validate' }],
  [44, { event: 'done', output: 'o', frames: 480, bytes: 2_000_000, seconds: 44, sourceBytes: 9_000_000, segments: [] }],
  ...encoding(
    5,
    35,
    (t) => Math.min(168, (168 * (t - 5)) / 16) + Math.min(312, (312 * (t - 5)) / 30),
    (t) => (t >= 23 ? 1 : 0),
  ),
]);
