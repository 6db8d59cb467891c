import { CancelledError, UserError } from '../errors';
import { ffmpegPreamble, runProcess } from '../sys';
import type { Tools } from '../sys';
import { hostKey, type HostSpec } from './host-spec';
import { PARALLEL, hostCheckArgs } from './parallel-args';

/**
 * Before any work, every remote host is checked in one GNU parallel `--nonall` round: reachable
 * over ssh in batch mode, ffmpeg/ffprobe with libsvtav1, GNU parallel, rsync and Node present,
 * the same SVT-AV1 version as here, and its cores and free memory (for its worker count). The
 * script and the parsers are pure; runHostCheck runs the round.
 */
export const MIN_NODE_MAJOR = 20;
const TOOLS = ['ffmpeg', 'ffprobe', 'parallel', 'rsync', 'node'] as const;
const MARK = 'chunked-av1-check:';

/** ffmpeg arguments that make SVT-AV1 print its version banner (one tiny frame, no output file). */
export const SVT_VERSION_PROBE_ARGS = [
  ...ffmpegPreamble({ loglevel: 'info' }),
  '-f',
  'lavfi',
  '-i',
  'color=s=64x64:r=1:d=1',
  '-frames:v',
  '1',
  '-c:v',
  'libsvtav1',
  '-f',
  'null',
  '-',
];

/** "v1.4.1" from SVT-AV1's banner ("SVT [version]: SVT-AV1 Encoder Lib v1.4.1"), or undefined. */
export function parseSvtVersion(text: string): string | undefined {
  return /SVT-AV1 Encoder Lib (v?[0-9][0-9A-Za-z.+-]*)/.exec(text)?.[1];
}

/** SVT-AV1's version as this machine's ffmpeg reports it. */
export async function localSvtVersion(tools: Tools, signal?: AbortSignal): Promise<string | undefined> {
  const lines: string[] = [];
  await runProcess(tools.ffmpeg, SVT_VERSION_PROBE_ARGS, { signal, stdout: 'ignore', onStderrLine: (line) => lines.push(line) }).catch(
    () => undefined,
  );
  return parseSvtVersion(lines.join('\n'));
}

/** The remote check, a POSIX sh script (the command GNU parallel's --nonall runs on each host). */
export function hostCheckScript(): string {
  const probe = SVT_VERSION_PROBE_ARGS.map((arg) => (/^[A-Za-z0-9_.:=,/-]+$/.test(arg) ? arg : `'${arg}'`)).join(' ');
  return [
    `echo "${MARK}cores $(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"`,
    `echo "${MARK}memory-kb $(awk '/^MemAvailable:/{print $2}' /proc/meminfo 2>/dev/null)"`,
    `for t in ${TOOLS.join(' ')}; do command -v $t >/dev/null 2>&1 && echo "${MARK}has $t"; done`,
    `ffmpeg -hide_banner -encoders 2>/dev/null | grep -q ' libsvtav1 ' && echo "${MARK}libsvtav1"`,
    `echo "${MARK}svt $(ffmpeg ${probe} 2>&1 | grep -o 'SVT-AV1 Encoder Lib v*[0-9][0-9A-Za-z.+-]*' | head -n 1)"`,
    `echo "${MARK}node $(node --version 2>/dev/null)"`,
    `echo "${MARK}end"`,
  ].join('; ');
}

export interface HostFacts {
  cores?: number;
  memoryBytes?: number;
  tools: Set<string>;
  libsvtav1: boolean;
  svtVersion?: string;
  nodeVersion?: string;
  /** The script ran to its end (the host answered). */
  complete: boolean;
  /** Other lines the host printed (ssh's error on a failed connection). */
  messages: string[];
}

