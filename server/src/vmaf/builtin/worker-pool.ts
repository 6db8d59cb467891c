import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FrameFeatures, FrameJob } from './frame-features';

/**
 * One process-wide set of feature worker threads, shared by every VMAF measurement (the target
 * quality search runs several at once). Workers are never terminated mid-job: starting and
 * terminating busy workers concurrently can abort Node (nodejs/node#56312-like crashes), and
 * reusing them also saves the start-up. A worker keeps the process alive only while it has a
 * job; idle workers are asked to exit on their own after IDLE_MS.
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

  constructor(private size: number) {}

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
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
    while (this.queue.length > 0) {
      let worker = this.idle.pop();
      if (!worker && this.workers.size < this.size) worker = this.spawn();
      if (!worker) break;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      worker.ref();
      worker.postMessage(pending.job);
    }
    if (this.busy.size === 0 && this.queue.length === 0 && this.idle.length > 0) {
      this.idleTimer = setTimeout(() => this.retireIdle(), IDLE_MS);
      this.idleTimer.unref();
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

/** The process-wide pool, allowed at least `size` workers. */
export function sharedFeaturePool(size: number): FeatureWorkerPool {
  if (!shared) shared = new FeatureWorkerPool(size);
  shared.ensureSize(size);
  return shared;
}
