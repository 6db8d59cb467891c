import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { UserError, errorMessage } from '../errors';

/**
 * Disk space: checks before each phase, a low-space threshold while segments run, and ENOSPC
 * recognition (from Node's own writes and from ffmpeg's stderr). A full disk is never retried
 * and never leaves a torn file: it pauses new work and ends the job with one clear line.
 */

export class DiskFullError extends UserError {
  readonly code = 'ENOSPC';
  constructor(
    readonly dir: string,
    readonly freeBytes: number | undefined,
    readonly neededBytes: number | undefined,
    detail?: string,
  ) {
    super(
      `${dir}: not enough free disk space` +
        (freeBytes !== undefined
          ? ` (${formatBytes(freeBytes)} free` + (neededBytes !== undefined ? `, ${formatBytes(neededBytes)} needed)` : ')')
          : '') +
        (detail ? `: ${detail}` : '') +
        '; free some space and run the same command again to resume',
      dir,
    );
    this.name = 'DiskFullError';
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Free bytes for an unprivileged writer on the file system holding `dir` (or its nearest existing parent). */
export async function freeBytes(dir: string): Promise<number> {
  let current = path.resolve(dir);
  for (;;) {
    try {
      const stats = await statfs(current);
      return Number(stats.bavail) * Number(stats.bsize);
    } catch (error) {
      const parent = path.dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw error;
      current = parent;
    }
  }
}

/** Throws DiskFullError when the file system holding `dir` has less than `neededBytes` free. */
export async function requireFreeSpace(dir: string, neededBytes: number, what?: string): Promise<number> {
  const free = await freeBytes(dir);
  if (free < neededBytes) throw new DiskFullError(dir, free, Math.ceil(neededBytes), what);
  return free;
}

/** True for a write that failed because the disk is full, whether from Node or from ffmpeg's stderr. */
export function isNoSpaceError(error: unknown): boolean {
  if (error instanceof DiskFullError) return true;
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return true;
  const tail = (error as { stderrTail?: unknown })?.stderrTail;
  const text = Array.isArray(tail) ? tail.join('\n') : '';
  return /No space left on device|Disk quota exceeded/i.test(`${errorMessage(error)}\n${text}`);
}

export interface SpaceEstimate {
  /** Size of the input file. */
  sourceBytes: number;
  segments: number;
  workers: number;
}

/** Space needed up front: the segment copies plus their encodes plus the output, with margin (1.5 × input). */
export function upfrontSpaceNeeded(estimate: Pick<SpaceEstimate, 'sourceBytes'>): number {
  return Math.ceil(estimate.sourceBytes * 1.5);
}

/**
 * Below this much free space no new segment starts: each running worker may still write about
 * one segment copy and one encode (bounded by the source's bytes per segment, twice for safety),
 * and the manifest and concat list need a little room to be rewritten.
 */
export function lowSpaceThreshold(estimate: SpaceEstimate): number {
  const perSegment = estimate.sourceBytes / Math.max(1, estimate.segments);
  return Math.ceil(Math.max(1, estimate.workers) * perSegment * 2 + 256 * 1024);
}

/** Polled before each segment starts; `check()` throws a DiskFullError once space is low. */
export class DiskGuard {
  constructor(
    private readonly dir: string,
    private readonly thresholdBytes: number,
    private readonly statFree: (dir: string) => Promise<number> = freeBytes,
  ) {}

  async check(): Promise<void> {
    const free = await this.statFree(this.dir);
    if (free < this.thresholdBytes) {
      throw new DiskFullError(this.dir, free, this.thresholdBytes, 'stopped starting new segments');
    }
  }

  /** Turns an ENOSPC from any write into a DiskFullError naming the directory; rethrows others. */
  async explain(error: unknown): Promise<never> {
    if (error instanceof DiskFullError || !isNoSpaceError(error)) throw error;
    const free = await this.statFree(this.dir).catch(() => undefined);
    throw new DiskFullError(this.dir, free, undefined, firstLine(errorMessage(error)));
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 200);
}
