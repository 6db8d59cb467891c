/**
 * The job: its work directory's manifest and lock, each segment's task and its runner, the retry
 * loop, the workers and the segment pool that runs every task, progress and status. It composes the stages below it.
 */
export { leftOverWarning, removeWorkDir } from './cleanup';
export { readFinishedRecord, writeFinishedRecord } from './finished-record';
export type { FinishedRecord } from './finished-record';
export { jobEvents } from './job-state';
export type { JobContext, JobLog, JobState } from './job-state';
export { locateOutput, locateWorkDir } from './location';
export { lockOwner } from './lock';
export { fileSha256, loadManifest, manifestSchema } from './manifest';
export { unloadableManifestReason } from './manifest-problem';
export type { Detection, Manifest, SegmentRecord } from './manifest';
export { openWorkDir } from './open-job';
export { checkWorkDir, isMarkedWorkDir } from './ownership';
export { ProgressTracker, ProgressView, clock, size } from './progress';
export { progressEvents, stepReporter } from './progress-events';
export { crfContextFor } from './crf-context';
export { SegmentValidationError, runSegmentTask } from './run-segment-task';
export type { SegmentTaskEnv } from './run-segment-task';
export { buildSegmentTasks, segmentTaskSchema } from './segment-task';
export type { SegmentTask } from './segment-task';
export { SegmentsFailedError, encodeSegments, keepVerifiedSegments } from './segment-pool';
export { LOCAL_HOST, LocalSegmentRunner } from './segment-runner';
export type { RunnerHost, SegmentRunResult, SegmentRunner } from './segment-runner';
export { installShutdownHandlers } from './shutdown';
export { cachedDetection, segmentSettings, startManifest } from './start-manifest';
export { formatJobStatus, jobStatus } from './status';
export { chooseWorkers, encodedSize } from './worker-shape';
export { planWorkers } from './workers';
