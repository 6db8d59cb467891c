import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JobEvent, SegmentEvent } from '../../common/events';
import { CLI } from './cli';
import { decodedFrameCount } from './clips';

/**
 * Fault-injection harness: runs the real built CLI (`dist/cli.js encode --json`), follows its
 * NDJSON events, and delivers a signal at a moment chosen from those events (never a sleep).
 * Also finds stray ffmpeg processes in /proc and builds a small tmpfs in a private mount
 * namespace for full-disk tests.
 */
export { CLI };

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  events: JobEvent[];
  stdout: string;
  stderr: string;
  /** The event after which the signal was sent, when one was. */
  killedAfter?: JobEvent;
  /** ffmpeg processes still running right after the CLI ended (cmdline mentions the marker). */
  strays: ProcessInfo[];
}

export interface RunCliOptions {
  /** Send `killSignal` once this returns true (checked after each event). */
  killWhen?: (event: JobEvent, history: readonly JobEvent[]) => boolean;
  killSignal?: NodeJS.Signals;
  env?: NodeJS.ProcessEnv;
  /** Command prefix, e.g. ['nsenter', '-t', pid, '-m', '--'] (must exec, not fork). */
  prefix?: string[];
  /** Only processes whose command line contains this count as strays (default: none checked). */
  strayMarker?: string;
  /** Hard limit for the whole run; the CLI is SIGKILLed and the promise rejects after it. */
  timeoutMs?: number;
  /** Called with each event as it arrives. */
  onEvent?: (event: JobEvent, child: ChildProcess) => void;
}

export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliRun> {
  const argv = [...(options.prefix ?? []), process.execPath, CLI, ...args];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  const events: JobEvent[] = [];
  let stdout = '';
  let stderr = '';
  let pending = '';
  let killedAfter: JobEvent | undefined;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      let event: JobEvent;
      try {
        event = JSON.parse(line) as JobEvent;
      } catch {
        continue;
      }
      events.push(event);
      options.onEvent?.(event, child);
      if (!killedAfter && options.killWhen?.(event, events)) {
        killedAfter = event;
        child.kill(options.killSignal ?? 'SIGKILL');
      }
    }
  });
  return new Promise<CliRun>((resolve, reject) => {
    const timer = options.timeoutMs
      ? setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`CLI run exceeded ${options.timeoutMs} ms: ${args.join(' ')}\n${stderr}`));
        }, options.timeoutMs)
      : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const strays = options.strayMarker ? waitForNoStrays(options.strayMarker) : Promise.resolve([]);
      strays.then((found) => resolve({ code, signal, events, stdout, stderr, killedAfter, strays: found }), reject);
    });
  });
}

export function segmentEvents(events: readonly JobEvent[]): SegmentEvent[] {
  return events.filter((e): e is SegmentEvent => e.event === 'segment');
}

/** Segment indexes that reached `state` in a run. */
export function indexesIn(events: readonly JobEvent[], state: SegmentEvent['state']): Set<number> {
  return new Set(
    segmentEvents(events)
      .filter((e) => e.state === state)
      .map((e) => e.index),
  );
}

/** Segment indexes that a run actually encoded (an `encoding` event, i.e. not kept from before). */
export function encodedIndexes(events: readonly JobEvent[]): Set<number> {
  return indexesIn(events, 'encoding');
}

export interface ProcessInfo {
  pid: number;
  state: string;
  argv: string[];
}

/** Running (non-zombie) processes whose command line contains `marker`. */
export function processesMentioning(marker: string, name = 'ffmpeg'): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (!argv.some((arg) => path.basename(arg) === name) || !argv.some((arg) => arg.includes(marker))) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '?';
      if (state === 'Z' || state === 'X') continue;
      found.push({ pid, state, argv });
    } catch {
      /* exited while we looked */
    }
  }
  return found;
}

/**
 * The kernel delivers the parent-death signal as the CLI dies, but the children take a moment
 * to exit: poll for up to `graceMs` and return whatever is still running then.
 */
