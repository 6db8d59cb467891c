/**
 * One definition of a job's progress, shared by the jobs tree, the status bar and the notification
 * (and anything else that shows a percentage): frames done, where a target-quality job also counts
 * its CRF search as frames-equivalent work, so the figure moves while segments are searched. Pure.
 *
 * A searching segment's work is split into its search and its encode. The split and the number of
 * probes a search is expected to take are estimates, from docs/benchmarks.md (target quality after
 * the CRF split): a --target-vmaf run took 3.16x the time of a fixed-CRF run (so the search is
 * about 2/3 of a segment's work), with 3.33-3.67 probes per segment.
 */
import type { JobSnapshot, SegmentSnapshot } from './protocol';

/** The part of a searching job's work that is the CRF search (the rest is the final encode). */
export const SEARCH_SHARE = 2 / 3;
/** Probes a segment's search is expected to take; more are counted as this many. */
export const EXPECTED_PROBES = 3.5;
/** A search still running never counts as finished, however many probes it has taken. */
const SEARCH_CAP = 0.95;

export type ProgressFacts = Pick<JobSnapshot, 'status' | 'framesDone' | 'framesTotal' | 'segmentsDone' | 'segmentsTotal' | 'targetVmaf'> & {
  segments: Pick<SegmentSnapshot, 'state' | 'startSeconds' | 'endSeconds' | 'probes' | 'crf'>[];
};

/** How far a segment's CRF search is, 0..1: probes taken against the expected number, 1 once a CRF is chosen. */
export function searchFraction(segment: ProgressFacts['segments'][number]): number {
  if (segment.state === 'queued') return 0;
  if (segment.state === 'searching') return Math.min(SEARCH_CAP, segment.probes.length / EXPECTED_PROBES);
  if (segment.state === 'failed') return segment.crf !== undefined ? 1 : Math.min(SEARCH_CAP, segment.probes.length / EXPECTED_PROBES);
  return 1;
}

/** The job's progress, 0..1. */
export function jobProgress(job: ProgressFacts): number {
  if (job.status === 'done') return 1;
  if (job.framesTotal <= 0) return job.segmentsTotal > 0 ? clamp(job.segmentsDone / job.segmentsTotal) : 0;
  const encoded = clamp(job.framesDone / job.framesTotal);
  if (job.targetVmaf === undefined || !job.segments.length) return encoded;
  return clamp((1 - SEARCH_SHARE) * encoded + SEARCH_SHARE * searchedShare(job.segments));
}

/** The searched part of the job, weighted by each segment's length (its frames, at a constant rate). */
function searchedShare(segments: ProgressFacts['segments']): number {
  const lengths = segments.map((s) => Math.max(0, s.endSeconds - s.startSeconds));
  const total = lengths.reduce((sum, length) => sum + length, 0);
  if (total <= 0) return segments.reduce((sum, s) => sum + searchFraction(s), 0) / segments.length;
  return segments.reduce((sum, s, i) => sum + lengths[i]! * searchFraction(s), 0) / total;
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/** A whole percentage for display; 100 only when the job is done. */
export function progressPercent(job: ProgressFacts): number {
  if (job.status === 'done') return 100;
  return Math.min(99, Math.floor(100 * jobProgress(job)));
}
