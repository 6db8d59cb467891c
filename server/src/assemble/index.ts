/**
 * The assemble stage: the concat list, the join of the encoded segments and the mux with every
 * audio track, subtitle, chapter and attachment (planMux says beforehand what it will carry).
 */
export { joinSegments, writeSegmentList } from './assemble';
export { carriedStreamBytes } from './carried-bytes';
export { ContainerError, containerFor, planMux } from './mux';
export type { MuxPlan } from './mux';