export async function waitForNoStrays(marker: string, graceMs = 3000): Promise<ProcessInfo[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const strays = processesMentioning(marker);
    if (strays.length === 0 || Date.now() > deadline) return strays;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A small tmpfs visible only inside a private mount namespace held open by a `sleep` process.
 * Commands run inside it through `prefix` (nsenter execs, so the pid is the command's own);
 * the test reads and writes the tmpfs from outside through /proc/<pid>/root.
 */
export class TmpfsNamespace {
  private constructor(
    readonly holderPid: number,
    readonly mountPoint: string,
    private readonly holder: ChildProcess,
  ) {}

  /** Why a namespace cannot be made here, or undefined when it can. */
  static unavailableReason(): string | undefined {
    if (process.platform !== 'linux') return 'mount namespaces need Linux';
    if (process.getuid?.() !== 0) return 'making a tmpfs in a mount namespace needs root (unshare -m)';
    for (const tool of ['unshare', 'nsenter', 'mount']) {
      if (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool]).status !== 0) return `${tool} is not installed`;
    }
    const probe = spawnSync(
      'unshare',
      ['--mount', '--propagation', 'private', '--', 'mount', '-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', tmpdir()],
      { encoding: 'utf8' },
    );
    if (probe.status !== 0) return `unshare/mount refused here: ${(probe.stderr || '').trim().split('\n')[0]}`;
    return undefined;
  }

  static async create(sizeBytes: number): Promise<TmpfsNamespace> {
    const mountPoint = mkdtempSync(path.join(tmpdir(), 'chunked-av1-tmpfs-'));
    const holder = spawn(
      'unshare',
      [
        '--mount',
        '--propagation',
        'private',
        '--',
        'sh',
        '-c',
        'mount -t tmpfs -o "size=$1" tmpfs "$2" && echo ready && exec sleep 100000',
        'sh',
        String(sizeBytes),
        mountPoint,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      let errText = '';
      holder.stderr.on('data', (d) => {
        errText += d;
      });
      holder.stdout.on('data', (d) => {
        if (String(d).includes('ready')) resolve();
      });
      holder.on('exit', (code) => reject(new Error(`tmpfs namespace failed (exit ${code}): ${errText}`)));
    });
    return new TmpfsNamespace(holder.pid!, mountPoint, holder);
  }

  /** Path of `inside` (a path under the mount point) as seen from outside the namespace. */
  outside(inside = this.mountPoint): string {
    return path.join(`/proc/${this.holderPid}/root`, inside);
  }

  /** Prefix that runs a command inside the namespace. */
  get prefix(): string[] {
    return ['nsenter', '-t', String(this.holderPid), '-m', '--'];
  }

  /** Free bytes on the tmpfs (statfs inside the namespace). */
  freeBytes(): number {
    const [file, ...args] = this.prefix;
    const run = spawnSync(file!, [...args, 'df', '-B1', '--output=avail', this.mountPoint], { encoding: 'utf8' });
    return Number(run.stdout.trim().split('\n').pop());
  }

  dispose(): void {
    this.holder.kill('SIGKILL');
    if (existsSync(this.mountPoint)) rmSync(this.mountPoint, { recursive: true, force: true });
  }
}

export interface FrameCheck {
  sourceFrames: number;
  outputFrames: number;
  /** Lowest per-frame PSNR (average of planes) of output against source, in dB. */
  minPsnr: number;
}

/**
 * Frame counts of both files and the worst per-frame PSNR between them. A one-frame shift at a
 * segment boundary drops the worst frame far below what the encode itself costs (for testsrc2
 * at 160x120, CRF 45, preset 13: about 30 dB aligned, 19 dB shifted by one frame).
 */
export function frameCheck(source: string, output: string): FrameCheck {
  const psnr = spawnSync(
    'ffmpeg',
    [
      '-nostdin',
      '-hide_banner',
      '-i',
      source,
      '-i',
      output,
      '-lavfi',
      '[0:v]format=yuv420p,setpts=PTS-STARTPTS[a];[1:v]format=yuv420p,setpts=PTS-STARTPTS[b];[a][b]psnr=stats_file=-',
      '-f',
      'null',
      '-',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const values = [...psnr.stdout.matchAll(/psnr_avg:([\d.]+|inf)/g)].map((m) => (m[1] === 'inf' ? Infinity : Number(m[1])));
  return {
    sourceFrames: decodedFrameCount(source),
    outputFrames: decodedFrameCount(output),
    minPsnr: values.length ? Math.min(...values) : 0,
  };
}
