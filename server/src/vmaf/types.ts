import type { Tools } from '../sys';
import type { VmafReferenceCache } from './builtin/reference-cache';

/** Which implementation measures VMAF. `auto` picks libvmaf when ffmpeg has it, else the built-in one. */
export type VmafEngineChoice = 'auto' | 'libvmaf' | 'builtin';
export type VmafEngineName = 'libvmaf' | 'builtin';

/** How per-frame scores become one number: mean, harmonic mean, minimum, or the Nth percentile (`p1`, `p5`, ...). */
export type VmafPool = 'mean' | 'harmonic_mean' | 'min' | `p${number}`;

export interface VmafOptions {
  /**
   * Score every Nth frame (frames 0, N, 2N, ...), like libvmaf's n_subsample. Default 1. The pools
   * weigh each scored frame by the frames it stands for (frame-set.ts), so they estimate the
   * every-frame pools; libvmaf's own pooled values at n_subsample weigh every scored frame alike.
   */
  subsample?: number;
  /** Which pooled value becomes `score`. Default `mean`. */
  pool?: VmafPool;
  /**
   * `v0.6.1`, `4k`, or a path to a libvmaf JSON model. Default: `4k` when the distorted video is
   * wider than 2560 and taller than 1440 (as ab-av1 does), else `v0.6.1`.
   */
  model?: string;
  engine?: VmafEngineChoice;
  /** Worker threads (built-in) or libvmaf's n_threads. Default: the number of CPUs, at most 4. */
  threads?: number;
  signal?: AbortSignal;
  tools?: Partial<Tools>;
  /** Called after each scored frame with the number of frames decoded so far. */
  onProgress?: (framesDecoded: number) => void;
  /**
   * What the caller already knows about either input (files it made itself), so that input is
   * not probed with ffprobe (≈ 0.25 CPU s per start). The file must still exist; a wrong claim
   * shows up as a frame count mismatch, the decoded bytes no longer dividing into such frames.
   */
  inputs?: { reference?: VmafInputInfo; distorted?: VmafInputInfo };
  /**
   * Built-in engine: keeps the reference's scored frames and motion, so the next measurement
   * against the same (unchanged) reference decodes only the distorted file. Same scores.
   */
  referenceCache?: VmafReferenceCache;
}

/** An input's video stream as ffprobe describes it. */
export interface VmafInputInfo {
  width: number;
  height: number;
  /** ffmpeg pixel format name, e.g. `yuv420p10le`. */
  pixFmt: string;
  /**
   * Built-in engine only: measure the file as decoded with these input options and through this
   * filter chain (width, height and pixFmt then describe the filter's output), e.g. a segment
   * of the source exactly as the segment encode sees it, without writing that intermediate.
   */
  through?: { inputOptions: string[]; filter: string };
}

/** The six VMAF v0.6.1 features, named as libvmaf names them in its JSON log. */
export interface VmafFeatures {
  integer_adm2: number;
  integer_motion2: number;
  integer_vif_scale0: number;
  integer_vif_scale1: number;
  integer_vif_scale2: number;
  integer_vif_scale3: number;
}

export interface VmafFrameScore {
  /** Frame number from the first frame of both inputs (0-based). */
  index: number;
  vmaf: number;
  features: VmafFeatures;
}

export interface VmafPooled {
  mean: number;
  harmonicMean: number;
  min: number;
  p1: number;
  p5: number;
}

export interface VmafResult {
  /** The pooled value selected by `pool`. */
  score: number;
  pool: VmafPool;
  pooled: VmafPooled;
  frames: VmafFrameScore[];
  engine: VmafEngineName;
  /** `v0.6.1`, `4k`, or the model file path. */
  model: string;
  /** Frames decoded in each input (scored frames are fewer with subsample). */
  frameCount: number;
  width: number;
  height: number;
  bitDepth: number;
  /**
   * The pixel format both sides were measured in: the distorted's, i.e. the encode's, which is
   * what the encoder was fed (inputs.ts inMeasuredPixelFormat).
   */
  pixelFormat: string;
  /** The reference's own pixel format, when it was converted into `pixelFormat` (ffmpeg's format filter). */
  referenceConvertedFrom?: string;
}

export const FEATURE_NAMES: readonly (keyof VmafFeatures)[] = [
  'integer_adm2',
  'integer_motion2',
  'integer_vif_scale0',
  'integer_vif_scale1',
  'integer_vif_scale2',
  'integer_vif_scale3',
];
