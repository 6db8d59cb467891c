/**
 * Many machines: the host grammar, GNU parallel's arguments and runner, what a remote segment
 * carries there and back, and the runner that sends segments to hosts.
 */
export { HostSpecError, parseHostList } from './host-spec';
export { remoteJobFiles } from './parallel-args';
export { REMOTE_TASK_VERSION, parseRemoteTask } from './remote-task';
export type { RemoteResult } from './remote-task';
export { segmentRunnerFor } from './runner-for';
export { HEARTBEAT_MS, formatWorkerReport } from './worker-report';
export type { WorkerReport } from './worker-report';
