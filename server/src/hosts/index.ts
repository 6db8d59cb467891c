/**
 * Many machines: the host grammar, GNU parallel's arguments and runner, what a remote segment
 * carries there and back, and the runner that sends segments to hosts.
 */
export { HostSpecError, parseHostList } from './host-spec';
export { remoteJobFiles } from './parallel-args';
export { remoteJobSchema } from './remote-job';
export type { RemoteResult } from './remote-job';
export { segmentRunnerFor } from './runner-for';
export { HEARTBEAT_MS, formatWorkerReport } from './worker-report';
export type { WorkerReport } from './worker-report';
