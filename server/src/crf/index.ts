/**
 * The CRF stage: where a segment's CRF is decided: a fixed CRF
 * (fixedCrf, crf-strategy.ts) or target quality (searchSegmentCrf, target-quality.ts, over the pure
 * search.ts, target-quality-plan.ts and samples.ts); crfStrategyFor (choose-strategy.ts) picks one from a task's CRF policy.
 */
export { fixedCrf, type CrfDecision, type CrfOptions, type CrfStrategy, type SegmentCrfContext } from './crf-strategy';
export { crfStrategyFor } from './choose-strategy';
export { CrfJobState, targetKey } from './crf-job-state';
export { searchSegmentCrf, TargetMissedError, VERIFY_MARGIN, type TargetQualityDecision, type VerifiedQuality } from './target-quality';
export { forgetOpenQualityCaches, QUALITY_CACHE_FILE } from './quality-cache';

// Also used by other stages:
export { crfGranularity, crfProblem } from './crf-granularity';
export { qualityCacheFor, recordSchema } from './quality-cache';
export {
  crfJobFrom,
  crfMemoryFor,
  learntOnHost,
  mergeRemoteLearnt,
  stateForTarget,
  type CrfMemory,
  type RemoteLearnt,
} from './remote-label';
export type { CrfLabel } from './crf-predictor';
export type { WindowFeature } from './content-window';
export { planSamples } from './samples';
export {
  FIXED_CRF_LADDER,
  TARGET_QUALITY_LADDER,
  applyAttempt,
  extendLadder,
  ladderFor,
  type RetryAttempt,
  type RetryLadder,
} from './retry-ladder';
