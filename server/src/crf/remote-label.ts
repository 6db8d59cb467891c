import { stat } from 'node:fs/promises';
import type { SegmentCrfContext } from './crf-strategy';
import { labelCrf, learnedSlope } from './acceptance';

/**
 * A segment decided on another host is a label for this job's predictor too (issue 22): the host
 * ran its own search in a process of its own, and reports its CRF and verified VMAF back. Recorded
 * like a local label, from the segment copy that is still here; an unreachable segment teaches nothing.
 */
export async function recordRemoteLabel(
  ctx: SegmentCrfContext,
  result: { crf: number; vmaf?: number; unreachable?: string; predictedCrf?: number },
): Promise<void> {
  const job = ctx.crfJob;
  const target = ctx.options.targetVmaf;
  if (!job || target === undefined || result.vmaf === undefined || result.unreachable) return;
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
      vmaf: result.vmaf,
      target,
      slope: learnedSlope(job.slopes),
      minCrf: ctx.options.minCrf,
      maxCrf: ctx.options.maxCrf,
    }),
    ...(result.predictedCrf !== undefined ? { predicted: result.predictedCrf } : {}),
  });
}
