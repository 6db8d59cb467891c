import { crfStrategyFor, type CrfDecision, type CrfJobState, type SegmentCrfContext } from '../crf';
import type { Tools } from '../sys';
import type { Probe } from '../../../common/events';
import { crfOptionsOf, rungOf, type SegmentTask } from './segment-task';
import type { JobLog } from './job-state';

/**
 * A task's CRF decision: the CRF stage's context is built from the task and what is local to where
 * it runs, here only, for an encode here or on a host (run-segment-task.ts), for the search-only
 * run (segment-pool.ts) and for a host's label (hosts/hosts-runner.ts).
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
  /** The dry run (`search`): nothing is verified, so nothing is learnt to predict from. */
  dryRun?: boolean;
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
  if (env.dryRun) context.dryRun = true;
  return context;
}

/** The task's CRF decision by the strategy its policy names (the whole of a search-only run's work). */
export function decideCrf(task: SegmentTask, env: CrfEnv): Promise<CrfDecision> {
  return crfStrategyFor(task.crf)(crfContextFor(task, env));
}
