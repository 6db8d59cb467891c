// What other stages may use (scripts/stage-barrels.mjs keeps this list; edit the code, not it).
export { HostSpecError, parseHostList } from './host-spec';
export { remoteJobFiles } from './parallel-args';
export { remoteJobSchema } from './remote-job';
export type { RemoteResult } from './remote-job';
export { segmentRunnerFor } from './runner-for';
export { HEARTBEAT_MS, formatWorkerReport } from './worker-report';
export type { WorkerReport } from './worker-report';
