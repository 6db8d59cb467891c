/**
 * The quality report model (issue #15): what the CLI's HTML report, `report --json` and the
 * editor's report panel all draw. Built on the server from the manifest and the quality cache
 * (server/src/report/model.ts); the client only reads it. Fields are only ever added.
 */
export const REPORT_VERSION = 1;

/** The band a verified segment should land in: [target − below, target + above]. */
export const TARGET_BAND = { below: 0.5, above: 2 } as const;

export interface ReportProbe {
  crf: number;
  vmaf: number;
  bytes: number;
  seconds: number;
}

export interface ScoredFrame {
  index: number;
  vmaf: number;
}

/** A search's prediction for one segment: the CRF it chose, the VMAF it measured there, the size it extrapolates. */
export interface SegmentPrediction {
  crf: number;
  vmaf?: number;
  bytes?: number;
  kbps?: number;
  warning?: string;
}

export interface SegmentReport {
  index: number;
  /** pending: not encoded (yet, or never: a failed or cancelled job). */
  state: 'pending' | 'done' | 'failed';
  startFrame: number;
  frames: number;
  /** Film time (source seconds) the segment covers. */
  startSeconds: number;
  endSeconds: number;
  /** Why the segment was cut here, when the plan recorded scene cuts. */
  cutReason?: string;
  /** The final CRF: the one the segment was encoded with. */
  crf?: number;
  /** Target quality: the CRF the job's predictor named before any measurement (issue 22), when it named one. */
  predictedCrf?: number;
  /**
   * SVT-AV1 runs over this segment that led to its output: the search's probe encodes (windows or
   * whole segment) plus the final encode unless a probe was reused as the output. Absent in records
   * made before the count was kept.
   */
  encodes?: number;
  /** The verified whole-segment VMAF (target quality only). */
  vmaf?: number;
  /** Where the verified VMAF falls against the target band. */
  band?: 'below' | 'within' | 'above';
  /** Per-frame VMAF of the verification, when it was kept (older records: scores only). Superseded by scoredFrames. */
  frameVmaf?: number[];
  /** The verification's scored frames: index from the segment's first frame, and its VMAF. */
  scoredFrames?: ScoredFrame[];
  bytes?: number;
  kbps?: number;
  /** The source's video bytes and bitrate over the segment's exact range, when the source was measured. */
  sourceBytes?: number;
  sourceKbps?: number;
  /** What a search-only run (`chunked-av1 search`) predicted for the segment: nothing was encoded. */
  prediction?: SegmentPrediction;
  /** The search's measurements, in the order they were made (empty for a fixed CRF). */
  probes: ReportProbe[];
  /** The preset the probes were encoded with, when it differs from the job's. */
  probePreset?: number;
  attempts: number;
  warning?: string;
  error?: string;
  /** The host that encoded it, once distributed encoding exists. */
  host?: string;
}

export interface ReportTotals {
  segments: number;
  done: number;
  failed: number;
  pending: number;
  sourceBytes: number;
  /** Sum of the encoded segments' video bytes. */
  encodedBytes: number;
  /** 1 − output bytes / source bytes, once the output exists. */
  saving?: number;
  wallSeconds?: number;
  cpuSeconds?: number;
  /** The finished output file's size, once it exists. */
  outputBytes?: number;
  /** Mean video bitrate of the encoded segments. */
  kbps?: number;
  /** Mean video bitrate of the source over the same segments, when it was measured. */
  sourceKbps?: number;
  /** A search-only run: segments predicted and the video bytes predicted for them. */
  predicted?: { segments: number; bytes: number };
}

export interface QualityReport {
  version: typeof REPORT_VERSION;
  input: string;
  output: string;
  /** `searched`: a search-only run (`chunked-av1 search`); its segments carry predictions, not encodes. */
  status: 'running' | 'failed' | 'cancelled' | 'done' | 'searched';
  updatedAt: string;
  mode: 'target-quality' | 'fixed-crf';
  /** Target VMAF and its band (target quality only). */
  target?: { vmaf: number; low: number; high: number };
  /** The fixed CRF (fixed-CRF jobs). */
  crf?: number;
  preset: number;
  frames: number;
  durationSeconds: number;
  startSeconds: number;
  totals: ReportTotals;
  /** Whole-file figures over the verified segments, frame-weighted; undefined without VMAF. */
  quality?: { meanVmaf: number; minVmaf: number; minSegment: number; belowBand: number; aboveBand: number };
  segments: SegmentReport[];
}

/** Messages between the report panel and its webview. */
/** `job` is the panel's key for the job (its work directory), kept in the webview's state for the restore after a reload. */
export type ReportToWebview = { type: 'report'; report: QualityReport; job?: string };
export type ReportFromWebview = { type: 'revealSegment'; index: number } | { type: 'ready' };
