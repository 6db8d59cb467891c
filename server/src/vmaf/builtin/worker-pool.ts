import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FrameFeatures, FrameJob } from './frame-features';

/**
 * A fixed set of worker threads computing frame features, one job at a time each.
 * In the esbuild bundles the worker is dist/vmaf-worker.js beside the bundle; when running from
 * source (tests), worker.ts is loaded through the test suite's TypeScript require hook.
 */
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

export class FeatureWorkerPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private closed = false;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      const worker = startWorker();
      worker.on('message', (message: { ok: boolean; features?: FrameFeatures; message?: string }) => this.finished(worker, message));
      worker.on('error', (error) => this.failed(worker, error));
      worker.on('exit', (code) => { if (!this.closed) this.failed(worker, new Error(`VMAF worker exited with code ${code}`)); });
      this.idle.push(worker);
    }
  }

  get pending(): number {
    return this.queue.length + this.busy.size;
  }

  run(job: FrameJob): Promise<FrameFeatures> {
    if (this.closed) return Promise.reject(new Error('VMAF worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      worker.postMessage(pending.job);
    }
  }

  private finished(worker: Worker, message: { ok: boolean; features?: FrameFeatures; message?: string }): void {
    const pending = this.busy.get(worker);
    this.busy.delete(worker);
    this.idle.push(worker);
    if (pending) {
      if (message.ok && message.features) pending.resolve(message.features);
      else pending.reject(new Error(`VMAF worker failed: ${message.message ?? 'unknown error'}`));
    }
    this.dispatch();
  }

  private failed(worker: Worker, error: Error): void {
    const pending = this.busy.get(worker);
    this.busy.delete(worker);
    pending?.reject(error);
    for (const queued of this.queue.splice(0)) queued.reject(error);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new Error('VMAF worker pool closed');
    const workers = [...this.idle, ...this.busy.keys()];
    for (const queued of this.queue.splice(0)) queued.reject(error);
    for (const pending of this.busy.values()) pending.reject(error);
    this.busy.clear();
    this.idle.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
