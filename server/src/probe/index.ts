// What other stages may use (scripts/stage-barrels.mjs keeps this list; edit the code, not it).
export { refusedContainerMessage, refusedDemuxer } from './containers';
export { countFramesArgs, decodedSegmentArgs, firstFrameFormatArgs, mediaInfoArgs, packetListArgs, videoStreamArgs } from './ffprobe-args';
export { nearestFrame, parsePacketLines } from './frames';
export type { FrameTimeline } from './frames';
export { ffprobeOutputSchema, parseDuration, parseHdrSideData } from './media-info';
export type { ColourProperties, ContentLight, MasteringDisplay, MediaInfo, StreamInfo } from './media-info';
export { probeInput } from './probe';
export { inputChange, inputIdentity, inputIdentitySchema, type InputIdentity } from './source-identity';
export { SCENE_SCORE_FLOOR, detectScenes, type SceneScore } from './scene-detect';
