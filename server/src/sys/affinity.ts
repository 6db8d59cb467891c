import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `--pin-workers`: worker i runs on its own CPU set, like Av1an's --set-thread-affinity, so that
 * SVT-AV1's threads of different workers do not migrate across each other's caches. Implemented
 * with `taskset` (util-linux) wrapping the child; where there is no taskset, pinning is skipped
 * with a warning.
 */

/** The CPUs worker `worker` (0-based) of `workers` should use, splitting `cpuCount` CPUs evenly. */
export function cpuSetForWorker(worker: number, workers: number, cpuCount: number): number[] {
  const count = Math.max(1, cpuCount);
  const perWorker = Math.max(1, Math.floor(count / Math.max(1, workers)));
  const first = (worker * perWorker) % count;
  return Array.from({ length: perWorker }, (_, i) => (first + i) % count);
}

/** taskset's `-c` list syntax. */
export function cpuListArgument(cpus: readonly number[]): string {
  return [...new Set(cpus)].sort((a, b) => a - b).join(',');
}

/** Prefixes a command with `taskset -c LIST`, keeping it an argument array. */
export function pinnedCommand(taskset: string, cpus: readonly number[], file: string, args: readonly string[]): [string, string[]] {
  return [taskset, ['-c', cpuListArgument(cpus), file, ...args]];
}

let tasksetPath: string | null | undefined;

/** Absolute path of taskset on PATH, or null where there is none (macOS, Windows, minimal images). */
export function findTaskset(): string | null {
  if (tasksetPath !== undefined) return tasksetPath;
  tasksetPath = null;
  if (process.platform === 'linux') {
    for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
      const candidate = path.join(dir, 'taskset');
      try {
        accessSync(candidate, constants.X_OK);
        tasksetPath = candidate;
        break;
      } catch {
        /* keep looking */
      }
    }
  }
  return tasksetPath;
}

export function cpuCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
