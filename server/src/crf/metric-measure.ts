import type { MetricName } from '../../../common/quality-metric';
import type { Tools } from '../sys';
import { isMetricPool, measureSsimulacra2, measureXpsnr, poolMetric } from '../metrics';

/**
 * SSIMULACRA2 and XPSNR of one of our encodes against its lossless reference, for the CRF search
 * and the verification (issue 25): the built-in engines (server/src/metrics), pooled by the
 * target's pool. Both files are at the encode's pixel format (the reference is cut through the
 * encode's own filter, as for VMAF: one convention, issue 23). SSIMULACRA2 scores every Nth frame
 * (the VMAF stride: ~1.6 frames/s at 1080p); XPSNR every frame (its temporal term needs the
 * previous frame, and it runs at ~180 frames/s).
 */

export interface MetricScore {
  score: number;
  /** Per scored frame: its index from the segment's first frame and its score (`vmaf` is the field the CRF stage carries). */
  frames: { index: number; vmaf: number }[];
}

export interface MetricMeasureOptions {
  pool: string;
  subsample: number;
  tools: Tools;
  signal?: AbortSignal;
}

/** Identical frames score an infinite XPSNR; pooled as this, so one such frame cannot make the mean infinite. */
export const XPSNR_CAP_DB = 100;

export async function measureOtherMetric(
  metric: Exclude<MetricName, 'vmaf'>,
  reference: string,
  encoded: string,
  options: MetricMeasureOptions,
): Promise<MetricScore> {
  const pool = isMetricPool(options.pool) ? options.pool : 'mean';
  const common = { tools: options.tools, ...(options.signal ? { signal: options.signal } : {}) };
  if (metric === 'ssimulacra2') {
    const measured = await measureSsimulacra2(reference, encoded, { ...common, subsample: Math.max(1, options.subsample) });
    return {
      score: poolMetric(measured.frames, pool),
      frames: measured.indices.map((index, k) => ({ index, vmaf: measured.frames[k]! })),
    };
  }
  const measured = await measureXpsnr(reference, encoded, common);
  const weighted = measured.frames.map((f) => Math.min(f.weighted, XPSNR_CAP_DB));
  return { score: poolMetric(weighted, pool), frames: weighted.map((vmaf, index) => ({ index, vmaf })) };
}