/** Splits `--tag` output (`host<TAB>line`) into each host's facts. */
export function parseHostCheckOutput(lines: string[], hosts: string[]): Map<string, HostFacts> {
  const facts = new Map<string, HostFacts>(
    hosts.map((host) => [host, { tools: new Set(), libsvtav1: false, complete: false, messages: [] }]),
  );
  for (const line of lines) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const entry = facts.get(line.slice(0, tab));
    if (!entry) continue;
    const text = line.slice(tab + 1).trim();
    if (!text.startsWith(MARK)) {
      if (text) entry.messages.push(text);
      continue;
    }
    const [key = '', ...rest] = text.slice(MARK.length).split(' ');
    const value = rest.join(' ').trim();
    if (key === 'cores' && /^\d+$/.test(value)) entry.cores = Number(value);
    else if (key === 'memory-kb' && /^\d+$/.test(value)) entry.memoryBytes = Number(value) * 1024;
    else if (key === 'has') entry.tools.add(value);
    else if (key === 'libsvtav1') entry.libsvtav1 = true;
    else if (key === 'svt') entry.svtVersion = parseSvtVersion(value);
    else if (key === 'node' && value) entry.nodeVersion = value;
    else if (key === 'end') entry.complete = true;
  }
  return facts;
}

export interface HostRequirements {
  /** SVT-AV1 version of this machine: every segment of one film comes from one encoder. */
  svtVersion?: string;
}

/** Why a host cannot take segments (one clause), or undefined when it can. Pure. */
export function hostProblem(facts: HostFacts, requirements: HostRequirements): string | undefined {
  if (!facts.complete) {
    const why = facts.messages.filter((m) => !/^Warning: Permanently added/.test(m)).slice(-1)[0];
    return `not reachable over ssh with a key (batch mode)${why ? `: ${why}` : ''}`;
  }
  const missing = TOOLS.filter((tool) => !facts.tools.has(tool));
  if (missing.length)
    return `${missing.join(', ')} not found on its PATH (each host needs ffmpeg with libsvtav1, GNU parallel, rsync and Node ${MIN_NODE_MAJOR}+)`;
  if (!facts.libsvtav1) return 'its ffmpeg has no libsvtav1 encoder';
  if (requirements.svtVersion && facts.svtVersion !== requirements.svtVersion) {
    return `it has SVT-AV1 ${facts.svtVersion ?? '(unknown version)'} and this machine ${requirements.svtVersion}; the segments of one video must come from one encoder version`;
  }
  const major = Number(/^v?(\d+)\./.exec(facts.nodeVersion ?? '')?.[1]);
  if (!(major >= MIN_NODE_MAJOR))
    return `its Node is ${facts.nodeVersion ?? 'unknown'}; the segment worker needs Node ${MIN_NODE_MAJOR} or newer`;
  return undefined;
}

export interface HostCheckResult {
  spec: HostSpec;
  facts: HostFacts;
  problem?: string;
}

/** Fails with one line when GNU parallel is not installed here (it runs every remote job). */
export async function requireGnuParallel(): Promise<void> {
  const version = await runProcess(PARALLEL, ['--version']).then(
    (r) => r.stdout,
    () => '',
  );
  if (!/GNU parallel/.test(version))
    throw new UserError(
      `${PARALLEL}: GNU parallel was not found or does not run; --hosts needs it here and on every host (Debian/Ubuntu: apt-get install parallel rsync)`,
      PARALLEL,
    );
}

/** Runs the check on every remote host at once; `:` entries are not checked (this machine). */
export async function runHostCheck(
  specs: HostSpec[],
  options: {
    ssh: string;
    requirements: HostRequirements;
    basefiles: string[];
    signal?: AbortSignal;
    onSpawn?: (pid: number) => void;
    onExit?: (pid: number) => void;
  },
): Promise<HostCheckResult[]> {
  const remote = specs.filter((spec) => !spec.local);
  if (!remote.length) return [];
  const lines: string[] = [];
  const args = hostCheckArgs({
    ssh: options.ssh,
    sshlogins: remote.map((spec) => `1/${hostKey(spec)}`),
    script: hostCheckScript(),
    basefiles: options.basefiles,
  });
  // A host that fails makes GNU parallel exit non-zero; the facts say which host and why.
  await runProcess(PARALLEL, args, {
    signal: options.signal,
    onStdoutLine: (line) => lines.push(line),
    onStderrLine: (line) => lines.push(line),
    stdout: 'stream',
    onSpawn: options.onSpawn,
    onExit: options.onExit,
  }).catch((error: unknown) => {
    if (error instanceof CancelledError) throw error;
  });
  const facts = parseHostCheckOutput(lines, remote.map(hostKey));
  return remote.map((spec) => {
    const hostFacts = facts.get(hostKey(spec))!;
    const problem = hostProblem(hostFacts, options.requirements);
    return problem ? { spec, facts: hostFacts, problem } : { spec, facts: hostFacts };
  });
}
