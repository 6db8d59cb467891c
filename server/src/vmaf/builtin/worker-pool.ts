import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FrameFeatures, FrameJob } from './frame-features';
import { dropSpareFrames } from './frame-reader';

/**
 * One process-wide set of feature worker threads, shared by every VMAF measurement (the target
 * quality search runs several at once). Workers are never terminated mid-job: starting and
 * terminating busy workers concurrently can abort Node (nodejs/node#56312-like crashes), and
 * reusing them also saves the start-up. A worker keeps the process alive only while it has a
 * job (it holds no state between frames but its kernel memory, so jobs sharing it share nothing
 * else). How long idle workers live:
 *  - while an encode or search job holds them (holdVmafWorkers), for the whole job: a job's
 *    measurements come with gaps of minutes (probe encodes), and retiring after IDLE_MS cost
 *    22 worker starts in one 1080p target-quality run (module load and WebAssembly compile each);
 *  - when the last hold is released (the job ended, CLI or language server), they leave as soon
 *    as they are idle, so no thread outlives the jobs;
 *  - a measurement outside any job (the `vmaf` command, tests) lets them go after IDLE_MS.
 * In the esbuild bundles the worker is dist/vmaf-worker.js beside the bundle; from source
 * (tests), worker.ts is loaded through the test suite's TypeScript require hook.
 */
const IDLE_MS = 15_000;

function startWorker(): Worker {
  const bundled = path.join(__dirname, 'vmaf-worker.js');
  if (existsSync(bundled)) return new Worker(bundled);
  const source = path.join(__dirname, 'worker.ts');
  const hook = path.resolve(__dirname, '../../../../test/register.cjs');
  if (!existsSync(source) || !existsSync(hook)) throw new Error(`VMAF worker not found: expected ${bundled} (run the build)`);
  return new Worker(`require(${JSON.stringify(hook)}); require(${JSON.stringify(source)});`, { eval: true });
}

interface Pending {
  job: FrameJob;
  resolve: (features: FrameFeatures) => void;
  reject: (error: Error) => void;
}

interface WorkerMessage {
  ok: boolean;
  features?: FrameFeatures;
  message?: string;
}

export class FeatureWorkerPool {
  private readonly workers = new Set<Worker>();
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  /** Jobs holding the workers for their whole run. */
  private holds = 0;
  /** The last hold was released: idle workers leave at once instead of after IDLE_MS. */
  private retireWhenIdle = false;

  constructor(
    private size: number,
    /** How long idle workers outside any job stay (a parameter for the tests). */
    private readonly idleMs = IDLE_MS,
  ) {}

  /** Allows up to `size` workers (the pool only grows). */
  ensureSize(size: number): void {
    if (size > this.size) this.size = size;
  }

  run(job: FrameJob): Promise<FrameFeatures> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /** Keeps idle workers until release(); releasing the last hold retires them once idle. */
  hold(): { release(): void } {
    this.holds++;
    this.retireWhenIdle = false;
    this.clearIdleTimer();
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.holds--;
        if (this.holds === 0) {
          this.retireWhenIdle = true;
          dropSpareFrames();
          this.dispatch();
        }
      },
    };
  }

  /** Workers this pool may run at once (the most any measurement asked for). */
  get allowed(): number {
    return this.size;
  }

  /** Live worker threads (started and not retired or lost). */
  get liveWorkers(): number {
    return this.workers.size;
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
  }

  /** Workers started so far (each start costs its module load and WebAssembly compile; see bench/target-quality). */
  started = 0;

  private spawn(): Worker {
    const worker = startWorker();
    this.started++;
    worker.on('message', (message: WorkerMessage) => this.finished(worker, message));
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`VMAF worker exited with code ${code}`)));
    worker.unref();
    this.workers.add(worker);
    return worker;
  }

  private dispatch(): void {
    this.clearIdleTimer();
    while (this.queue.length > 0) {
      let worker = this.idle.pop();
      if (!worker && this.workers.size < this.size) worker = this.spawn();
      if (!worker) break;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      worker.ref();
      worker.postMessage(pending.job);
    }
    if (this.busy.size === 0 && this.queue.length === 0 && this.idle.length > 0 && this.holds === 0) {
      if (this.retireWhenIdle) {
        this.retireWhenIdle = false;
        this.retireIdle();
      } else {
        this.idleTimer = setTimeout(() => this.retireIdle(), this.idleMs);
        this.idleTimer.unref();
      }
    }
  }

  private finished(worker: Worker, message: WorkerMessage): void {
    const pending = this.busy.get(worker);
    this.busy.delete(worker);
    worker.unref();
    this.idle.push(worker);
    if (pending) {
      if (message.ok && message.features) pending.resolve(message.features);
      else pending.reject(new Error(`VMAF worker failed: ${message.message ?? 'unknown error'}`));
    }
    this.dispatch();
  }

  private lost(worker: Worker, error: Error): void {
    if (!this.workers.delete(worker)) return;
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    const pending = this.busy.get(worker);
    this.busy.delete(worker);
    pending?.reject(error);
    if (this.queue.length > 0) this.dispatch();
  }

  /** Idle workers leave by themselves (no terminate()). */
  private retireIdle(): void {
    for (const worker of this.idle.splice(0)) {
      this.workers.delete(worker);
      worker.postMessage({ close: true });
    }
  }
}

let shared: FeatureWorkerPool | undefined;

/** How many feature workers this process has started. */
export function featureWorkersStarted(): number {
  return shared?.started ?? 0;
}

/** How many VMAF worker threads this process may run at once. */
export function featureWorkersAllowed(): number {
  return shared?.allowed ?? 0;
}

/** Live VMAF worker threads of this process (0 once every job has ended and they have left). */
export function liveFeatureWorkers(): number {
  return shared?.liveWorkers ?? 0;
}

/**
 * Keeps the VMAF worker threads for a job's whole run (see FeatureWorkerPool); call release()
 * when the job ends, whatever the outcome. Started lazily: a job that never measures starts none.
 */
export function holdVmafWorkers(): { release(): void } {
  return sharedFeaturePool(1).hold();
}

/** Runs `job` with the VMAF workers held for its whole run. */
export async function withVmafWorkers<T>(job: () => Promise<T>): Promise<T> {
  const workers = holdVmafWorkers();
  try {
    return await job();
  } finally {
    workers.release();
  }
}

/** The process-wide pool, allowed at least `size` workers. */
export function sharedFeaturePool(size: number): FeatureWorkerPool {
  if (!shared) shared = new FeatureWorkerPool(size);
  shared.ensureSize(size);
  return shared;
}
