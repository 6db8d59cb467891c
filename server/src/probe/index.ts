/**
 * The probe stage: facts about a file, read with ffprobe and nothing else decided: its streams
 * (media-info.ts), the frame timeline and keyframes, scene scores, the containers we refuse, and
 * the source's identity. Every ffprobe argument list is built in ffprobe-args.ts.
 */
export { refusedContainerMessage, refusedDemuxer } from './containers';
export { countFramesArgs, decodedSegmentArgs, firstFrameFormatArgs, mediaInfoArgs, packetListArgs, videoStreamArgs } from './ffprobe-args';
export { nearestFrame, parsePacketLines } from './frames';
export { chooseMainVideo } from './main-video';
export type { FrameTimeline } from './frames';
export { ffprobeOutputSchema, parseDuration, parseHdrSideData } from './media-info';
export type { ColourProperties, ContentLight, MasteringDisplay, MediaInfo, StreamInfo } from './media-info';
export { probeInput } from './probe';
export { turnFilters, type DisplayTurn } from './rotation';
export { inputChange, inputIdentity, inputIdentitySchema, type InputIdentity } from './source-identity';
export { InputChangedError, requireUnchangedInput, watchInput, type InputWatch } from './input-watch';
export { SCENE_SCORE_FLOOR, SCENE_SCORE_FILTER, detectScenes, parseSceneScores, sceneDecodeInput, type SceneScore } from './scene-detect';
