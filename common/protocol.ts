/**
 * The one protocol between the VS Code client and the Chunked AV1 language server. Both sides
 * import this module, so a method name or a payload shape cannot drift between them. Every
 * method lives under `chunkedAv1/`.
 */
import type { Probe, SegmentState } from './events';
import type { QualityReport } from './report';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

/** What the client asks for. The server resolves the preset and every setting itself. */
export interface StartJobParams {
  /** Absolute path of the source video. */
  input: string;
  /** Preset name from `chunkedAv1.presets`; the default preset when absent. */
  preset?: string;
}

export interface StartJobResult {
  jobId: string;
}

export interface JobIdParams {
  jobId: string;
}

export interface RetrySegmentsParams {
  jobId: string;
  /** Segment indexes to encode again; every failed segment when absent. */
  segments?: number[];
}

export interface SegmentSnapshot {
  index: number;
  state: SegmentState;
  startSeconds: number;
  endSeconds: number;
  crf?: number;
  vmaf?: number;
  bytes?: number;
  error?: string;
  warning?: string;
  probes: Probe[];
  /** Absolute path of the encoded segment file, when known. */
  file?: string;
}

export interface JobSnapshot {
  jobId: string;
  input: string;
  output?: string;
  workDir?: string;
  preset: string;
  status: JobStatus;
  segments: SegmentSnapshot[];
  segmentsDone: number;
  segmentsTotal: number;
  framesDone: number;
  framesTotal: number;
  etaSeconds: number | null;
  /** Wall time since the job started running. */
  elapsedSeconds: number;
  sourceBytes?: number;
  outputBytes?: number;
  error?: string;
  startedAt?: number;
  finishedAt?: number;
}

export interface ListJobsResult {
  jobs: JobSnapshot[];
}

/** A segment's state changed; sent for each segment event of the pipeline. */
export interface SegmentStateParams {
  jobId: string;
  segment: SegmentSnapshot;
}

/** Settings the client hands the server at start. */
export interface InitializationOptions {
  /** A folder the server may write to (the extension's global storage). */
  storagePath: string;
}

/** A typed method name: the phantom fields carry the parameter and result types. */
export interface RequestDef<P, R> {
  method: string;
  readonly _params?: P;
  readonly _result?: R;
}
export interface NotificationDef<P> {
  method: string;
  readonly _params?: P;
}

const request = <P, R>(method: string): RequestDef<P, R> => ({ method });
const notification = <P>(method: string): NotificationDef<P> => ({ method });

export const StartJob = request<StartJobParams, StartJobResult>('chunkedAv1/startJob');
export const CancelJob = request<JobIdParams, void>('chunkedAv1/cancelJob');
export const RetrySegments = request<RetrySegmentsParams, StartJobResult>('chunkedAv1/retrySegments');
export const ListJobs = request<void, ListJobsResult>('chunkedAv1/listJobs');
/** Runs an interrupted or failed job again from its work directory (resume). */
export const ResumeJob = request<JobIdParams, StartJobResult>('chunkedAv1/resumeJob');

/** The job's quality report (#15) from its manifest; null when it has none (yet, or any more). */
export const JobReport = request<JobIdParams, QualityReport | null>('chunkedAv1/jobReport');

export const JobState = notification<JobSnapshot>('chunkedAv1/jobState');
export const SegmentStateChanged = notification<SegmentStateParams>('chunkedAv1/segmentState');

export const ALL_METHODS = [StartJob, CancelJob, RetrySegments, ListJobs, ResumeJob, JobReport, JobState, SegmentStateChanged]
  .map((def) => def.method);
