import { rename, stat, unlink } from 'node:fs/promises';
import { encodeSegment, type EncodeRunOptions } from '../encode';
import { fileSha256 } from './manifest';
import type { MetricScores, Probe, SegmentState } from '../../../common/events';
import { probeSegment, segmentProblems } from '../validate';
import type { SegmentTask } from './segment-task';
import { decideCrf, type CrfEnv } from './crf-context';

/**
 * Runs one segment's task, one attempt: decide the CRF, encode to a temporary name, validate,
 * rename into place. The same function runs here and on a host (cli/segment-worker.ts); only its
 * environment differs. Retries, time-outs and the search-only run wrap it; it never retries itself.
 */

/** Where one attempt of a task runs, and what it reports on the way. */
export interface SegmentTaskEnv extends CrfEnv {
  /** Where the validated file ends up, and where it is written before validation. */
  output: string;
  tempOutput: string;
  /** Child tracking, CPU set and frame reports of the encode (its time-out is the task's). */
  run?: Omit<EncodeRunOptions, 'signal' | 'timeoutMs'>;
  onState?: (state: SegmentState, details?: { crf?: number; probes?: Probe[] }) => void;
}

export interface SegmentTaskResult {
  crf: number;
  /** VMAF only (the target's, or --also-score vmaf's). */
  vmaf?: number;
  /** Another target metric, or --also-score: every metric measured at verification (issue 25). */
  scores?: MetricScores;
  probes: Probe[];
  warning?: string;
  /** Target quality: kept below the target because the metric saturates there (CrfDecision.unreachable). */
  unreachable?: string;
  predictedCrf?: number;
  /** SVT-AV1 runs over the segment: its probes, plus the final encode unless a probe was reused (the report's column). */
  encodes?: number;
  bytes: number;
  frames: number;
  hash: string;
  encodeSeconds: number;
  peakRssBytes?: number;
  /** The verification's scored frames (index, VMAF), for the report's per-frame chart. */
  scoredFrames?: { index: number; vmaf: number }[];
}

/** A segment whose encode ran but whose result is wrong (not a crash of ffmpeg). */
export class SegmentValidationError extends Error {
  constructor(
    readonly index: number,
    readonly problems: string[],
  ) {
    super(problems.join('; '));
    this.name = 'SegmentValidationError';
  }
}

export async function runSegmentTask(task: SegmentTask, env: SegmentTaskEnv): Promise<SegmentTaskResult> {
  const { signal } = env;
  const expectation = task.expect;
  if (task.crf.kind === 'target') env.onState?.('searching');
  const decision = await decideCrf(task, env);
  let encodeSeconds = 0;
  let peakRssBytes: number | undefined;
  let scoredFrames: SegmentTaskResult['scoredFrames'];
  let scores: MetricScores | undefined;
  // The decision's score is in the target metric; `vmaf` means VMAF only.
  const targetMetric = task.crf.kind === 'target' ? (task.crf.targetMetric ?? 'vmaf') : undefined;
  try {
    if (decision.reusableOutput) {
      // The final-encode path made this segment's encode at its final settings (a search probe reused is not one).
      if (decision.finalEncodes) env.onState?.('encoding', { crf: decision.crf });
      await rename(decision.reusableOutput, env.tempOutput);
    } else {
      env.onState?.('encoding', { crf: decision.crf });
      const run = await encodeSegment(env.tools, env.sourceFile, task.segment, { ...task.encode, crf: decision.crf }, env.tempOutput, {
        ...env.run,
        ...(task.timeoutMs ? { timeoutMs: task.timeoutMs } : {}),
        signal,
      });
      encodeSeconds = run.seconds;
      peakRssBytes = run.peakRssBytes;
    }
    env.onState?.('validating', { crf: decision.crf });
    const facts = await probeSegment(env.tools, env.tempOutput, signal);
    const problems = segmentProblems(facts, expectation);
    if (problems.length) throw new SegmentValidationError(task.segment.index, problems);
    if (decision.verify) {
      const verified = await decision.verify(env.tempOutput);
      decision.vmaf = verified.vmaf;
      if (verified.scores) scores = verified.scores;
      // Per-frame scores in another metric are not VMAF's: the report's frame chart is VMAF's (report25 decides the rest).
      if (verified.frames?.length && targetMetric === 'vmaf') scoredFrames = verified.frames;
    }
    await rename(env.tempOutput, env.output);
  } catch (error) {
    await unlink(env.tempOutput).catch(() => undefined);
    throw error;
  }
  const bytes = (await stat(env.output)).size;
  const result: SegmentTaskResult = {
    crf: decision.crf,
    probes: decision.probes,
    bytes,
    frames: expectation.frames,
    hash: await fileSha256(env.output),
    encodeSeconds,
    encodes: decision.probes.length + (decision.reusableOutput ? 0 : 1),
  };
  const vmaf = targetMetric === undefined || targetMetric === 'vmaf' ? decision.vmaf : scores?.vmaf;
  if (vmaf !== undefined) result.vmaf = vmaf;
  if (scores) result.scores = scores;
  if (decision.warning) result.warning = decision.warning;
  if (decision.unreachable) result.unreachable = decision.unreachable;
  if (decision.predictedCrf !== undefined) result.predictedCrf = decision.predictedCrf;
  if (peakRssBytes !== undefined) result.peakRssBytes = peakRssBytes;
  if (scoredFrames) result.scoredFrames = scoredFrames;
  return result;
}
