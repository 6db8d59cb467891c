/**
 * The inspect stage: what the input holds and what it will become, found before anything is
 * written. It sits above the stages it asks (probe for the streams and frames, plan for the crop
 * decision, encode for what SVT-AV1 can take, assemble for what the output container can carry),
 * so none of them has to know about it.
 */
export { inspectInput, type InspectedInput } from './inspect';
export { detectForPlan, refuseExplicitCrop } from './detect';
export { detectCrop } from './cropdetect';
