import type { EncodeOptions } from '../../../common/options';
import { fixedCrf, type CrfStrategy } from './crf-strategy';
import { searchSegmentCrf } from './target-quality';

/**
 * How a segment's CRF is decided, from the options alone: --target-vmaf searches for it
 * (target-quality.ts), otherwise --crf is used as given (fixedCrf). Written once for the segment
 * pool's search-only run and for one segment's work (job/segment-job.ts, here or on a host).
 */
export function crfStrategyFor(options: Pick<EncodeOptions, 'targetVmaf'>): CrfStrategy {
  return options.targetVmaf !== undefined ? searchSegmentCrf : fixedCrf;
}
