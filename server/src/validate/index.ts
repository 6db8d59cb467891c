// What other stages may use (scripts/stage-barrels.mjs keeps this list; edit the code, not it).
export { finalOutputProblems, probeSegment, segmentProblems } from './validate';
export type { SegmentExpectation } from './validate';
