/**
 * The work a job does, weighted by what each step costs per source frame, so a percentage can
 * count every step (probe, the plan's scene and crop detection, each segment's search, encode and
 * check, the join, the mux and the final check) and an ETA exists before every kind of work has
 * been timed. Pure.
 *
 * Costs are relative to reading (decoding) each frame once. They are priors only: once any step
 * has been timed, one measured seconds-per-unit scales them all, and a kind that has itself been
 * timed uses its own measured rate. Search ≈ 2 × encode follows docs/benchmarks.md (a
 * --target-vmaf run took 3.16 × a fixed-CRF run); encode ≈ 3 × the planning's per-frame cost
 * (probe + scene detection) is SVT-AV1 preset 8 on 640x360 clips (see docs/notes/report23.md),
 * corrected at the first encode that reports frames.
 */
export const WORK_PER_FRAME = {
  probe: 0.3,
  scenes: 1,
  crop: 0.2,
  plan: 0.1,
  search: 6,
  encode: 3,
  validate: 0.3,
  /** The whole-segment VMAF of a target-quality check. */
  verify: 1.5,
  join: 0.02,
  mux: 0.1,
  check: 0.25,
} as const;

export type WorkStep = keyof typeof WORK_PER_FRAME;
export type SegmentWork = 'search' | 'encode' | 'validate';

/** The steps before the segments, in order, and their share of per-frame work. */
export function planningWork(steps: { scenes: boolean; crop: boolean }): number {
  return WORK_PER_FRAME.probe + WORK_PER_FRAME.plan + (steps.scenes ? WORK_PER_FRAME.scenes : 0) + (steps.crop ? WORK_PER_FRAME.crop : 0);
}

/** A segment's work per frame of each kind (the check includes the VMAF of a target-quality job). */
export function segmentWork(kind: SegmentWork, targetQuality: boolean): number {
  if (kind === 'validate') return WORK_PER_FRAME.validate + (targetQuality ? WORK_PER_FRAME.verify : 0);
  return WORK_PER_FRAME[kind];
}

export const TAIL_WORK = WORK_PER_FRAME.join + WORK_PER_FRAME.mux + WORK_PER_FRAME.check;

/**
 * The work (units) a segment not started yet is expected to take: its CRF search (target quality),
 * its final encode and its check. What the scheduler orders segments by and weighs the tail with.
 */
export function segmentExpectedWork(frames: number, targetQuality: boolean): number {
  const perFrame = (targetQuality ? WORK_PER_FRAME.search : 0) + WORK_PER_FRAME.encode + segmentWork('validate', targetQuality);
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
  const search = targetQuality && encoded === 0 ? WORK_PER_FRAME.search * frames : 0;
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
 * and agrees with the ETA; never backwards, 100 only when done. Before an ETA exists it creeps
 * towards the planning's prior share (never still, never past it).
 */
export function percentOf(elapsedSeconds: number, remainingSeconds: number | null, previous: number, planningShare: number): number {
  let value: number;
  if (remainingSeconds === null) value = 100 * planningShare * (1 - Math.exp(-elapsedSeconds / 20));
  else value = (100 * elapsedSeconds) / Math.max(1e-9, elapsedSeconds + remainingSeconds);
  return Math.min(99, Math.max(previous, Math.round(value * 10) / 10));
}
