import { readFile } from 'node:fs/promises';
import { CancelledError } from '../errors';
import { findSetpriv, killGroup, runProcess } from '../sys';
import { PARALLEL } from './parallel-args';

/**
 * Runs one segment job through GNU parallel (segmentJobArgs) and reports, from its --joblog,
 * the host that ran the last attempt and its exit code.
 *
 * One GNU parallel per segment job, not one for the whole encode: GNU parallel reaps a finished
 * job only when it reads more input, so a long-running one fed on stdin would report each job one
 * job late. Its per-job cost is a Perl start-up, small beside an ssh connection and an encode.
 *
 * Stopping: SIGINT makes GNU parallel kill its job; the ssh connection closes and GNU parallel's
 * remote wrapper kills the job's processes on the host. GNU parallel is started with a
 * parent-death signal of SIGINT, so a SIGKILLed CLI stops the remote encoders the same way.
 */
export interface FinishedJob {
  /** GNU parallel's sshlogin of the host that ran the job's last attempt (user@host:port). */
  host: string;
  exitCode: number;
  signal: number;
  seconds: number;
}

/** One --joblog line (Seq Host Starttime JobRuntime Send Receive Exitval Signal Command), or undefined. Pure. */
export function parseJoblogLine(line: string): FinishedJob | undefined {
  const fields = line.split('\t');
  if (fields.length < 9 || !/^\d+$/.test(fields[0]!)) return undefined;
  return { host: fields[1]!, seconds: Number(fields[3]), exitCode: Number(fields[6]), signal: Number(fields[7]) };
}

const GRACE_MS = 5000;

export async function runParallelJob(
  args: string[],
  options: {
    cwd: string;
    joblog: string;
    signal?: AbortSignal;
    /** Each line GNU parallel prints (the job's output, tagged with its id, and its own messages). */
    onLine?: (line: string) => void;
    onSpawn?: (pid: number) => void;
    onExit?: (pid: number) => void;
  },
): Promise<FinishedJob> {
  if (options.signal?.aborted) throw new CancelledError();
  const setpriv = findSetpriv();
  const [file, fileArgs] = setpriv ? [setpriv, ['--pdeathsig', 'INT', '--', PARALLEL, ...args]] : [PARALLEL, args];
  const run = runProcess(file, fileArgs, {
    cwd: options.cwd,
    stdout: 'stream',
    onStdoutLine: options.onLine,
    onStderrLine: options.onLine,
    onSpawn: options.onSpawn,
    onExit: options.onExit,
    stderrTailLines: 5,
  });
  let exited = false;
  // Not runProcess's signal: its SIGTERM would make GNU parallel wait for the running job.
  const stop = () => {
    const pid = run.child.pid;
    if (!pid) return;
    killGroup(pid, 'SIGINT');
    setTimeout(() => {
      if (!exited) killGroup(pid, 'SIGTERM');
    }, GRACE_MS).unref();
    setTimeout(() => {
      if (!exited) killGroup(pid, 'SIGKILL');
    }, 2 * GRACE_MS).unref();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  let failure: unknown;
  try {
    await run;
  } catch (error) {
    failure = error; // the job's exit code is in the joblog; GNU parallel exits with the failed-job count
  } finally {
    exited = true;
    options.signal?.removeEventListener('abort', stop);
  }
  if (options.signal?.aborted) throw new CancelledError();
  const lines = (await readFile(options.joblog, 'utf8').catch(() => '')).split('\n');
  const finished = lines
    .map(parseJoblogLine)
    .filter((entry) => entry !== undefined)
    .pop();
  if (!finished) throw new Error(`GNU parallel ran no job: ${(failure as Error | undefined)?.message ?? 'no joblog line'}`);
  return finished;
}
