import { execa, type ResultPromise } from 'execa';
import { accessSync, constants, readFileSync, readdirSync } from 'node:fs';
import { CancelledError } from '../errors';
import { findTaskset, pinnedCommand } from './affinity';
import { PeakRssWatcher } from './memory';
import { killGroup } from './process-group';
import { resolveExecutable } from './children';

/**
 * The one place that starts external processes. Always an argument array, never a shell.
 * Children run in their own process group so that cancelling kills ffmpeg and anything it
 * started, and a Ctrl-C on the terminal reaches only us (we then stop children in order).
 */
export interface RunOptions {
  signal?: AbortSignal;
  /** Kill the process (and count it as failed) after this many milliseconds. */
  timeoutMs?: number;
  cwd?: string;
  /** Receives each stderr line as it arrives (ffmpeg progress, errors). */
  onStderrLine?: (line: string) => void;
  /** Receives each stdout line as it arrives. */
  onStdoutLine?: (line: string) => void;
  /** 'pipe' leaves stdin open for the caller to write (GNU parallel reads its jobs there); default 'ignore'. */
  stdin?: 'ignore' | 'pipe';
  /** 'buffer' keeps stdout as a string; 'ignore' drops it; 'stream' leaves it for the caller. */
  stdout?: 'buffer' | 'ignore' | 'stream';
  /** Called with the command line before it runs (debug logging). */
  log?: (argv: readonly string[]) => void;
  /** How many trailing stderr lines to keep for error messages. */
  stderrTailLines?: number;
  /** Called once the child has a pid (used to record and reap children). */
  onSpawn?: (pid: number) => void;
  /** Called once the child has exited, whatever the outcome. */
  onExit?: (pid: number) => void;
  /** Run the child on these CPUs (via taskset where available; ignored elsewhere). */
  cpus?: readonly number[];
  /**
   * Poll the child's peak RSS (/proc/<pid>/status VmHWM, only once the pid runs `file` itself, not
   * a wrapper) and report the highest seen as peakRssBytes. Growth after the last poll is missed:
   * for ffmpeg prefer the kernel's own figure (ffmpeg-peak-rss.ts).
   */
  trackPeakRss?: boolean;
  /** Extra environment variables for the child (added to ours). */
  env?: Record<string, string>;
  /** An open descriptor of ours the child gets as its fd 3 (/dev/fd/3: a file we created, never a path reopened). */
  fd3?: number;
}

export interface RunResult {
  stdout: string;
  stderrTail: string[];
  seconds: number;
  /** Peak resident set of the child, when trackPeakRss was set and /proc could be read. */
  peakRssBytes?: number;
}

export class ProcessError extends Error {
  constructor(
    message: string,
    readonly argv: readonly string[],
    readonly exitCode: number | undefined,
    readonly stderrTail: string[],
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'ProcessError';
  }
  /** Peak resident set of the child, when trackPeakRss was set and /proc could be read. */
  peakRssBytes?: number;
}

const GRACE_MS = 2000;

export { killGroup };

let setprivPath: string | null | undefined;

/**
 * Children live in their own process group, so a SIGKILL of this process would leave them
 * running. On Linux we start them through `setpriv --pdeathsig KILL`, which makes the kernel
 * kill each child when we die, however we die. CHUNKED_AV1_NO_PDEATHSIG=1 turns this off.
 */
export function findSetpriv(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  setprivPath = null;
  if (process.platform === 'linux' && !process.env.CHUNKED_AV1_NO_PDEATHSIG) {
    for (const candidate of ['/usr/bin/setpriv', '/bin/setpriv']) {
      try {
        accessSync(candidate, constants.X_OK);
        setprivPath = candidate;
        break;
      } catch {
        /* keep looking */
      }
    }
  }
  return setprivPath;
}

/** The command actually started: the requested one, wrapped for CPU pinning and parent-death kill. */
export function wrappedCommand(file: string, args: readonly string[], options: Pick<RunOptions, 'cpus'> = {}): [string, string[]] {
  let command: [string, string[]] = [file, [...args]];
  const taskset = options.cpus?.length ? findTaskset() : null;
  if (taskset && options.cpus) command = pinnedCommand(taskset, options.cpus, command[0], command[1]);
  const setpriv = findSetpriv();
  if (setpriv) command = [setpriv, ['--pdeathsig', 'KILL', '--', command[0], ...command[1]]];
  return command;
}

/** Lines worth showing from an ffmpeg stderr tail: drops progress chatter. */
export function meaningfulTail(lines: string[], count = 3): string[] {
  const useful = lines.filter((l) => l.trim() && !/^(frame=|size=|\s*Last message repeated)/.test(l));
  return useful.slice(-count);
}

/** Descriptors a spawn needs here: three stdio pipes (two ends each) plus execa's and Node's own. */
const SPAWN_DESCRIPTORS = 12;

/**
 * EMFILE before a spawn, as an errno error naming the program: Node cannot report a spawn that
 * runs out of descriptors through execa (its 'error' event escapes as an uncaught exception), so
 * the headroom is checked first. Linux only (/proc/self); elsewhere the spawn is simply tried.
 */
