import type { EventSink, JobEvent } from '../../../common/events';
import type { EncodeOptions } from '../../../common/options';
import type { Tools } from '../sys';
import type { WorkDirLayout } from '../workdir';
import type { MediaInfo } from '../probe';
import type { FrameTimeline, InputWatch } from '../probe';
import type { SegmentPlan } from '../plan';
import type { ManifestStore } from './manifest';
import type { JobGuard } from './guard';
import type { CrfDecision, CrfJobState } from '../crf';
import type { SegmentRunner } from './segment-runner';

/** What the caller of a job gives it: cancellation, where events go, and a log. */
export interface JobContext {
  signal?: AbortSignal;
  onEvent?: EventSink;
  log?: (level: 'debug' | 'info' | 'warn', message: string) => void;
  /** What the CRF search remembers across this job's segments (default: a fresh one per job). */
  crfJob?: CrfJobState;
  /** `chunked-av1 search`: each segment's CRF decision (the quality cache filled), then stop before the final encodes. */
  searchOnly?: (result: { index: number; frames: number; decision: CrfDecision }) => void;
  /** Where to keep the quality report's data before a successful job removes its work directory (the editor's job storage). */
  reportDataFile?: string;
}

export type JobLog = (level: 'debug' | 'info' | 'warn', message: string) => void;

/** What every stage after the plan knows about the job; one per run, never shared between jobs. */
export interface JobState {
  options: EncodeOptions;
  ctx: JobContext;
  tools: Tools;
  input: string;
  /** The input's identity when the run first read it, checked again before each phase that reads it. */
  inputWatch: InputWatch;
  output: string;
  layout: WorkDirLayout;
  media: MediaInfo;
  timeline: FrameTimeline;
  plan: SegmentPlan;
  store: ManifestStore;
  guard: JobGuard;
  /** Where segments run: this machine, or also --hosts. */
  runner: SegmentRunner;
  emit: (event: JobEvent) => void;
  log: JobLog;
}

/** The job's emit and log: every log line is also a `log` event. */
export function jobEvents(ctx: JobContext): { emit: (event: JobEvent) => void; log: JobLog } {
  const emit = (event: JobEvent) => ctx.onEvent?.(event);
  const log: JobLog = (level, message) => {
    ctx.log?.(level, message);
    emit({ event: 'log', level, message });
  };
  return { emit, log };
}
