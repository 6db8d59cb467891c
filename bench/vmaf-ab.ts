/**
 * bench/vmaf-ab — the built-in VMAF engine's feature kernels of a git revision (the baseline)
 * against this working tree's, in one process, alternating, so that the machine's load falls on
 * both alike (issue #16, lever 6):
 *
 *   node scripts/build.mjs --kernels-only && \
 *   node -r ./test/register.cjs bench/vmaf-ab.ts --base REV [--size 1920x1080] [--rounds 10] [--depth 8]
 *
 * The baseline's server/src/vmaf and scripts/build.mjs are extracted with `git archive` into a
 * temporary folder, which gets its own kernels.generated.ts. Both builds score one frame pair
 * (a zooming Mandelbrot with noise, FFV1 reference, SVT-AV1 preset 12 CRF 40 distorted): the whole
 * frame (worker code path), VIF, ADM and motion, plus the CPU time of each WebAssembly export per
 * frame. Each figure is the least CPU time of --rounds rounds; within a round base and head run
 * one after the other, in alternating order. The features of both builds are compared too.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runProcess } from '../server/src/sys/processes';
import { ffmpeg } from './bench-tools';
import { lumaDecodeArgs } from '../server/src/vmaf/builtin/decode-args';
import type { FrameJob } from '../server/src/vmaf/builtin/frame-features';

const ROOT = path.resolve(__dirname, '..');

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

/** Frames 0 and 1 of a reference and frame 1 of its distorted encode, as luma planes. */
async function framePair(
  dir: string,
  size: string,
  depth: number,
): Promise<{ previous: Uint8Array; reference: Uint8Array; distorted: Uint8Array }> {
  const pixFmt = depth > 8 ? 'yuv420p10le' : 'yuv420p';
  const ref = path.join(dir, 'ref.mkv'),
    dist = path.join(dir, 'dist.mkv');
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `mandelbrot=s=${size}:r=24,noise=alls=8:allf=t`,
    '-t',
    '0.25',
    '-pix_fmt',
    pixFmt,
    '-c:v',
    'ffv1',
    ref,
  ]);
  await ffmpeg(['-i', ref, '-c:v', 'libsvtav1', '-preset', '12', '-crf', '40', '-pix_fmt', pixFmt, dist]);
  const decode = async (file: string) => {
    const raw = `${file}.raw`;
    const args = lumaDecodeArgs(file, pixFmt, depth);
    args.splice(args.indexOf('-f'), 3, '-frames:v', '2', '-f', 'rawvideo', '-y', raw);
    await runProcess('ffmpeg', args);
    const bytes = new Uint8Array(readFileSync(raw));
    const half = bytes.length / 2;
    return [bytes.slice(0, half), bytes.slice(half)] as const;
  };
  const [previous, reference] = await decode(ref);
  const [, distorted] = await decode(dist);
  return { previous, reference, distorted };
}

/** The baseline revision's VMAF sources in a temporary folder, with its kernels built. */
function extractBase(rev: string, dir: string): string {
  const base = path.join(dir, 'base');
  execFileSync('mkdir', ['-p', base]);
  const archive = execFileSync('git', ['archive', rev, 'server/src/vmaf', 'scripts/build.mjs'], { cwd: ROOT, maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', base], { input: archive });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(base, 'node_modules'));
  execFileSync(process.execPath, ['scripts/build.mjs', '--kernels-only'], { cwd: base, stdio: 'inherit' });
  return base;
}

interface Build {
  name: string;
  frame: { compute(job: FrameJob): unknown };
  vif: { compute(a: ArrayLike<number>, b: ArrayLike<number>): unknown };
  adm: { compute(a: ArrayLike<number>, b: ArrayLike<number>): unknown };
  motion: { score(a: ArrayLike<number>, b: ArrayLike<number>): unknown };
  /** CPU µs spent in each WebAssembly export during the last timed call. */
  exportTimes: Map<string, number>;
}

/** Wraps every function of an arena's kernels so that its CPU time is added to `times`. */
function instrument(arena: { kernels: Record<string, unknown> }, times: Map<string, number>): void {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(arena.kernels)) {
    if (typeof value !== 'function' || name === 'heapBase') {
      wrapped[name] = value;
      continue;
    }
    const fn = value as (...args: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]) => {
      const started = process.cpuUsage();
      const result = fn(...args);
      const used = process.cpuUsage(started);
      // Most kernels run once per scale (or per plane and scale): the call's rank names it.
      const calls = (times.get(`${name} calls`) ?? 0) + 1;
      times.set(`${name} calls`, calls);
      times.set(`${name} #${calls}`, used.user + used.system);
      return result;
    };
  }
  arena.kernels = wrapped;
}

