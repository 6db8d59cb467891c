import type { EncodeOptions } from '../../../common/options';
import { DEFAULT_CRF } from '../../../common/options';
import type { MetricScores, Probe } from '../../../common/events';
import type { MediaInfo } from '../probe';
import type { PlannedSegment } from '../plan';
import type { Tools } from '../sys';
import type { RetryAttempt } from './retry-ladder';
import type { VideoEncodeSettings } from '../encode';
import type { CrfJobState } from './crf-job-state';
import type { InputIdentity } from '../probe';

/**
 * What a CRF strategy is given and what it answers. There are two: fixedCrf (below) and the
 * target-quality search (target-quality.ts), which may hand back an encode it already made at the
 * chosen CRF (reusableOutput) so the segment is not encoded twice. crfStrategyFor
 * (choose-strategy.ts) picks one from a segment task's CRF policy.
 */
/**
 * The options a CRF strategy reads (fixedCrf the CRF, the search the rest); a job's task carries
 * them as its CRF policy (job/segment-task.ts), and `input` is only read when no sourceIdentity is given.
 */
export type CrfOptions = Pick<
  EncodeOptions,
  | 'input'
  | 'crf'
  | 'targetVmaf'
  | 'targetMetric'
  | 'target'
  | 'pool'
  | 'alsoScore'
  | 'minCrf'
  | 'maxCrf'
  | 'samples'
  | 'sampleSeconds'
  | 'vmafSubsample'
  | 'vmafPool'
  | 'vmafEngine'
  | 'probePreset'
  | 'strict'
  | 'maxEncodedPercent'
>;

/** What a CRF strategy reads of the source picture: its size (bits per pixel) and frame rate (sample times). */
export interface CrfPicture {
  video: Pick<MediaInfo['video'], 'width' | 'height' | 'frameRate'>;
}

export interface SegmentCrfContext {
  segment: PlannedSegment;
  options: CrfOptions;
  media: CrfPicture;
  tools: Tools;
  /** The segment's stream copy (segments/segment_NNN.mkv). */
  sourceFile: string;
  /** A directory the strategy may write its probe files to (inside the work dir). */
  scratchDir: string;
  /** The retry rung this attempt runs with (undefined: first attempt, default settings). */
  attempt?: RetryAttempt;
  signal?: AbortSignal;
  log?: (level: 'debug' | 'info' | 'warn', message: string) => void;
  /** Reports a search probe as it completes (forwarded as a segment event). */
  onProbe?: (probe: Probe) => void;
  /** The segment's encoder settings except the CRF (the search encodes its probes with them). */
  encodeSettings?: Omit<VideoEncodeSettings, 'crf'>;
  /** The job's work directory (the search keeps its measurement cache there). */
  workDir?: string;
  /** What target quality remembers across this job's segments (one per job, never shared between jobs). */
  crfJob?: CrfJobState;
  /** The source's identity when the source is not here (a --hosts worker); else read from options.input. */
  sourceIdentity?: InputIdentity;
  /**
   * The dry run (`search`): no segment is verified, so the job's predictor never gets a label and
   * the content fingerprint, which only serves the predictor, is not measured.
   */
  dryRun?: boolean;
}

export interface CrfDecision {
  crf: number;
  /** Measurements made to reach the decision (empty for a fixed CRF). */
  probes: Probe[];
  /** Predicted or measured VMAF at the chosen CRF, when known. */
  vmaf?: number;
  /** An encode of the whole segment at `crf` with the job's settings, ready to validate. */
  reusableOutput?: string;
  /** Shown with the segment (e.g. target not reachable within the CRF range). */
  warning?: string;
  /**
   * Set when the metric saturates below the target (`unreachable: best 90.5 at CRF 24`): the segment
   * is kept at its knee and the job finishes; never set when the target was met (--strict fails instead).
   */
  unreachable?: string;
  /** The CRF the job's predictor named before any measurement, when one was asked. */
  predictedCrf?: number;
  /** Whole-segment encodes at the final preset that this decision made (the final-encode path). */
  finalEncodes?: number;
  /**
   * Run on the validated encode before it is accepted: measures the whole segment's VMAF and
   * throws when it misses the target (the retry ladder then takes over).
   */
  verify?: (encodedFile: string) => Promise<{ vmaf: number; scores?: MetricScores; frames?: { index: number; vmaf: number }[] }>;
}

export type CrfStrategy = (context: SegmentCrfContext) => Promise<CrfDecision>;

/** The CRF the options name (--crf), the same for every segment. */
export const fixedCrf: CrfStrategy = ({ options }) => Promise.resolve({ crf: options.crf ?? DEFAULT_CRF, probes: [] });
