import { readFile, readlink } from 'node:fs/promises';
import os from 'node:os';

/**
 * Memory: how many encoder workers fit in the memory that is actually available, and the peak
 * resident size each worker reached (read from /proc, so it is the child's own high-water mark).
 */

const MIB = 1024 * 1024;

/** MemAvailable from /proc/meminfo text (bytes), or undefined when the kernel does not report it. */
export function parseMemAvailable(meminfo: string): number | undefined {
  const match = /^MemAvailable:\s+(\d+)\s*kB/m.exec(meminfo);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Memory a new process can use without swapping: MemAvailable on Linux, else os.freemem(). */
export async function availableMemoryBytes(): Promise<number> {
  try {
    const found = parseMemAvailable(await readFile('/proc/meminfo', 'utf8'));
    if (found !== undefined) return found;
  } catch {
    /* not Linux */
  }
  return os.freemem();
}

export interface WorkerShape {
  width: number;
  height: number;
  /** Bit depth the encoder works at (10 for yuv420p10le). */
  bitDepth: number;
  /** Chroma subsampling of the decoded source: 420, 422 or 444 (decoder buffers scale with it). */
  chroma?: 420 | 422 | 444;
  /** SVT-AV1 threads (lp) per worker; more threads keep more frames in flight. */
  threads?: number;
}

/**
 * Estimated peak RSS of one worker (decoder + SVT-AV1). Measured on this project's machine:
 * 1080p 10-bit at presets 8–12 peaks at 0.66–1.05 GB (≈ 0.5 GB per megapixel), so we budget
 * 0.6 GiB per megapixel at 10 bits (less at 8), ×1.5 for a 4:4:4 source's decoder, plus a fixed
 * 150 MiB for ffmpeg itself. Av1an's 1.2 GB/MP budgets for more threads per worker than we use.
 */
export function estimateWorkerMemoryBytes(shape: WorkerShape): number {
  const megapixels = (shape.width * shape.height) / 1e6;
  const depthFactor = shape.bitDepth > 8 ? 1 : 0.7;
  const chromaFactor = shape.chroma === 444 ? 1.5 : shape.chroma === 422 ? 1.2 : 1;
  const threadFactor = 1 + Math.max(0, (shape.threads ?? 1) - 1) * 0.1;
  return Math.round(150 * MIB + megapixels * 614 * MIB * depthFactor * chromaFactor * threadFactor);
}

/**
 * Caps a worker count so that all workers fit in `availableBytes`, keeping a share for the
 * system and the rest of the job. Never below one: a single worker is the slowest way to make
 * progress, but it is progress.
 */
export function capWorkersByMemory(wanted: number, availableBytes: number, perWorkerBytes: number, usableShare = 0.8): number {
  if (perWorkerBytes <= 0) return Math.max(1, wanted);
  const fit = Math.floor((availableBytes * usableShare) / perWorkerBytes);
  return Math.max(1, Math.min(wanted, fit));
}

/** VmHWM (peak resident set) in bytes from /proc/<pid>/status text. */
export function parseVmHwm(status: string): number | undefined {
  const match = /^VmHWM:\s+(\d+)\s*kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

/**
 * Polls a child's VmHWM while it runs. The kernel keeps the high-water mark itself, so polling
 * only risks missing growth in the last interval before exit. The pid may still be a wrapper
 * (setpriv, taskset) that has not exec()ed the program yet, and exec() starts a new high-water
 * mark, so a sample counts only when /proc/PID/exe is the expected program; with no expected
 * program known, nothing is reported rather than a wrapper's figure.
 */
export class PeakRssWatcher {
  private peak = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pid: number,
    private readonly executable: string | undefined,
    private readonly intervalMs = 250,
  ) {}

  start(): this {
    if (!this.executable) return this;
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  private async sample(): Promise<void> {
    try {
      // exe first: once it is the program, the exec()s are done and the status read next is the program's.
      if ((await readlink(`/proc/${this.pid}/exe`)) !== this.executable) return;
      const value = parseVmHwm(await readFile(`/proc/${this.pid}/status`, 'utf8'));
      if (value !== undefined && value > this.peak) this.peak = value;
    } catch {
      /* process gone or not Linux */
    }
  }

  /** Stops polling; returns the highest peak seen in bytes, or undefined if none was read from the program itself. */
  stop(): number | undefined {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return this.peak || undefined;
  }
}
