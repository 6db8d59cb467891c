import { runSegmentTask, type SegmentTaskEnv, type SegmentTaskResult } from './run-segment-task';
import type { SegmentTask } from './segment-task';

/**
 * Where a segment's task runs. The pipeline decides what a segment is, how often it is tried and
 * what its result means; a runner only runs one attempt somewhere and says where. Two engines:
 * this machine (LocalSegmentRunner), and GNU parallel over ssh (hosts/hosts-runner.ts). Another
 * engine (a Slurm array through srun, Kubernetes Jobs) would be a third implementation running
 * the same `chunked-av1 segment-worker` command; the pipeline would not change.
 */
export interface SegmentRunResult extends SegmentTaskResult {
  /** Who made the segment: `:` for this machine, else GNU parallel's sshlogin (user@host:port). */
  host: string;
}

export interface RunnerHost {
  host: string;
  workers: number;
}

export interface SegmentRunner {
  /** Segments that may run at once over every place this runner uses. */
  readonly workers: number;
  /** Each place and its worker count, for the plan event and the progress line. */
  readonly hosts: RunnerHost[];
  /** One attempt of a task (the rung, threads and time-out already in it); `env` is this machine's. */
  run(task: SegmentTask, env: SegmentTaskEnv): Promise<SegmentRunResult>;
  /** Waits for the engine to stop (call once, whatever the outcome). */
  close(): Promise<void>;
}

export const LOCAL_HOST = ':';

export class LocalSegmentRunner implements SegmentRunner {
  readonly hosts: RunnerHost[];
  constructor(readonly workers: number) {
    this.hosts = [{ host: LOCAL_HOST, workers }];
  }

  async run(task: SegmentTask, env: SegmentTaskEnv): Promise<SegmentRunResult> {
    return { ...(await runSegmentTask(task, env)), host: LOCAL_HOST };
  }

  async close(): Promise<void> {}
}
