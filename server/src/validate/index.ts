/**
 * The validate stage: what an encoded segment must be (its frame count, duration and picture)
 * and what the final output must carry, each found by probing the file, never assumed.
 */
export { finalOutputProblems, probeSegment, segmentProblems } from './validate';
export type { SegmentExpectation } from './validate';
