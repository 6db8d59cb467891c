/**
 * The one protocol between the VS Code client and the Chunked AV1 language server. Both sides
 * import this module, so a method name or a payload shape cannot drift between them. Every
 * method lives under `chunkedAv1/`, typed with vscode-languageserver-protocol's RequestType and
 * NotificationType (as vscode-eslint and rust-analyzer do).
 */
import { NotificationType, RequestType, RequestType0, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { Probe, SegmentReason, SegmentState } from './events';
import type { QualityReport } from './report';
import type { MetricName } from './quality-metric';
import type { QualityTarget } from './quality-target';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

/** What the client asks for. The server resolves the preset and every setting itself. */
export interface StartJobParams {
  /** Absolute path of the source video. */
  input: string;
  /** Preset name from `chunkedAv1.presets`; the default preset when absent. */
  preset?: string;
  /** The user chose *Replace* for a file already at the output path. */
  overwrite?: boolean;
  /** The user confirmed an output path outside the workspace folders and the input's folder. */
  allowOutsideWorkspace?: boolean;
}

/** Error code of a StartJob the server refuses until the user confirms; `data` is a StartJobRefusal. */
export const NEEDS_CONFIRMATION = 1001;

/** Why StartJob needs the user's word first, and the resolved output path to show them. */
export interface StartJobRefusal {
  reason: 'outputExists' | 'outputOutsideWorkspace';
  output: string;
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
  /** Why it starts where it does (the plan event's reason), when the plan named one. */
  reason?: SegmentReason;
  crf?: number;
  /** VMAF only, when VMAF was measured (`scores.vmaf` too). */
  vmaf?: number;
  /** Every metric measured at verification: the job's target metric and each --also-score (issue 25). */
  scores?: Partial<Record<MetricName, number>>;
  bytes?: number;
  error?: string;
  warning?: string;
  probes: Probe[];
  /** Absolute path of the encoded segment file, when known. */
  file?: string;
  /** Who made it, with --hosts / chunkedAv1.hosts: `:` for this machine, else user@host:port. */
  host?: string;
}

export interface JobSnapshot {
  jobId: string;
  input: string;
  output?: string;
  workDir?: string;
  preset: string;
  /** The job's VMAF target and CRF ceiling, when it searches: a segment at the ceiling above the target is reported. */
  targetVmaf?: number;
  maxCrf?: number;
  /** The job's target in its metric (the plan event's, or the manifest's); absent: fixed CRF, or an older backend (VMAF). */
  target?: QualityTarget;
  status: JobStatus;
  segments: SegmentSnapshot[];
  segmentsDone: number;
  segmentsTotal: number;
  framesDone: number;
  framesTotal: number;
  etaSeconds: number | null;
  /** The job's work-weighted percent from its progress events (the CLI line's figure); absent: older backends. */
  percent?: number;
  /** Wall time since the job started running. */
  elapsedSeconds: number;
  sourceBytes?: number;
  outputBytes?: number;
  error?: string;
  /** When the job was queued (ms since the epoch); the jobs view lists the newest first. */
  createdAt?: number;
  startedAt?: number;
  finishedAt?: number;
}

export interface RemoveJobsParams {
  /** Jobs to forget; a running or queued job is kept (cancel it first). */
  jobIds: string[];
}

export interface PresetProblemsParams {
  /** The file the preset is for (settings can differ per folder). */
  scopeUri?: string;
}

export interface PresetProblemsResult {
  /** The first problem of each invalid preset, by name; such a preset cannot start a job. */
  invalid: Record<string, string>;
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

export const StartJob = new RequestType<StartJobParams, StartJobResult, StartJobRefusal>('chunkedAv1/startJob');
export const CancelJob = new RequestType<JobIdParams, void, void>('chunkedAv1/cancelJob');
export const RetrySegments = new RequestType<RetrySegmentsParams, StartJobResult, void>('chunkedAv1/retrySegments');
export const ListJobs = new RequestType0<ListJobsResult, void>('chunkedAv1/listJobs');
/** Runs an interrupted or failed job again from its work directory (resume). */
export const ResumeJob = new RequestType<JobIdParams, StartJobResult, void>('chunkedAv1/resumeJob');

/** Forgets finished jobs (the list and their Problems entries); answers with the jobs that remain. */
export const RemoveJobs = new RequestType<RemoveJobsParams, ListJobsResult, void>('chunkedAv1/removeJobs');

/** The job's quality report (#15) from its manifest; null when it has none (yet, or any more). */
export const JobReport = new RequestType<JobIdParams, QualityReport | null, void>('chunkedAv1/jobReport');

export const PresetProblems = new RequestType<PresetProblemsParams, PresetProblemsResult, void>('chunkedAv1/presetProblems');

/** What the walkthrough's first step and the Check ffmpeg command report: the server's tool check. */
export interface CheckToolsResult {
  ffmpeg: string;
  ffprobe: string;
  /** ffmpeg's first version line, when it runs. */
  version?: string;
  hasLibsvtav1: boolean;
  hasLibvmaf: boolean;
  /** ffprobe runs. */
  ffprobeRuns: boolean;
  /** The one line that says what is missing (absent when everything needed is there). */
  problem?: string;
}
export const CheckTools = new RequestType<PresetProblemsParams, CheckToolsResult, void>('chunkedAv1/checkTools');

/** *Add Zone for This Segment* (#26): which segment of which known job. */
export interface AddZoneParams {
  jobId: string;
  segment: number;
}
/** The edit (an LSP WorkspaceEdit) that appends the segment's zone line to `INPUT.zones`, creating it when missing. */
export interface AddZoneResult {
  uri: string;
  /** The new line's number (0-based) once the edit is applied. */
  line: number;
  edit: WorkspaceEdit;
}
export const AddZoneForSegment = new RequestType<AddZoneParams, AddZoneResult, void>('chunkedAv1/addZoneForSegment');

export const JobState = new NotificationType<JobSnapshot>('chunkedAv1/jobState');
export const SegmentStateChanged = new NotificationType<SegmentStateParams>('chunkedAv1/segmentState');

export const ALL_METHODS = [
  StartJob,
  CancelJob,
  RetrySegments,
  ListJobs,
  ResumeJob,
  RemoveJobs,
  PresetProblems,
  JobReport,
  CheckTools,
  AddZoneForSegment,
  JobState,
  SegmentStateChanged,
].map((type) => type.method);
