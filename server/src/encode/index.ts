/**
 * The encode stage: SVT-AV1's argument lists (built apart from running them), one segment's
 * encode, its time-out, and the bounds of what the encoder and memory can take.
 */
export { encodeSegment } from './encode';
export type { EncodeRunOptions } from './encode';
export { conversionNotes, seconds, segmentCopyArgs, segmentFilter, svtav1EncoderArgs, type SegmentCopyContainer } from './encode-args';
export type { VideoEncodeSettings } from './encode-args';
export { EncodeSpeedTracker, timeoutPolicyFromEnv } from './encode-timeout';
export type { TimeoutPolicy } from './encode-timeout';
export { sourceBoundsProblem } from './source-bounds';
export { encodeBitDepth, segmentVideoSettings } from './video-settings';
