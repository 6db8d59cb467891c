import type { Tools } from '../sys';

/** The metrics `score` measures (names written once in common/quality-metric.ts); the built-in SSIMULACRA2 and XPSNR engines live in this folder. */
export { isMetricName, METRIC_NAMES, type MetricName } from '../../../common/quality-metric';

export interface MetricOptions {
  tools?: Partial<Tools>;
  signal?: AbortSignal;
  /** SSIMULACRA2: score only frames 0, N, 2N, ... (default 1: every frame). */
  subsample?: number;
  /** Called after each scored frame with the number of frames scored so far. */
  onProgress?: (frames: number) => void;
}
