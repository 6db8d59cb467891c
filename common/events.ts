/**
 * The job event contract. The CLI prints these as newline-delimited JSON with `--json`; the
 * language server forwards them to the editor. Fields are only ever added, never renamed.
 * See docs/cli.md, "JSON events".
 */
import type { MetricName } from './quality-metric';
import type { QualityTarget } from './quality-target';

/** Every metric measured at a segment's verification of its final output: the target's and each --also-score one (issue 25). */
export type MetricScores = Partial<Record<MetricName, number>>;

export type SegmentState = 'queued' | 'searching' | 'encoding' | 'validating' | 'done' | 'failed' | 'skipped';

/**
 * Why a segment starts where it does (--split): `start` for the first; then a scene change, a
 * source keyframe, a split of a scene longer than the maximum, or a fixed-length cut.
 */
export const SEGMENT_REASONS = ['start', 'scene', 'keyframe', 'split', 'fixed', 'zone'] as const;
export type SegmentReason = (typeof SEGMENT_REASONS)[number];

export interface Probe {
  crf: number;
  /** The probe's score in the job's target metric (VMAF unless --target-metric names another: see `metric`). */
  vmaf: number;
  /** The target metric the score is in, when it is not VMAF. */
  metric?: MetricName;
  bytes: number;
  seconds: number;
  /** Picture size of the VMAF reference (the cropped picture when the job crops); fresh probes only. */
  referenceWidth?: number;
  referenceHeight?: number;
}

export interface PlanEvent {
  event: 'plan';
  input: string;
  workDir: string;
  segments: number;
  frames: number;
  durationSeconds: number;
  width: number;
  height: number;
  fps: number;
  workers: number;
  /** With --hosts: each place segments run (`:` is this machine) and its worker count. */
  hosts?: { host: string; workers: number }[];
  /** Each planned segment: frame range, source time range and why it starts there. */
  ranges: {
    index: number;
    startFrame: number;
    frames: number;
    startSeconds: number;
    endSeconds: number;
    reason?: SegmentReason;
  }[];
  /** The picture encoded when black bars are cropped (--crop), in source pixels; absent: uncropped. */
  crop?: { width: number; height: number; x: number; y: number };
  /** Scene changes found (--split scene). */
  scenes?: number;
  /** Target quality: the job's target, resolved once (metric, value in its units, pool, verification band). */
  target?: QualityTarget;
  /**
   * What the streams carried besides the video add to the output (their bytes in the source; Opus
   * audio at its bitrate), and their kinds; absent: the output holds the video alone.
   */
  carried?: { bytes: number; kinds: ('audio' | 'subtitles' | 'attachments')[] };
}

export interface SegmentEvent {
  event: 'segment';
  index: number;
  state: SegmentState;
  crf?: number;
  /** VMAF only: set when VMAF was measured (the target, or --also-score vmaf). */
  vmaf?: number;
  /** Target quality (done): every metric measured at verification (the target's and each --also-score one). */
  scores?: MetricScores;
  bytes?: number;
  frames?: number;
  attempt?: number;
  error?: string;
  warning?: string;
  probe?: Probe;
  probes?: Probe[];
  peakRssBytes?: number;
  file?: string;
  /** Who made the segment (done): `:` for this machine, else the host as in --hosts (user@host:port). */
  host?: string;
  /** Target quality (done): the metric saturates below the target, e.g. `unreachable: best 90.5 at CRF 24`. */
  unreachable?: string;
  /** Target quality (done): the CRF the job's predictor named before any measurement. */
  predictedCrf?: number;
}

/**
 * The steps before the plan that report their own percent. With --split scene and --crop auto one
 * decode finds both (`scene and crop detection`); otherwise each runs alone.
 */
export type PlanningStep = 'scene detection' | 'scene and crop detection' | 'crop detection';

export interface ProgressEvent {
  event: 'progress';
  framesDone: number;
  framesTotal: number;
  segmentsDone: number;
  segmentsTotal: number;
  fps: number;
  etaSeconds: number | null;
  elapsedSeconds: number;
  estimatedBytes: number | null;
  /**
   * The job's work-weighted progress, 0–100 (server/src/job/work-model.ts): the probe, the plan's
   * steps, each segment's search, encode and check, and the join, mux and final check. 100 only when done.
   */
  percent?: number;
  /**
   * The step running now, named for the user: during planning `scene detection`, `crop detection`;
   * then `segment copies`; absent when the segments' own states say it (see docs/cli.md).
   */
  step?: string;
  /** How far that step is, 0–100 (from its ffmpeg's frames or windows), when it can say. */
  stepPercent?: number;
}

export interface PhaseEvent {
  event: 'phase';
  phase: 'probe' | 'plan' | 'segment' | 'encode' | 'concat' | 'mux' | 'validate' | 'cleanup';
}

export interface LogEvent {
  event: 'log';
  level: 'debug' | 'info' | 'warn';
  message: string;
}

export interface DoneEvent {
  event: 'done';
  output: string;
  frames: number;
  bytes: number;
  seconds: number;
  sourceBytes: number;
  segments: { index: number; crf?: number; vmaf?: number; scores?: MetricScores; bytes: number; warning?: string; unreachable?: string }[];
  /**
   * Target quality: the job's target, resolved (`target` is the CLI's text for it, kept as it was;
   * the plan event, the manifest and `status --json` call this object `target`).
   */
  qualityTarget?: QualityTarget;
  /** Added by the CLI (see cli/summary.ts): the source's duration, what the CRF aimed at, the encoder. */
  durationSeconds?: number;
  /** e.g. `VMAF 93 (harmonic_mean)` or `CRF 35`. */
  target?: string;
  /** e.g. `SVT-AV1 preset 8`. */
  engine?: string;
}

/** A re-run that found finished segments: how many it keeps (emitted once, before the encodes). */
export interface ResumeEvent {
  event: 'resume';
  kept: number;
  total: number;
}

export interface ErrorEvent {
  event: 'error';
  message: string;
  file?: string;
  failedSegments?: { index: number; error: string }[];
}

export type JobEvent = PlanEvent | SegmentEvent | ProgressEvent | PhaseEvent | LogEvent | DoneEvent | ErrorEvent | ResumeEvent;

export type EventSink = (event: JobEvent) => void;