function load(name: string, root: string, width: number, height: number, depth: number): Build {
  /* eslint-disable @typescript-eslint/no-require-imports -- each build's modules, loaded from its own folder (typed as this tree's) */
  const builtin = path.join(root, 'server/src/vmaf/builtin');
  const { FrameFeatureComputer } = require(
    path.join(builtin, 'frame-features.ts'),
  ) as typeof import('../server/src/vmaf/builtin/frame-features');
  const { VifComputer } = require(path.join(builtin, 'vif.ts')) as typeof import('../server/src/vmaf/builtin/vif');
  const { AdmComputer } = require(path.join(builtin, 'adm.ts')) as typeof import('../server/src/vmaf/builtin/adm');
  const { MotionComputer } = require(path.join(builtin, 'motion.ts')) as typeof import('../server/src/vmaf/builtin/motion');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const build: Build = {
    name,
    frame: new FrameFeatureComputer(width, height, depth),
    vif: new VifComputer(width, height, depth),
    adm: new AdmComputer(width, height, depth),
    motion: new MotionComputer(width, height, depth),
    exportTimes: new Map(),
  };
  instrument((build.frame as unknown as { arena: { kernels: Record<string, unknown> } }).arena, build.exportTimes);
  return build;
}

function cpuMs(work: () => unknown): number {
  const started = process.cpuUsage();
  work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

async function main(): Promise<void> {
  const rev = flag('base', 'HEAD');
  const size = flag('size', '1920x1080');
  const rounds = Number(flag('rounds', '10'));
  const depth = Number(flag('depth', '8'));
  const [width, height] = size.split('x').map(Number) as [number, number];
  const dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-bench-vmaf-ab-'));
  try {
    const baseRoot = extractBase(rev, dir);
    const { previous, reference, distorted } = await framePair(dir, size, depth);
    const plane = (bytes: Uint8Array) => (depth > 8 ? new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1) : bytes);
    const job = { id: 1, width, height, bitDepth: depth, reference, distorted, scored: true, previousReference: previous };
    const builds = [load(`base ${rev}`, baseRoot, width, height, depth), load('head (worktree)', ROOT, width, height, depth)];
    const measures: [string, (b: Build) => unknown][] = [
      ['one frame: VIF + ADM + motion (worker code path)', (b) => b.frame.compute(job)],
      ['VIF, 4 scales', (b) => b.vif.compute(plane(reference), plane(distorted))],
      ['ADM, 4 scales', (b) => b.adm.compute(plane(reference), plane(distorted))],
      ['motion', (b) => b.motion.score(plane(previous), plane(reference))],
    ];
    const same = JSON.stringify(builds[0]!.frame.compute(job)) === JSON.stringify(builds[1]!.frame.compute(job));
    const least = builds.map(() => measures.map(() => Infinity));
    const leastExport = builds.map(() => new Map<string, number>());
    for (const b of builds) for (const [, work] of measures) work(b); // warm-up: tiers the WebAssembly up
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const [m, [, work]] of measures.entries())
        for (const k of order) {
          const b = builds[k]!;
          b.exportTimes.clear();
          least[k]![m] = Math.min(
            least[k]![m]!,
            cpuMs(() => work(b)),
          );
          if (m === 0)
            for (const [name, us] of b.exportTimes)
              if (!name.endsWith(' calls')) leastExport[k]!.set(name, Math.min(leastExport[k]!.get(name) ?? Infinity, us / 1000));
        }
    }
    console.log(
      `\n${size} ${depth}-bit, one thread, CPU ms per frame (least of ${rounds} alternating rounds); features identical: ${same}\n`,
    );
    console.log(`| measure | ${builds[0]!.name} | ${builds[1]!.name} | ratio |\n|---|---|---|---|`);
    const row = (name: string, a: number, b: number) =>
      console.log(
        `| ${name} | ${a.toFixed(1)} ms (${(1000 / a).toFixed(2)} fps) | ${b.toFixed(1)} ms (${(1000 / b).toFixed(2)} fps) | ${(a / b).toFixed(2)}x |`,
      );
    for (const [m, [name]] of measures.entries()) row(name, least[0]![m]!, least[1]![m]!);
    const names = [...new Set([...leastExport[0]!.keys(), ...leastExport[1]!.keys()])].sort();
    for (const name of names) row(`  kernel ${name} (in one frame)`, leastExport[0]!.get(name) ?? 0, leastExport[1]!.get(name) ?? 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
