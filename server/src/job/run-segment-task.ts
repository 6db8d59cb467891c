import { rename, stat, unlink } from 'node:fs/promises';
import { crfStrategyFor, type CrfDecision, type CrfJobState, type SegmentCrfContext } from '../crf';
import { encodeSegment, type EncodeRunOptions } from '../encode';
import type { Tools } from '../sys';
import { fileSha256 } from './manifest';
import type { Probe, SegmentState } from '../../../common/events';
import { probeSegment, segmentProblems } from '../validate';
import { crfOptionsOf, rungOf, type SegmentTask } from './segment-task';
import type { JobLog } from './job-state';

/**
 * Runs one segment's task, one attempt: decide the CRF, encode to a temporary name, validate,
 * rename into place. The same function runs here and on a host (cli/segment-worker.ts); only its
 * environment differs. Retries, time-outs and the search-only run wrap it; it never retries itself.
 */

/** What deciding a CRF needs besides the task: what is local to where it runs. */
export interface CrfEnv {
  tools: Tools;
  /** The segment's stream copy here (segments/segment_NNN.mkv, or the copy a host received). */
  sourceFile: string;
  /** A directory the search may write its probe files to. */
  scratchDir: string;
  /** Where the search keeps its measurement cache. */
  workDir: string;
  /** What target quality remembers across this job's segments (a host's worker has its own). */
  crfJob: CrfJobState;
  signal?: AbortSignal;
  log?: JobLog;
  /** A search probe as it completes (forwarded as a segment event). */
  onProbe?: (probe: Probe) => void;
}

/** Where one attempt of a task runs, and what it reports on the way. */
export interface SegmentTaskEnv extends CrfEnv {
  /** Where the validated file ends up, and where it is written before validation. */
  output: string;
  tempOutput: string;
  /** Child tracking, CPU set and frame reports of the encode (its time-out is the task's). */
  run?: Omit<EncodeRunOptions, 'signal' | 'timeoutMs'>;
  onState?: (state: SegmentState, details?: { crf?: number; probes?: Probe[] }) => void;
}

/** The CRF stage's context for a task, built here only (for a local run, a host's run and a search-only run). */
export function crfContextFor(task: SegmentTask, env: CrfEnv): SegmentCrfContext {
  const context: SegmentCrfContext = {
    segment: task.segment,
    options: crfOptionsOf(task),
    media: { video: task.video },
    tools: env.tools,
    sourceFile: env.sourceFile,
    scratchDir: env.scratchDir,
    workDir: env.workDir,
    crfJob: env.crfJob,
    encodeSettings: task.encode,
    sourceIdentity: task.source,
  };
  const rung = rungOf(task);
  if (rung) context.attempt = rung;
  if (env.signal) context.signal = env.signal;
  if (env.log) context.log = env.log;
  if (env.onProbe) context.onProbe = env.onProbe;
  return context;
}

/** The task's CRF decision by the strategy its policy names (the whole of a search-only run's work). */
export function decideCrf(task: SegmentTask, env: CrfEnv): Promise<CrfDecision> {
  return crfStrategyFor(task.crf)(crfContextFor(task, env));
}

export interface SegmentTaskResult {
  crf: number;
  vmaf?: number;
  probes: Probe[];
  warning?: string;
  /** Target quality: kept below the target because the metric saturates there (CrfDecision.unreachable). */
  unreachable?: string;
  predictedCrf?: number;
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
      if (verified.frames?.length) scoredFrames = verified.frames;
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
  };
  if (decision.vmaf !== undefined) result.vmaf = decision.vmaf;
  if (decision.warning) result.warning = decision.warning;
  if (decision.unreachable) result.unreachable = decision.unreachable;
  if (decision.predictedCrf !== undefined) result.predictedCrf = decision.predictedCrf;
  if (peakRssBytes !== undefined) result.peakRssBytes = peakRssBytes;
  if (scoredFrames) result.scoredFrames = scoredFrames;
  return result;
}
