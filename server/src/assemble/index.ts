// What other stages may use (scripts/stage-barrels.mjs keeps this list; edit the code, not it).
export { joinSegments, writeSegmentList } from './assemble';
export { carriedStreamBytes } from './carried-bytes';
export { ContainerError, containerFor, planMux } from './mux';
export type { MuxPlan } from './mux';
