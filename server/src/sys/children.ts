import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { findTaskset } from './affinity';
import { decideKill, type KillExpectation, type ProcFacts } from './kill-decision';
import { killGroup } from './process-group';

/**
 * A record, in the work directory, of the processes a job has running. Children normally die
 * with us (setpriv --pdeathsig, see processes.ts), but where that is unavailable a SIGKILLed
 * CLI leaves its ffmpeg process groups running; the next run on the same work directory reaps
 * them. A work directory can come from anywhere, so a record is only a claim: the process it
 * names is killed only when /proc proves it is this job's encoder (kill-decision.ts: pid and
 * start time, our uid, this job's ffmpeg/ffprobe binary, a command line naming this work dir).
 *
 * One small file per child (`.children/<pid>`), created on spawn and removed on exit: no file is
 * ever rewritten, so the cost does not grow with the number of segments.
 */
const childRecordSchema = z.object({
  pid: z.number().int(),
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot), identifies this incarnation of the pid. */
  startTime: z.string().regex(/^\d+$/),
});
export type ChildRecord = z.infer<typeof childRecordSchema>;

export const CHILDREN_DIR = '.children';

/** The fields after "pid (comm) ", starting at field 3 (state); comm may hold spaces and parentheses. */
function statFields(stat: string): string[] | undefined {
  const close = stat.lastIndexOf(')');
  return close < 0 ? undefined : stat.slice(close + 2).split(' ');
}

/** Field 22 (starttime) of /proc/<pid>/stat. */
export function parseStatStartTime(stat: string): string | undefined {
  return statFields(stat)?.[22 - 3];
}

/** Process state letter (R, S, Z, …) from /proc/<pid>/stat. */
export function parseStatState(stat: string): string | undefined {
  return statFields(stat)?.[0];
}

/** Process group id (field 5) from /proc/<pid>/stat. */
export function parseStatPgid(stat: string): number | undefined {
  const value = Number(statFields(stat)?.[5 - 3]);
  return Number.isInteger(value) ? value : undefined;
}

/** Real and effective uid from /proc/<pid>/status. */
export function parseStatusUids(status: string): { realUid?: number; effectiveUid?: number } {
  const match = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status);
  return match ? { realUid: Number(match[1]), effectiveUid: Number(match[2]) } : {};
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

/** Everything decideKill needs to know about a pid, read from /proc (undefined when it is gone). */
export function procFacts(pid: number): ProcFacts | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const stat = readProc(pid, 'stat');
  if (!stat) return undefined;
  const facts: ProcFacts = {
    startTime: parseStatStartTime(stat),
    state: parseStatState(stat),
    pgid: parseStatPgid(stat),
    argv: processArgv(pid),
  };
  Object.assign(facts, parseStatusUids(readProc(pid, 'status') ?? ''));
  try {
    facts.exe = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    /* another user's process, or a kernel thread: stays unknown, which never passes */
  }
  try {
    facts.cwd = readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    /* unreadable: the command line must name the work directory then */
  }
  return facts;
}

/** Real path of a command as execvp would find it, or undefined. */
export function resolveExecutable(command: string): string | undefined {
  const candidates = command.includes('/')
    ? [path.resolve(command)]
    : (process.env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, command));
  for (const candidate of candidates) {
    try {
      return realpathSync(candidate);
    } catch {
      /* keep looking */
    }
  }
  return undefined;
}

/** The programs a job runs: which commands its children may be. */
export interface ChildPrograms {
  /** ffmpeg/ffprobe commands exactly as the job spawns them. */
  tools: readonly string[];
}

export type ChildLog = (level: 'debug' | 'warn', message: string) => void;

export class ChildRegistry {
  private readonly dir: string;

  constructor(
    private readonly workDir: string,
    private readonly programs: ChildPrograms = { tools: ['ffmpeg', 'ffprobe'] },
    private readonly log?: ChildLog,
  ) {
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
    this.removeRecord(String(pid));
  };

  /** Removes `.children/NAME` only if it is a regular file inside a real `.children` folder: never through a link. */
  private removeRecord(name: string): void {
    try {
      if (!lstatSync(this.dir).isDirectory() || !lstatSync(path.join(this.dir, name)).isFile()) return;
      rmSync(path.join(this.dir, name), { force: true });
    } catch {
      /* already gone */
    }
  }

  /** Record files (named by pid, as we write them) with their parsed contents; other names are not ours and are ignored. */
  private recordFiles(): { name: string; record?: ChildRecord }[] {
    let names: string[];
    try {
      if (!lstatSync(this.dir).isDirectory()) {
        this.log?.('debug', `${this.dir}: not a folder (a link?); its records are ignored`);
        return [];
      }
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const found: { name: string; record?: ChildRecord }[] = [];
    for (const name of names) {
      if (!/^\d+$/.test(name)) {
        this.log?.('debug', `${path.join(this.dir, name)}: not a child record name; left alone`);
        continue;
      }
      try {
        const file = path.join(this.dir, name);
        if (!lstatSync(file).isFile()) throw new Error('not a regular file');
        const parsed = childRecordSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
        found.push({ name, record: parsed.success && String(parsed.data.pid) === name ? parsed.data : undefined });
      } catch {
        found.push({ name }); // torn record from a kill mid-write: the pid is unknown, nothing to reap
      }
    }
    return found;
  }

  records(): ChildRecord[] {
    return this.recordFiles().flatMap((file) => (file.record ? [file.record] : []));
  }

  /** True when the recorded process is still the one recorded (same start time, not a zombie). Says nothing about whether it is ours. */
  static isAlive(record: ChildRecord): boolean {
    const facts = procFacts(record.pid);
    return Boolean(facts && facts.state !== 'Z' && facts.startTime === record.startTime && (facts.argv ?? []).length > 0);
  }

  private expectation(record: ChildRecord): KillExpectation {
    const tools = [...new Set(this.programs.tools)];
    const wrappers = ['/usr/bin/setpriv', '/bin/setpriv', findTaskset()].flatMap((w) =>
      w ? [resolveExecutable(w)].filter((r): r is string => Boolean(r)) : [],
    );
    return {
      pid: record.pid,
      startTime: record.startTime,
      selfPid: process.pid,
      uid: process.getuid?.() ?? -1,
      workDir: path.resolve(this.workDir),
      toolCommands: tools,
      toolExecutables: tools.flatMap((t) => resolveExecutable(t) ?? []),
      wrapperExecutables: [...new Set(wrappers)],
    };
  }

  /** Kills each recorded process that /proc proves is ours (see decideKill); returns their pids. */
  private killProven(dropRecords: boolean): number[] {
    const killed: number[] = [];
    for (const { name, record } of this.recordFiles()) {
      if (!record) {
        this.log?.('debug', `${path.join(this.dir, name)}: unreadable child record; dropped`);
      } else {
        const decision = decideKill(procFacts(record.pid), this.expectation(record));
        if (decision.kill) {
          killGroup(record.pid, 'SIGKILL', { group: decision.group });
          killed.push(record.pid);
        } else {
          this.log?.('debug', `child record ${record.pid}: not killed, ${decision.reason}; record dropped`);
        }
      }
      if (dropRecords) this.removeRecord(name);
    }
    return killed;
  }

  /** Kills the encoders left running by an earlier run that died, drops every record; returns the pids killed. */
  reapStale(): number[] {
    return this.killProven(true);
  }

  /** Synchronously kills every recorded child that is provably ours (last resort on a forced exit). */
  killAll(): void {
    this.killProven(false);
  }
}
