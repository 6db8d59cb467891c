import { WORK_PER_FRAME, encodeUnits, type SegmentWork } from './work-model';

/**
 * The ETA's prior costs of a segment's steps, in work-model units per source frame (scene
 * detection's decode of a frame is 1), as the pipeline runs them since issue 22: a target-quality
 * segment's probes are whole-segment encodes at the final settings, each with its whole VMAF, and
 * the chosen one is the output (its `encoding` step costs nothing; the check reads the file and
 * does not score it again). work-model.ts keeps the scheduler's weights (their ratios order the
 * segments); these are the ETA's only, refitted to bench/eta.ts timelines of this pipeline
 * (test/helpers/eta-timelines.json, 480x270 and 640x360, 6 s segments, 2 workers). Pure.
 */

/**
 * One probe: the segment encoded whole (the work model's encode at the job's preset) and its VMAF
 * (the work model's whole-segment verification).
 */
export function wholeProbeUnits(preset?: number): number {
  return encodeUnits(preset) + WORK_PER_FRAME.verify;
}

/**
 * A search's first probe costs this many later ones: before it, the content window is encoded and
 * measured (the predictor's fingerprint), and its VMAF starts the workers. Timelines: 6.1 s against
 * 2.7 s a later probe, 9.3 against 4.4, 14.6 against 10.8.
 */
export const FIRST_PROBE_COST = 2;

/**
 * A predicted segment (the job has a label: encoded whole at a predicted CRF) in later probes' time:
 * the content window, the whole encode with its VMAF, now and then a second one. Timelines: 12.0 s
 * against 2.9 s a probe, 3.1 against 1.7, 19.5 against 4.4, 7.3 against 4.7, 23.9 and 16.7 against 10.8.
 */
export const PREDICTED_PROBES = 2.8;

/**
 * The segment's check: its packets and frames read back (an AV1 decode and an ffprobe start), 1.1–8
 * units a frame in the timelines (the work model's 1 is the scheduler's weight).
 */
export const CHECK_UNITS = 2.5;

/** Probe-equivalents of a search of N probes (the first one dearer). */
export function searchProbes(probes: number): number {
  return Math.max(1, probes) - 1 + FIRST_PROBE_COST;
}

/**
 * A segment's work per frame of each kind, for the ETA: a target-quality search of PROBES whole
 * probes, its final encode free (a probe is the output), the check; a fixed-CRF encode and check.
 */
export function stepUnits(kind: SegmentWork, targetQuality: boolean, preset: number | undefined, probes: number): number {
  if (kind === 'validate') return CHECK_UNITS;
  if (kind === 'encode') return targetQuality ? 0 : encodeUnits(preset);
  return searchProbes(probes) * wholeProbeUnits(preset);
}

/** A predicted segment's work per frame: its probes and the check. */
export function predictedUnits(preset?: number): number {
  return PREDICTED_PROBES * wholeProbeUnits(preset) + CHECK_UNITS;
}
