// What other stages may use (scripts/stage-barrels.mjs keeps this list; edit the code, not it).
export { decideCrop, describeCrop, parseCropOption, parseCropdetect } from './crop';
export type { ContentBox, CropDecision, CropRect } from './crop';
export { planSegments } from './plan';
export type { PlannedSegment, SegmentPlan } from './plan';
export { splitCuts } from './split';
