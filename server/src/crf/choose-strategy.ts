import { fixedCrf, type CrfStrategy } from './crf-strategy';
import { searchSegmentCrf } from './target-quality';

/**
 * How a segment's CRF is decided, named once by its task's CRF policy (job/segment-task.ts):
 * a target VMAF is searched for (target-quality.ts), a fixed CRF is used as given (fixedCrf).
 */
export function crfStrategyFor(policy: { kind: 'fixed' | 'target' }): CrfStrategy {
  return policy.kind === 'target' ? searchSegmentCrf : fixedCrf;
}
