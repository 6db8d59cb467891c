import { CrfJobState, targetKey } from './crf-job-state';
import { qualityTargetOf } from '../../../common/options';
import type { TargetOptions } from '../../../common/quality-target';
import type { CrfLabel } from './crf-predictor';

/**
 * A remote segment and this job's CRF predictor (issue 22: "a remote segment carries its predicted
 * CRF and reports its label back"). A host runs each segment in a process of its own, so what the
 * job has learnt travels with the segment and what the host learns comes back:
 * - out: the job's labels (with their content fingerprints), its slopes and the segment's attempt
 *   lines. The host predicts the CRF from them exactly as this machine would, on the fingerprint it
 *   measures from the copy it received, and takes the final-encode-first path when sure; a segment
 *   already tried once searches, as here.
 * - back: the segment's label (its CRF at T, fingerprint and what was predicted) and the slope its
 *   encodes showed; merged here as a local segment's would be recorded.
 * Pure.
 */

/**
 * The job's state for the target a segment's CRF policy names: labels and slopes are learnt per
 * target (issue 25), so a segment of a zone with its own target takes and brings back that target's.
 */
export function stateForTarget(job: CrfJobState, policy: TargetOptions): CrfJobState {
  const quality = qualityTargetOf(policy);
  return quality ? job.forTarget(targetKey(quality)) : job;
}

/** What this job's CRF stage knows when a segment leaves for a host. */
export interface CrfMemory {
  labels: CrfLabel[];
  slopes: number[];
  /** The segment's earlier attempts (their lines): a retry searches instead of predicting. */
  history: string[];
}

/** What a host learnt from one segment. */
export interface RemoteLearnt {
  /** The verified segment's label; none when it was not met (unreachable) or not searched (fixed CRF). */
  label?: CrfLabel;
  /** Slopes the host added (u per CRF, from the segment's own encodes or probes). */
  slopes: number[];
}

/** The memory a segment takes to a host (copies: the job goes on learning while it is away). */
export function crfMemoryFor(job: CrfJobState, segment: number): CrfMemory {
  return { labels: job.labels.map((label) => ({ ...label })), slopes: [...job.slopes], history: [...job.historyOf(segment)] };
}

/** The host's CRF state for one segment, seeded with the job's memory (a fresh one without it). */
export function crfJobFrom(memory: CrfMemory | undefined, segment: number): CrfJobState {
  const job = new CrfJobState();
  if (!memory) return job;
  for (const label of memory.labels) job.recordLabel(label);
  job.slopes.push(...memory.slopes);
  for (const line of memory.history) job.recordAttempt(segment, () => line);
  return job;
}

/** What the host's state learnt from the segment beyond the memory it was seeded with. */
export function learntOnHost(job: CrfJobState, segment: number, memory: CrfMemory | undefined): RemoteLearnt {
  const label = job.labels.find((l) => l.segment === segment);
  return { ...(label ? { label } : {}), slopes: job.slopes.slice(memory?.slopes.length ?? 0) };
}

/** Records what a host learnt from a segment in this job's state, as a local segment's verification would. */
export function mergeRemoteLearnt(job: CrfJobState, segment: number, learnt: RemoteLearnt | undefined): void {
  if (!learnt) return;
  // A label for another segment is not this one's (a host answers for the segment it was sent).
  if (learnt.label && learnt.label.segment === segment) job.recordLabel({ ...learnt.label });
  job.slopes.push(...learnt.slopes.filter((slope) => Number.isFinite(slope)));
  job.forget(segment);
}
