/**
 * The plan stage, pure: where the segments are cut (fixed, keyframe or scene cuts, split), and
 * the crop decision from cropdetect's boxes. No process is started here.
 */
export { decideCrop, describeCrop, parseCropOption, parseCropdetect } from './crop';
export type { ContentBox, CropDecision, CropRect } from './crop';
export { planSegments } from './plan';
export type { PlanCut, PlannedSegment, SegmentPlan, SegmentZone } from './plan';
export { sceneLimits, splitCuts } from './split';
export type { SplitOptions } from './split';
