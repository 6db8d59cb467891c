import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { killGroup } from './process-group';

/**
 * A record, in the work directory, of the processes a job has running. Children normally die
 * with us (setpriv --pdeathsig, see processes.ts), but where that is unavailable a SIGKILLed
 * CLI leaves its ffmpeg process groups running; the next run on the same work directory reaps
 * them. A recorded pid is only killed when /proc shows the same start time (pid + start time
 * name one process for the life of the machine; the start time survives exec) and a user-space
 * command line, so a recycled pid belonging to someone else is never touched.
 *
 * One small file per child (`.children/<pid>`), created on spawn and removed on exit: no file is
 * ever rewritten, so the cost does not grow with the number of segments.
 */
export interface ChildRecord {
  pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot), identifies this incarnation of the pid. */
  startTime: string;
}

export const CHILDREN_DIR = '.children';

/** Field 22 (starttime) of /proc/<pid>/stat; the command name may contain spaces and parentheses. */
export function parseStatStartTime(stat: string): string | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  // After "pid (comm) " the fields start at #3 (state); starttime is #22.
  return fields[22 - 3];
}

/** Process state letter (R, S, Z, …) from /proc/<pid>/stat. */
export function parseStatState(stat: string): string | undefined {
  const close = stat.lastIndexOf(')');
  return close < 0 ? undefined : stat.slice(close + 2).split(' ')[0];
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** argv of a live process from /proc, or undefined. */
export function processArgv(pid: number): string[] | undefined {
  const raw = readProc(pid, 'cmdline');
  return raw === undefined ? undefined : raw.split('\0').filter((part, i, all) => part || i < all.length - 1);
}

export class ChildRegistry {
  private readonly dir: string;

  constructor(workDir: string) {
    this.dir = path.join(workDir, CHILDREN_DIR);
  }

  /** Pass as runProcess's onSpawn. */
  readonly spawned = (pid: number): void => {
    const stat = readProc(pid, 'stat');
    const startTime = stat ? parseStatStartTime(stat) : undefined;
    if (!startTime) return;
    const record: ChildRecord = { pid, startTime };
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(path.join(this.dir, String(pid)), JSON.stringify(record));
    } catch {
      /* best effort: the work dir may be on a full disk */
    }
  };

  /** Pass as runProcess's onExit. */
  readonly exited = (pid: number): void => {
    rmSync(path.join(this.dir, String(pid)), { force: true });
  };

  records(): ChildRecord[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const found: ChildRecord[] = [];
    for (const name of names) {
      try {
        const record = JSON.parse(readFileSync(path.join(this.dir, name), 'utf8')) as ChildRecord;
        if (Number.isInteger(record.pid) && typeof record.startTime === 'string') found.push(record);
      } catch {
        /* torn record from a kill mid-write: the pid is unknown, nothing to reap */
      }
    }
    return found;
  }

  /** True when the recorded process is still the one we started (same start time, not a zombie). */
  static isAlive(record: ChildRecord): boolean {
    const stat = readProc(record.pid, 'stat');
    if (!stat || parseStatState(stat) === 'Z') return false;
    if (parseStatStartTime(stat) !== record.startTime) return false;
    return (processArgv(record.pid) ?? []).length > 0;
  }

  /** Kills the process groups of children left by an earlier run that died; returns their pids. */
  reapStale(): number[] {
    const reaped: number[] = [];
    for (const record of this.records()) {
      if (ChildRegistry.isAlive(record)) {
        killGroup(record.pid, 'SIGKILL');
        reaped.push(record.pid);
      }
      rmSync(path.join(this.dir, String(record.pid)), { force: true });
    }
    return reaped;
  }

  /** Synchronously kills every recorded child's group (last resort on a forced exit). */
  killAll(): void {
    for (const record of this.records()) if (ChildRegistry.isAlive(record)) killGroup(record.pid, 'SIGKILL');
  }
}
