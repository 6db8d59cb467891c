import path from 'node:path';

/**
 * GNU parallel command lines for the hosts engine, built here and run elsewhere (host-check.ts,
 * parallel-runner.ts). Every value that reaches them is ours: sshlogins validated by host-spec.ts,
 * file names made of the job id, and absolute paths checked by safePathForParallel. GNU parallel
 * quotes arguments for the remote shell itself; its `--ssh` value and the remote command are
 * command lines by its documented interface, so nothing user-given is put into them unchecked.
 */
export const PARALLEL = 'parallel';

/** ssh options every connection gets: keys only (never a password prompt), a bounded connect. */
export const SSH_OPTIONS = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-o', 'ServerAliveInterval=5', '-o', 'ServerAliveCountMax=3'];

/** A path GNU parallel may put into a command line as is: absolute, plain characters only. */
export function safePathForParallel(file: string): boolean {
  return path.isAbsolute(file) && /^[A-Za-z0-9_./+-]+$/.test(file) && !file.split('/').includes('..');
}

/**
 * The ssh command GNU parallel runs (--ssh). An ssh client config (CHUNKED_AV1_SSH_CONFIG, e.g.
 * for keys and known hosts of a render farm; the tests use it) is passed with -F.
 */
export function sshCommand(configFile?: string): string {
  const words = ['ssh', ...SSH_OPTIONS];
  if (configFile) {
    if (!safePathForParallel(configFile))
      throw new Error(`ssh config ${JSON.stringify(configFile)}: must be an absolute path of letters, digits and ./_+- only`);
    words.push('-F', configFile);
  }
  return words.join(' ');
}

/**
 * One --nonall round: `script` runs once on every sshlogin, each output line tagged with it. The
 * worker program goes along (--basefile, no --cleanup): it stays on each host, in a folder named
 * by its content hash, for the segment jobs.
 */
export function hostCheckArgs(options: { ssh: string; sshlogins: string[]; script: string; basefiles: string[] }): string[] {
  for (const file of options.basefiles)
    if (!safePathForParallel(file)) throw new Error(`${file}: not a path GNU parallel can be given as is`);
  return [
    '--will-cite',
    '--nonall',
    '--tag',
    '--ssh',
    options.ssh,
    ...options.basefiles.flatMap((file) => ['--basefile', file]),
    ...options.sshlogins.flatMap((login) => ['--sshlogin', login]),
    options.script,
  ];
}

/** Names of one remote job's files, relative to the work directory (here) and the job's remote folder. */
export const REMOTE_DIR = 'remote';
export function remoteJobFiles(jobId: string) {
  return {
    source: `${REMOTE_DIR}/${jobId}.src.mkv`,
    job: `${REMOTE_DIR}/${jobId}.job.json`,
    output: `${REMOTE_DIR}/${jobId}.out.mkv`,
    result: `${REMOTE_DIR}/${jobId}.result.json`,
    /** The quality cache: this machine's goes out, the host's comes back (new measurements are merged). */
    qualityCache: `${REMOTE_DIR}/${jobId}.quality-cache.jsonl`,
    /** Stays here: GNU parallel's record of the job (host, exit code). */
    joblog: `${REMOTE_DIR}/${jobId}.joblog.tsv`,
  };
}
export const JOB_ID = /^[0-9]{1,6}-[0-9]{1,4}$/;

/**
 * One segment job on the hosts: GNU parallel sends the segment copy and the job description
 * (--transferfile), runs the worker in a fresh remote folder (--workdir ...), brings back the
 * encode and its result (--return) and removes the remote files (--cleanup). The hosts runner
 * gives one sshlogin, the host it chose, and moves on to the next host itself when ssh fails
 * (GNU parallel starts a job on one of several sshlogins in random order, see hosts-runner.ts).
 * The worker program is already on each host (the check sent it).
 */
export function segmentJobArgs(options: { ssh: string; sshlogins: string[]; joblog: string; worker: string; jobId: string }): string[] {
  // The joblog is opened by GNU parallel here (any path); the worker's path goes into the remote command line.
  if (!safePathForParallel(options.worker)) throw new Error(`${options.worker}: not a path GNU parallel can be given as is`);
  if (!JOB_ID.test(options.jobId)) throw new Error(`bad job id ${options.jobId}`);
  const files = remoteJobFiles('{}');
  return [
    '--will-cite',
    '--ssh',
    options.ssh,
    '--joblog',
    options.joblog,
    '--retries',
    String(options.sshlogins.length),
    '--workdir',
    '...',
    '--cleanup',
    '--line-buffer',
    '--tag',
    ...options.sshlogins.flatMap((login) => ['--sshlogin', login]),
    '--transferfile',
    files.source,
    '--transferfile',
    files.job,
    '--transferfile',
    files.qualityCache,
    '--return',
    files.output,
    '--return',
    files.result,
    '--return',
    files.qualityCache,
    // The remote command line, by GNU parallel's interface; {} is the job id (JOB_ID).
    `node ${options.worker} segment-worker ${files.job}`,
    ':::',
    options.jobId,
  ];
}