function descriptorShortage(file: string): NodeJS.ErrnoException | undefined {
  try {
    const limit = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
    if (!limit) return undefined;
    const open = readdirSync('/proc/self/fd').length;
    if (open + SPAWN_DESCRIPTORS <= Number(limit)) return undefined;
    return Object.assign(new Error(`${file}: EMFILE: ${open} of ${limit} file descriptors in use`), {
      code: 'EMFILE',
      path: file,
      syscall: 'spawn',
    });
  } catch {
    return undefined;
  }
}

let commandObserver: ((argv: readonly string[]) => void) | undefined;

/** Sees every command line before it runs (the CLI's --verbose); returns the function that stops it. */
export function observeCommands(observer: (argv: readonly string[]) => void): () => void {
  commandObserver = observer;
  return () => {
    if (commandObserver === observer) commandObserver = undefined;
  };
}

/**
 * A stop of this whole process (the first Ctrl-C, SIGTERM): every process runProcess started and
 * that still runs has its group ended (TERM, then KILL after the grace), including those started
 * without a signal of their own (tool checks). Later processes are the callers' to refuse (their
 * job's signal is aborted), so the stop does not outlive itself (tests install handlers too).
 */
let wholeProcessStop = new AbortController();

export function stopAllProcesses(): void {
  const running = wholeProcessStop;
  wholeProcessStop = new AbortController();
  running.abort(new CancelledError());
}

export function runProcess(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> & { child: ResultPromise } {
  const argv = [file, ...args];
  options.log?.(argv);
  commandObserver?.(argv);
  options = { ...options, signal: options.signal ? AbortSignal.any([options.signal, wholeProcessStop.signal]) : wholeProcessStop.signal };
  if (options.signal?.aborted) {
    const rejected = Promise.reject(new CancelledError()) as Promise<RunResult> & { child: ResultPromise };
    return rejected;
  }
  const shortage = descriptorShortage(file);
  if (shortage) return Promise.reject(shortage) as Promise<RunResult> & { child: ResultPromise };
  const tailSize = options.stderrTailLines ?? 20;
  const tail: string[] = [];
  const started = performance.now();
  const [runFile, runArgs] = wrappedCommand(file, args, options);
  const stdin = options.stdin ?? 'ignore';
  const stdout = options.stdout === 'ignore' ? 'ignore' : 'pipe';
  const child = execa(runFile, runArgs, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    // execa passes a descriptor number in stdio[3] on to spawn (as Node does); its types only list numbers for 0-2.
    stdio: (options.fd3 === undefined ? [stdin, stdout, 'pipe'] : [stdin, stdout, 'pipe', options.fd3]) as [
      typeof stdin,
      typeof stdout,
      'pipe',
    ],
    buffer: { stdout: options.stdout !== 'stream' && options.stdout !== 'ignore', stderr: false },
    encoding: options.stdout === 'stream' ? 'buffer' : 'utf8',
    reject: false,
    stripFinalNewline: false,
    maxBuffer: 512 * 1024 * 1024,
  });
  if (child.pid) options.onSpawn?.(child.pid);
  const rssWatcher = options.trackPeakRss && child.pid ? new PeakRssWatcher(child.pid, resolveExecutable(file)).start() : undefined;

  let timedOut = false;
  let aborted = false;
  // Once our child has exited and been reaped its pid may be reused: only signal it while it has not.
  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = () => {
    if (running()) killGroup(child.pid, 'SIGTERM');
    setTimeout(() => {
      if (running()) killGroup(child.pid, 'SIGKILL');
    }, GRACE_MS).unref();
  };
  const onAbort = () => {
    aborted = true;
    stop();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = options.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        stop();
      }, options.timeoutMs)
    : undefined;

  let pending = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split(/\r\n|\r|\n/);
    pending = parts.pop() ?? '';
    for (const line of parts) {
      tail.push(line);
      if (tail.length > tailSize) tail.shift();
      options.onStderrLine?.(line);
    }
  });
  if (options.onStdoutLine && child.stdout) {
    let outPending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      outPending += chunk;
      const parts = outPending.split('\n');
      outPending = parts.pop() ?? '';
      for (const line of parts) options.onStdoutLine?.(line);
    });
  }

  const result = (async (): Promise<RunResult> => {
    let peakRssBytes: number | undefined;
    try {
      const done = await child;
      peakRssBytes = rssWatcher?.stop();
      if (pending) tail.push(pending);
      if (aborted) throw new CancelledError();
      const seconds = (performance.now() - started) / 1000;
      if (timedOut) {
        const error = new ProcessError(
          `${file} timed out after ${Math.round((options.timeoutMs ?? 0) / 1000)} s`,
          argv,
          undefined,
          tail,
          true,
        );
        error.peakRssBytes = peakRssBytes;
        throw error;
      }
      if (done.exitCode !== 0 || done.failed) {
        const why = meaningfulTail(tail).join(' | ') || done.shortMessage || `exit code ${done.exitCode}`;
        const error = new ProcessError(why, argv, done.exitCode, tail, false);
        error.peakRssBytes = peakRssBytes;
        throw error;
      }
      const output: RunResult = { stdout: typeof done.stdout === 'string' ? done.stdout : '', stderrTail: tail, seconds };
      if (peakRssBytes !== undefined) output.peakRssBytes = peakRssBytes;
      return output;
    } finally {
      rssWatcher?.stop();
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (child.pid) options.onExit?.(child.pid);
    }
  })() as Promise<RunResult> & { child: ResultPromise };
  result.child = child;
  return result;
}
