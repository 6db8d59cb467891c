import type { Tools } from '../sys';

/** The metrics `score` measures; the built-in SSIMULACRA2 and XPSNR engines live in this folder. */
export const METRIC_NAMES = ['vmaf', 'ssimulacra2', 'xpsnr'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export function isMetricName(value: string): value is MetricName {
  return (METRIC_NAMES as readonly string[]).includes(value);
}

export interface MetricOptions {
  tools?: Partial<Tools>;
  signal?: AbortSignal;
  /** SSIMULACRA2: score only frames 0, N, 2N, ... (default 1: every frame). */
  subsample?: number;
  /** Called after each scored frame with the number of frames scored so far. */
  onProgress?: (frames: number) => void;
}
