/**
 * The segment stage: the stream copies of the source a segment is encoded from
 * (segments/segment_NNN.mkv), started ahead of the encodes that read them.
 */
export { segmentCopyProblem, startSegmentCopies } from './segment';
export type { SegmentCopies } from './segment';
