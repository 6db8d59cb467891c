import { runSegmentJob, type SegmentJobInput, type SegmentJobResult } from './segment-job';

/**
 * Where a segment job runs. The pipeline decides what a segment is, how often it is tried and
 * what its result means; a runner only runs one attempt somewhere and says where. Two engines:
 * this machine (LocalSegmentRunner), and GNU parallel over ssh (hosts/hosts-runner.ts). Another
 * engine (a Slurm array through srun, Kubernetes Jobs) would be a third implementation running
 * the same `chunked-av1 segment-worker` command; the pipeline would not change.
 */
export interface SegmentRunResult extends SegmentJobResult {
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
  run(input: SegmentJobInput): Promise<SegmentRunResult>;
  /** Waits for the engine to stop (call once, whatever the outcome). */
  close(): Promise<void>;
}

export const LOCAL_HOST = ':';

export class LocalSegmentRunner implements SegmentRunner {
  readonly hosts: RunnerHost[];
  constructor(readonly workers: number) {
    this.hosts = [{ host: LOCAL_HOST, workers }];
  }

  async run(input: SegmentJobInput): Promise<SegmentRunResult> {
    return { ...(await runSegmentJob(input)), host: LOCAL_HOST };
  }

  async close(): Promise<void> {}
}
