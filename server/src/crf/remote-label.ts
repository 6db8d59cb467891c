import { stat } from 'node:fs/promises';
import type { SegmentCrfContext } from './crf-strategy';
import { labelCrf, learnedSlope } from './acceptance';
import { qualityTargetOf } from '../../../common/options';
import { targetKey } from './crf-job-state';
import { metricScale } from './metric-scale';

/**
 * A segment decided on another host is a label for this job's predictor too (issue 22): the host
 * ran its own search in a process of its own, and reports its CRF and verified VMAF back. Recorded
 * like a local label, from the segment copy that is still here; an unreachable segment teaches nothing.
 */
export async function recordRemoteLabel(
  ctx: SegmentCrfContext,
  result: { crf: number; vmaf?: number; scores?: Partial<Record<string, number>>; unreachable?: string; predictedCrf?: number },
): Promise<void> {
  const quality = qualityTargetOf(ctx.options);
  if (!ctx.crfJob || !quality || result.unreachable) return;
  // The host's verified score in the target metric (VMAF's is also `vmaf`, as before issue 25).
  const score = quality.metric === 'vmaf' ? result.vmaf : result.scores?.[quality.metric];
  if (score === undefined) return;
  const job = ctx.crfJob.forTarget(targetKey(quality));
  const scale = metricScale(quality.metric);
  const target = quality.value;
  const pixels = ctx.segment.frames * ctx.media.video.width * ctx.media.video.height;
  const bytes = await stat(ctx.sourceFile).then(
    (s) => s.size,
    () => 0,
  );
  if (!(bytes > 0 && pixels > 0)) return;
  job.recordLabel({
    segment: ctx.segment.index,
    bitsPerPixel: (8 * bytes) / pixels,
    crf: labelCrf({
      crf: result.crf,
      vmaf: score,
      target,
      slope: learnedSlope(job.slopes, undefined, scale.assumedSlope),
      scale,
      minCrf: ctx.options.minCrf,
      maxCrf: ctx.options.maxCrf,
    }),
    ...(result.predictedCrf !== undefined ? { predicted: result.predictedCrf } : {}),
  });
}
