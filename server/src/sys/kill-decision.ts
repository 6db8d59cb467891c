import path from 'node:path';

/**
 * Whether a process named by a `.children/` record may be killed. A work directory can come from
 * anywhere (a cloned repository, an archive), so a record is a claim, not a fact: the process it
 * names is ours only when everything /proc says about it matches what this job starts. Pure: the
 * caller reads /proc (children.ts) and acts on the answer.
 */

/** What /proc says about one live process. Missing fields mean /proc could not tell. */
export interface ProcFacts {
  /** Field 22 of /proc/PID/stat. */
  startTime?: string;
  /** State letter from /proc/PID/stat (Z = zombie). */
  state?: string;
  /** Process group id, field 5 of /proc/PID/stat. */
  pgid?: number;
  /** /proc/PID/cmdline split on NUL. */
  argv?: readonly string[];
  /** Real and effective uid from /proc/PID/status `Uid:`. */
  realUid?: number;
  effectiveUid?: number;
  /** readlink /proc/PID/exe: the binary the kernel is running (argv[0] can say anything). */
  exe?: string;
  /** readlink /proc/PID/cwd: the mux runs in the work directory and names its files relatively. */
  cwd?: string;
}

/** What this job starts, read once per run. */
export interface KillExpectation {
  /** The recorded pid and start time. */
  pid: number;
  startTime: string;
  /** Our own pid: never ours to kill. */
  selfPid: number;
  /** Our uid. */
  uid: number;
  /** Absolute work directory; an encoder we start names a file inside it. */
  workDir: string;
  /** The tool commands as this job spawns them (e.g. 'ffmpeg' or '/opt/ff/ffmpeg'). */
  toolCommands: readonly string[];
  /** Real paths of the tool binaries (PATH lookup + realpath), as /proc/PID/exe shows them. */
  toolExecutables: readonly string[];
  /** Real paths of the wrappers we may exec through (setpriv, taskset), which a child is between exec()s. */
  wrapperExecutables: readonly string[];
}

export type KillDecision =
  | { kill: true; /** Signal the whole group: the process leads its own group, as our children do. */ group: boolean }
  | { kill: false; reason: string };

/**
 * The command a wrapper chain runs: `setpriv --pdeathsig KILL -- CMD…` and `taskset -c LIST CMD…`
 * are the only wrappers runProcess uses (processes.ts, affinity.ts); anything else is the command.
 */
export function unwrapCommand(argv: readonly string[]): readonly string[] {
  let rest = argv;
  for (let depth = 0; depth < 4 && rest.length; depth++) {
    const name = path.basename(rest[0]!);
    if (name === 'setpriv' && rest[1] === '--pdeathsig' && rest[3] === '--') rest = rest.slice(4);
    else if (name === 'taskset' && rest[1] === '-c' && rest.length > 3) rest = rest.slice(3);
    else break;
  }
  return rest;
}

/** True when `arg` names the work directory or a path inside it (with or without a `file:` prefix). */
export function namesWorkDir(arg: string, workDir: string): boolean {
  const bare = arg.startsWith('file:') ? arg.slice('file:'.length) : arg;
  const root = workDir.endsWith(path.sep) ? workDir.slice(0, -1) : workDir;
  return bare === root || bare.startsWith(root + path.sep);
}

export function decideKill(facts: ProcFacts | undefined, expect: KillExpectation): KillDecision {
  const no = (reason: string): KillDecision => ({ kill: false, reason });
  if (!Number.isInteger(expect.pid) || expect.pid <= 1) return no(`pid ${expect.pid} is never ours to signal`);
  if (expect.pid === expect.selfPid) return no('the pid is this process');
  if (!/^\d+$/.test(expect.startTime)) return no('the record has no valid start time');
  if (!facts || facts.startTime === undefined) return no('no such process');
  if (facts.state === 'Z') return no('the process has already exited (zombie)');
  if (facts.startTime !== expect.startTime)
    return no(`start time ${facts.startTime} differs from the recorded ${expect.startTime}: another process now has this pid`);
  if (facts.realUid !== expect.uid || facts.effectiveUid !== expect.uid)
    return no(`runs as uid ${facts.realUid ?? '?'}/${facts.effectiveUid ?? '?'}, not ours (${expect.uid})`);
  const command = unwrapCommand(facts.argv ?? []);
  if (!command.length) return no('no command line');
  const program = command[0]!;
  if (!expect.toolCommands.includes(program)) return no(`command ${JSON.stringify(program)} is not this job's ffmpeg or ffprobe`);
  const isTool = facts.exe !== undefined && expect.toolExecutables.includes(facts.exe);
  const isWrapper = facts.exe !== undefined && command !== facts.argv && expect.wrapperExecutables.includes(facts.exe);
  if (!isTool && !isWrapper) return no(`runs ${facts.exe ?? 'an unreadable binary'}, not this job's ffmpeg or ffprobe`);
  const inWorkDir = facts.cwd !== undefined && namesWorkDir(facts.cwd, expect.workDir);
  if (!inWorkDir && !command.slice(1).some((arg) => namesWorkDir(arg, expect.workDir)))
    return no('neither its command line nor its working directory names this work directory');
  // Our children lead their own group (spawned detached); a process in someone else's group is signalled alone.
  return { kill: true, group: facts.pgid === expect.pid };
}
