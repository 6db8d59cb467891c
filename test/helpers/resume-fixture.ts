import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { manifestSchema, type Manifest } from '../../server/src/job/manifest';
import { basicClip, tempDir } from './clips';
import { CLI, indexesIn, runCli, type CliRun, type RunCliOptions } from './faults';

/**
 * The tiny job the fault tests share: a 160x120 H.264 clip of 10 s with a keyframe every
 * 0.5 s, cut into 1 s segments (10 of them) and encoded at preset 13 by two workers, so a full
 * run takes a few seconds and ten kill/resume cycles fit the test budget. The split is the
 * default (scene, detection kept in the manifest across resumes); the clip is one shot, so a 1 s
 * maximum cuts it every second.
 */
export const CLIP_SECONDS = 10;
export const SEGMENTS = 10;

export interface Job {
  dir: string;
  input: string;
  output: string;
  workDir: string;
  cleanup: () => void;
  args(extra?: string[]): string[];
  run(extra?: string[], options?: RunCliOptions): Promise<CliRun>;
}

export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
}

export function makeJob(name = "clip 'one' $x;ü.mkv", seconds = CLIP_SECONDS): Job {
  const { dir, cleanup } = tempDir('chunked-av1-faults-');
  const input = path.join(dir, name);
  basicClip(input, { seconds, size: '160x120', fps: 24, gopFrames: 12 });
  const output = path.join(dir, 'out.mkv');
  const workDir = path.join(dir, 'work');
  const args = (extra: string[] = []) => [
    'encode',
    input,
    '-o',
    output,
    '--work-dir',
    workDir,
    '--crf',
    '45',
    '--preset',
    '13',
    '--segment-seconds',
    '1',
    '--max-segment-seconds',
    '1',
    '--workers',
    '2',
    '--keep-work-dir',
    '--overwrite',
    '--json',
    ...extra,
  ];
  return {
    dir,
    input,
    output,
    workDir,
    cleanup,
    args,
    run: (extra = [], options = {}) => runCli(args(extra), { strayMarker: dir, timeoutMs: 180_000, ...options }),
  };
}

/** Summary of what a run did with each segment. */
export function tally(run: CliRun): { encoded: number[]; skipped: number[]; done: number[]; failed: number[] } {
  const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
  return {
    encoded: sorted(indexesIn(run.events, 'encoding')),
    skipped: sorted(indexesIn(run.events, 'skipped')),
    done: sorted(indexesIn(run.events, 'done')),
    failed: sorted(indexesIn(run.events, 'failed')),
  };
}

/** Files in encoded/ (finished segments and any temp names left behind). */
export function encodedFiles(job: Job): string[] {
  const dir = path.join(job.workDir, 'encoded');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

export function readManifestJson(job: Job): Manifest {
  return manifestSchema.parse(JSON.parse(readFileSync(path.join(job.workDir, 'manifest.json'), 'utf8')));
}

export function describeRun(run: CliRun): string {
  const last = run.events
    .slice(-3)
    .map((e) => JSON.stringify(e))
    .join('\n');
  return `exit ${run.code} signal ${run.signal}\nstderr: ${run.stderr.trim()}\nlast events:\n${last}`;
}
