import { cpuCount, cpuSetForWorker, findTaskset } from '../sys';
import { ChildRegistry } from '../sys';
import { DiskGuard, lowSpaceThreshold } from '../sys';
import { EncodeSpeedTracker, timeoutPolicyFromEnv, type TimeoutPolicy } from '../encode';
import { acquireJobLock, type JobLock } from './lock';
import { runWithRetries, type RetryOutcome } from './retry';
import type { RetryAttempt, RetryLadder } from '../crf';

/**
 * Everything that keeps a long job safe, in one object the pipeline consults around each
 * segment: the work-dir lock and the reaping of children left by a killed run, the disk guard,
 * the retry ladder, per-process time-outs from the measured speed, --fail-fast, and CPU slots
 * for --pin-workers. The pipeline stays in charge of what a segment is; this decides when one
 * may start, how often it is tried, and how its processes run.
 */
export interface JobShape {
  workers: number;
  sourceBytes: number;
  segments: number;
}

export interface JobGuardOptions extends Partial<JobShape> {
  workDir: string;
  ladder: RetryLadder;
  failFast?: boolean;
  pinWorkers?: boolean;
  timeoutPolicy?: TimeoutPolicy;
  log?: (level: 'debug' | 'info' | 'warn', message: string) => void;
  /** The ffmpeg/ffprobe this job runs: a recorded child is only reaped when it is one of them. */
  tools?: { ffmpeg: string; ffprobe: string; vmafFfmpeg?: string };
}

/** Why no new segment may start. */
export type HaltReason = 'fail-fast' | 'disk-full' | 'error';

export interface ProcessHooks {
  timeoutMs: number;
  onSpawn: (pid: number) => void;
  onExit: (pid: number) => void;
  cpus?: readonly number[];
}

export class JobGuard {
  readonly children: ChildRegistry;
  readonly speed = new EncodeSpeedTracker();
  private disk: DiskGuard;
  private readonly lock: JobLock;
  private readonly timeoutPolicy: TimeoutPolicy;
  private freeSlots: number[];
  private workers: number;
  private haltReason: HaltReason | undefined;
  private readonly pinning: boolean;

  private constructor(private readonly options: JobGuardOptions) {
    this.lock = acquireJobLock(options.workDir);
    const tools = options.tools ?? { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' };
    this.children = new ChildRegistry(
      options.workDir,
      { tools: [tools.ffmpeg, tools.ffprobe, ...(tools.vmafFfmpeg ? [tools.vmafFfmpeg] : [])] },
      options.log,
    );
    const reaped = this.children.reapStale();
    if (reaped.length)
      options.log?.(
        'warn',
        `killed ${reaped.length} encoder process(es) left running by an earlier run that died (pids ${reaped.join(', ')})`,
      );
    this.timeoutPolicy = options.timeoutPolicy ?? timeoutPolicyFromEnv();
    this.workers = 1;
    this.freeSlots = [0];
    this.disk = new DiskGuard(options.workDir, 0);
    this.setShape({ workers: options.workers ?? 1, sourceBytes: options.sourceBytes ?? 0, segments: options.segments ?? 1 });
    this.pinning = Boolean(options.pinWorkers && findTaskset());
    if (options.pinWorkers && !this.pinning) options.log?.('warn', '--pin-workers: taskset is not available here; workers are not pinned');
  }

  /** Takes the work-dir lock (refusing a second live run) and reaps children of a dead run. */
  static open(options: JobGuardOptions): JobGuard {
    return new JobGuard(options);
  }

  /** Sizes the disk threshold and the CPU slots once the plan and worker count are known. */
  setShape(shape: JobShape): void {
    this.workers = Math.max(1, shape.workers);
    this.freeSlots = Array.from({ length: this.workers }, (_, i) => i);
    this.disk = new DiskGuard(this.options.workDir, lowSpaceThreshold(shape));
  }

  /** Gives the lock back; call once, whatever the outcome. */
  close(): void {
    this.lock.release();
  }

  /** Set once no new segment may start (running ones finish). */
  get halted(): HaltReason | undefined {
    return this.haltReason;
  }

  halt(reason: HaltReason): void {
    this.haltReason ??= reason;
  }

  /**
   * Called before a segment starts. False when the job is halting (fail-fast, disk full);
   * throws DiskFullError (and halts) when free space is under the threshold.
   */
  async mayStartSegment(): Promise<boolean> {
    if (this.haltReason) return false;
    try {
      await this.disk.check();
    } catch (error) {
      this.halt('disk-full');
      throw error;
    }
    return true;
  }

  /** Turns an ENOSPC from any write into a DiskFullError naming the work dir (rethrows other errors). */
  explainDiskError(error: unknown): Promise<never> {
    return this.disk.explain(error);
  }

  /** A segment failed every attempt: with --fail-fast no further segment starts. */
  segmentFailed(): void {
    if (this.options.failFast) this.halt('fail-fast');
  }

  /** Runs `attempt` along the ladder (see retry.ts), with the worker slot held throughout. */
  async withRetries<T>(
    attempt: (rung: RetryAttempt, attemptNumber: number, hooks: (frames: number) => ProcessHooks) => Promise<T>,
    onFailure?: (error: unknown, attemptNumber: number, willRetry: boolean) => void,
    signal?: AbortSignal,
  ): Promise<RetryOutcome<T>> {
    const slot = this.freeSlots.shift() ?? 0;
    try {
      return await runWithRetries(this.options.ladder, (rung, n) => attempt(rung, n, (frames) => this.processHooks(frames, slot)), {
        signal,
        onFailure: (failure, willRetry) => onFailure?.(failure.error, failure.attempt, willRetry),
      });
    } finally {
      this.freeSlots.push(slot);
    }
  }

  /** Time-out, child tracking and CPU set for an encoder run of `frames` frames. */
  processHooks(frames: number, slot = 0): ProcessHooks {
    const hooks: ProcessHooks = {
      timeoutMs: this.speed.timeoutMs(frames, this.timeoutPolicy),
      onSpawn: this.children.spawned,
      onExit: this.children.exited,
    };
    if (this.pinning) hooks.cpus = cpuSetForWorker(slot, this.workers, cpuCount());
    return hooks;
  }
}
