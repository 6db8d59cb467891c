/**
 * The plan stage, pure: where the segments are cut (fixed, keyframe or scene cuts, split), and
 * the crop decision from cropdetect's boxes. No process is started here.
 */
export { decideCrop, describeCrop, parseCropOption, parseCropdetect } from './crop';
export type { ContentBox, CropDecision, CropRect } from './crop';
export { planSegments } from './plan';
export type { PlannedSegment, SegmentPlan } from './plan';
export { splitCuts } from './split';
