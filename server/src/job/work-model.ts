import { EXPECTED_PROBES } from '../../../common/progress';

/**
 * The work a job does, weighted by what each step costs per source frame, so a percentage can
 * count every step (probe, the plan's scene and crop detection, each segment's search, encode and
 * check, the join, the mux and the final check) and an ETA exists before every kind of work has
 * been timed. Pure.
 *
 * Costs are relative to scene detection's decode of each frame (1 unit), the first step timed
 * frame by frame. They are priors only: once any step has been timed, one measured seconds-per-unit
 * scales them all, and a kind that has itself been timed uses its own measured rate.
 *
 * Fitted to the timelines bench/eta.ts recorded (640x360, SVT-AV1 preset 10, 1 worker x 2 threads,
 * docs/benchmarks.md "ETA after the fit"): encode 3.9–8.5 units a frame, the target-quality check
 * (segment probe + whole-segment VMAF) 4.9, a fixed-CRF check 1.3, a search probe 4.4, the tail
 * 0.6–1.8. The encode's cost follows the preset (ENCODE_SPEEDUP_PER_PRESET).
 */
export const WORK_PER_FRAME = {
  probe: 0.9,
  scenes: 1,
  crop: 2,
  plan: 0.1,
  /** SVT-AV1 at preset 10 (ENCODE_PRESET); see encodeUnits for the others. */
  encode: 5,
  validate: 1,
  /** The whole-segment VMAF of a target-quality check. */
  verify: 3.5,
  join: 0.1,
  mux: 0.5,
  check: 0.6,
} as const;

/** The preset WORK_PER_FRAME.encode was measured at, and each preset step's speed-up (SVT-AV1 1.4 on 2 cores: ~1.4–1.6x). */
export const ENCODE_PRESET = 10;
export const ENCODE_SPEEDUP_PER_PRESET = 1.45;

/** Units per frame of one encode at PRESET (the job's), from the preset-10 figure. */
export function encodeUnits(preset: number = ENCODE_PRESET): number {
  return WORK_PER_FRAME.encode * ENCODE_SPEEDUP_PER_PRESET ** (ENCODE_PRESET - preset);
}

/**
 * One search probe per frame of the segment: an encode of part of it (about 0.6 of its frames)
 * and that part's VMAF (sampled: about half of a whole-segment verification).
 */
export function probeUnits(preset?: number): number {
  return 0.6 * encodeUnits(preset) + 0.5 * WORK_PER_FRAME.verify;
}

/**
 * A segment's first probe costs this many later ones: it starts the VMAF workers and decodes the
 * reference that later probes reuse (bench/eta.ts timelines: 4.5 s against 2.7 s a probe after it,
 * 11.7 against 5.7, 24.6 against 13).
 */
export const FIRST_PROBE_COST = 1.7;

/** Probe-equivalents of a search of N probes (the first one dearer). */
export function searchProbes(probes: number): number {
  return Math.max(1, probes) - 1 + FIRST_PROBE_COST;
}

export type WorkStep = keyof typeof WORK_PER_FRAME;
export type SegmentWork = 'search' | 'encode' | 'validate';

/** The steps before the segments, in order, and their share of per-frame work. */
export function planningWork(steps: { scenes: boolean; crop: boolean }): number {
  return WORK_PER_FRAME.probe + WORK_PER_FRAME.plan + (steps.scenes ? WORK_PER_FRAME.scenes : 0) + (steps.crop ? WORK_PER_FRAME.crop : 0);
}

/**
 * A segment's work per frame of each kind (the check includes the VMAF of a target-quality job); a
 * search of PROBES probes (the expected number while it is not known).
 */
export function segmentWork(kind: SegmentWork, targetQuality: boolean, preset?: number, probes = EXPECTED_PROBES): number {
  if (kind === 'validate') return WORK_PER_FRAME.validate + (targetQuality ? WORK_PER_FRAME.verify : 0);
  if (kind === 'encode') return encodeUnits(preset);
  return searchProbes(probes) * probeUnits(preset);
}

export const TAIL_WORK = WORK_PER_FRAME.join + WORK_PER_FRAME.mux + WORK_PER_FRAME.check;

/**
 * The work (units) a segment not started yet is expected to take: its CRF search (target quality),
 * its final encode and its check. What the scheduler orders segments by and weighs the tail with.
 */
export function segmentExpectedWork(frames: number, targetQuality: boolean): number {
  const perFrame = (targetQuality ? segmentWork('search', true) : 0) + WORK_PER_FRAME.encode + segmentWork('validate', targetQuality);
  return Math.max(0, frames) * perFrame;
}

/**
 * The work (units) a running segment has left. Its search counts whole until its final encode
 * reports frames (a search reports no progress of its own, and a segment that is still searching
 * holds its worker for all of it); then the final frames not encoded yet and the check.
 */
export function segmentWorkLeft(running: { frames: number; framesEncoded: number; targetQuality: boolean }): number {
  const { frames, targetQuality } = running;
  const encoded = Math.min(frames, Math.max(0, running.framesEncoded));
  const search = targetQuality && encoded === 0 ? segmentWork('search', true) * frames : 0;
  return search + WORK_PER_FRAME.encode * (frames - encoded) + segmentWork('validate', targetQuality) * frames;
}

/**
 * Seconds per work unit per frame, from what was timed: (seconds, units) pairs of finished work.
 * Undefined before anything was timed.
 */
export function secondsPerUnit(timed: readonly { seconds: number; units: number }[]): number | undefined {
  let seconds = 0;
  let units = 0;
  for (const t of timed) {
    seconds += t.seconds;
    units += t.units;
  }
  return units > 0 && seconds > 0 ? seconds / units : undefined;
}

/**
 * The percentage shown: time spent against time spent plus time left, so it moves with the clock
 * and agrees with the ETA; never backwards, 100 only when done. When the ETA grows (a step slower
 * than thought), it does not stand still either: from where it was, it covers the rest at the pace
 * the new ETA gives (of the 100 − previous left, the share dt / (dt + ETA) in the dt seconds since
 * the last reading). Before an ETA exists it creeps towards the planning's prior share.
 */
export function percentOf(
  elapsedSeconds: number,
  remainingSeconds: number | null,
  previous: number,
  planningShare: number,
  previousElapsed = elapsedSeconds,
): number {
  let value: number;
  if (remainingSeconds === null) value = 100 * planningShare * (1 - Math.exp(-elapsedSeconds / 20));
  else {
    value = (100 * elapsedSeconds) / Math.max(1e-9, elapsedSeconds + remainingSeconds);
    const dt = Math.max(0, elapsedSeconds - previousElapsed);
    value = Math.max(value, previous + ((100 - previous) * dt) / Math.max(1e-9, dt + remainingSeconds));
  }
  return Math.min(99, Math.max(previous, Math.round(value * 10) / 10));
}
