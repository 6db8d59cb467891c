/**
 * The quality report model (issue #15): what the CLI's HTML report, `report --json` and the
 * editor's report panel all draw. Built on the server from the manifest and the quality cache
 * (server/src/report/model.ts); the client only reads it. Fields are only ever added.
 */
import type { MetricName } from './quality-metric';

export const REPORT_VERSION = 1;

/** The band a verified segment should land in: [target − below, target + above]. */
export const TARGET_BAND = { below: 0.5, above: 2 } as const;

export interface ReportProbe {
  crf: number;
  /** The probe's score: VMAF, or the metric `metric` names (issue 25: the search measures the job's metric). */
  vmaf: number;
  metric?: MetricName;
  bytes: number;
  seconds: number;
}

export interface ScoredFrame {
  index: number;
  vmaf: number;
}

/** Per metric, the score measured (issue 25); absent metrics were not measured. */
export type MetricScores = Partial<Record<MetricName, number>>;

/** One verified frame's scores in the metrics other than VMAF (VMAF stays in `scoredFrames`). */
export interface FrameScores {
  index: number;
  scores: MetricScores;
}

/**
 * The zone a segment lies in (issue 26): its number in the zones file and what it overrides, as the
 * file writes it (`target-vmaf=95`); `label` is what the charts print over its range.
 */
export interface SegmentZoneReport {
  index: number;
  overrides: Record<string, number | string>;
  label: string;
}

/** A zone's whole range over the plan (its segments are contiguous: no segment spans two zones). */
export interface ZoneRange extends SegmentZoneReport {
  startFrame: number;
  /** The first frame after the zone (excluded, as in a zones file). */
  endFrame: number;
  startSeconds: number;
  endSeconds: number;
  /** Its segments' indexes. */
  segments: number[];
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
  /**
   * Every metric measured at verification (issue 25): the job's target metric and each
   * `--also-score` one. Absent in records made before; their VMAF is `vmaf`.
   */
  scores?: MetricScores;
  /** Where the verified score of the job's metric falls against the target band. */
  band?: 'below' | 'within' | 'above';
  /** The segment's own target when its zone overrides the job's (`target-vmaf=` in a zones file). */
  target?: number;
  /** The zone the segment lies in (issue 26), when a zones file gave it one. */
  zone?: SegmentZoneReport;
  /** Per-frame VMAF of the verification, when it was kept (older records: scores only). Superseded by scoredFrames. */
  frameVmaf?: number[];
  /** The verification's scored frames: index from the segment's first frame, and its VMAF. */
  scoredFrames?: ScoredFrame[];
  /** The verification's per-frame scores in the other metrics (SSIMULACRA2, XPSNR), when kept. */
  frameScores?: FrameScores[];
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
  /**
   * The metric the job targets and the charts show first (issue 25); `vmaf` for jobs made before.
   * `target`, `band` and `quality` are in its units.
   */
  metric?: MetricName;
  /** Metrics scored at verification besides `metric` (`--also-score`), charted beside it. */
  alsoScored?: MetricName[];
  /**
   * The target and its band (target quality only), in `metric`'s units. `vmaf` is the target's
   * value whatever the metric: the name is from when VMAF was the only one.
   */
  target?: { vmaf: number; low: number; high: number; pool?: string };
  /** The fixed CRF (fixed-CRF jobs). */
  crf?: number;
  preset: number;
  frames: number;
  durationSeconds: number;
  startSeconds: number;
  totals: ReportTotals;
  /**
   * Whole-file figures over the verified segments, frame-weighted, in `metric`'s units (named for
   * VMAF, the first metric); undefined without scores.
   */
  quality?: { meanVmaf: number; minVmaf: number; minSegment: number; belowBand: number; aboveBand: number };
  /** The zones file's zones over the plan (issue 26), in plan order; absent without zones. */
  zones?: ZoneRange[];
  segments: SegmentReport[];
}

/** Messages between the report panel and its webview. */
/** `job` is the panel's key for the job (its work directory), kept in the webview's state for the restore after a reload. */
export type ReportToWebview = { type: 'report'; report: QualityReport; job?: string };
/** `addZone`: *Add Zone for This Segment* from a chart bar (issue 26), offered only in the editor's panel. */
export type ReportFromWebview = { type: 'revealSegment'; index: number } | { type: 'addZone'; index: number } | { type: 'ready' };
