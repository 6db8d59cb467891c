// What other stages may use (scripts/stage-barrels.mjs keeps this list; edit the code, not it).
export { encodeSegment } from './encode';
export type { EncodeRunOptions } from './encode';
export { conversionNotes, seconds, segmentCopyArgs, segmentFilter, svtav1EncoderArgs } from './encode-args';
export type { VideoEncodeSettings } from './encode-args';
export { EncodeSpeedTracker, timeoutPolicyFromEnv } from './encode-timeout';
export type { TimeoutPolicy } from './encode-timeout';
export { sourceBoundsProblem } from './source-bounds';
export { encodeBitDepth, segmentVideoSettings } from './video-settings';
