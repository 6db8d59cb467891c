// What other stages may use (scripts/stage-barrels.mjs keeps this list; edit the code, not it).
export { segmentCopyProblem, startSegmentCopies } from './segment';
export type { SegmentCopies } from './segment';
