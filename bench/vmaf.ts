/**
 * bench/vmaf — speed of VMAF measurement (issue 3), all in one run:
 *
 *   npm run build && node -r ./test/register.cjs bench/vmaf.ts [--seconds 5] [--size 1920x1080] [--keep]
 *
 * For an 8-bit and a 10-bit clip pair (reference: lossless FFV1 of a lavfi source; distorted:
 * SVT-AV1 preset 12 CRF 40), it measures through the bundled CLI (dist/cli.js --json):
 *  - decode-only fps: both inputs' luma decoded to null at once — the floor of this design;
 *  - the built-in engine with 1 thread, 2 threads, and 2 threads with subsample 8;
 *  - libvmaf (n_threads=1) where ffmpeg has it;
 * with the peak RSS of the measuring process (worker threads included; ffmpeg decoders apart);
 * and, in this process, the CPU time of the feature kernels on the clip's second frame pair (the
 * least of several runs, so that other load on the machine matters less than to the fps figures).
 * Prints a Markdown table and one JSON object; writes bench/results/vmaf-<size>-<seconds>s.json.
 *
 *   node -r ./test/register.cjs bench/vmaf.ts --features-only [--size 1920x1080] [--runs 12]
 *
 * times only the feature extraction (VIF + ADM + motion of one frame, one thread, decode excluded)
 * on a 2-frame 8-bit pair, as CPU ms (least of --runs), for iterating on the kernels; nothing written.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runProcess } from '../server/src/sys/processes';
import { ffmpeg, leastCpuMs } from './bench-tools';
import { resolveTools, toolCapabilities } from '../server/src/sys/tools';
import { AdmComputer } from '../server/src/vmaf/builtin/adm';
import { lumaDecodeArgs } from '../server/src/vmaf/builtin/decode-args';
import { FrameFeatureComputer } from '../server/src/vmaf/builtin/frame-features';
import { MotionComputer } from '../server/src/vmaf/builtin/motion';
import { VifComputer } from '../server/src/vmaf/builtin/vif';
import { libvmafArgs } from '../server/src/vmaf/libvmaf-args';

const CLI = path.resolve(__dirname, '../dist/cli.js');

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

interface Measure {
  name: string;
  seconds: number;
  fps: number;
  peakRssMiB?: number;
  score?: number;
}
interface KernelTime {
  name: string;
  cpuMs: number;
}

async function makePair(dir: string, size: string, seconds: number, tenBit: boolean) {
  const pixFmt = tenBit ? 'yuv420p10le' : 'yuv420p';
  const ref = path.join(dir, `ref-${tenBit ? 10 : 8}bit.mkv`);
  const dist = path.join(dir, `dist-${tenBit ? 10 : 8}bit.mkv`);
  // Natural-ish motion and detail: a zooming Mandelbrot with noise, so VMAF has work to do.
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `mandelbrot=s=${size}:r=24,noise=alls=8:allf=t`,
    '-t',
    String(seconds),
    '-pix_fmt',
    pixFmt,
    '-c:v',
    'ffv1',
    ref,
  ]);
  await ffmpeg(['-i', ref, '-c:v', 'libsvtav1', '-preset', '12', '-crf', '40', '-pix_fmt', pixFmt, dist]);
  return { ref, dist, frames: Math.round(seconds * 24) };
}

async function decodeFloor(ref: string, dist: string, frames: number, tenBit: boolean): Promise<Measure> {
  const started = performance.now();
  const toNull = (file: string) => {
    const args = lumaDecodeArgs(file, tenBit ? 'yuv420p10le' : 'yuv420p', tenBit ? 10 : 8);
    args.splice(args.indexOf('-f'), 3, '-f', 'null', '-');
    return runProcess('ffmpeg', args);
  };
  await Promise.all([toNull(ref), toNull(dist)]);
  const seconds = (performance.now() - started) / 1000;
  return { name: 'decode only (both inputs, luma, to null)', seconds, fps: frames / seconds };
}

async function builtin(name: string, ref: string, dist: string, frames: number, extra: string[]): Promise<Measure> {
  const started = performance.now();
  const run = await runProcess(process.execPath, [CLI, 'vmaf', ref, dist, '--engine', 'builtin', '--json', ...extra], {
    trackPeakRss: true,
  });
  const seconds = (performance.now() - started) / 1000;
  const score = (JSON.parse(run.stdout) as { score: number }).score;
  return { name, seconds, fps: frames / seconds, peakRssMiB: run.peakRssBytes ? run.peakRssBytes / 2 ** 20 : undefined, score };
}

async function libvmaf(ref: string, dist: string, frames: number, dir: string): Promise<Measure> {
  const started = performance.now();
  const logPath = path.join(dir, 'libvmaf.json');
  const run = await runProcess(
    'ffmpeg',
    libvmafArgs({ reference: ref, distorted: dist, model: { kind: 'builtin', name: 'v0.6.1' }, subsample: 1, threads: 1, logPath }),
    { trackPeakRss: true },
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    name: 'libvmaf (ffmpeg filter, n_threads=1)',
    seconds,
    fps: frames / seconds,
    peakRssMiB: run.peakRssBytes ? run.peakRssBytes / 2 ** 20 : undefined,
  };
}

/** Luma of frames 0..count-1 of `file` as raw planes (8-bit, or 16-bit little-endian). */
async function decodeFrames(file: string, tenBit: boolean, count: number, dir: string): Promise<Uint8Array[]> {
  const raw = path.join(dir, `frames-${path.basename(file)}.raw`);
  const args = lumaDecodeArgs(file, tenBit ? 'yuv420p10le' : 'yuv420p', tenBit ? 10 : 8);
  args.splice(args.indexOf('-f'), 3, '-frames:v', String(count), '-f', 'rawvideo', '-y', raw);
  await runProcess('ffmpeg', args);
  const bytes = new Uint8Array(readFileSync(raw));
  const frameBytes = bytes.length / count;
  return Array.from({ length: count }, (_, k) => bytes.slice(k * frameBytes, (k + 1) * frameBytes));
}

/** Per-frame CPU time of each kernel and of a whole frame's features, single thread, in this process. */
async function kernelTimes(ref: string, dist: string, size: string, tenBit: boolean, dir: string): Promise<KernelTime[]> {
  const [width, height] = size.split('x').map(Number) as [number, number];
  const bitDepth = tenBit ? 10 : 8;
  const [previous, reference] = await decodeFrames(ref, tenBit, 2, dir);
  const [, distorted] = await decodeFrames(dist, tenBit, 2, dir);
  const plane = (bytes: Uint8Array) => (tenBit ? new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1) : bytes);
  const vif = new VifComputer(width, height, bitDepth),
    adm = new AdmComputer(width, height, bitDepth),
    motion = new MotionComputer(width, height, bitDepth);
  const frame = new FrameFeatureComputer(width, height, bitDepth);
  const job = { id: 1, width, height, bitDepth, reference: reference!, distorted: distorted!, scored: true, previousReference: previous! };
  return [
    { name: 'VIF (4 scales)', cpuMs: leastCpuMs(8, () => vif.compute(plane(reference!), plane(distorted!))) },
    { name: 'ADM (4 scales)', cpuMs: leastCpuMs(8, () => adm.compute(plane(reference!), plane(distorted!))) },
    { name: 'motion', cpuMs: leastCpuMs(8, () => motion.score(plane(previous!), plane(reference!))) },
    { name: 'one frame: VIF + ADM + motion (worker code path)', cpuMs: leastCpuMs(8, () => frame.compute(job)) },
  ];
}

/** The per-frame feature time alone (8-bit, one thread), for kernel work. */
async function featuresOnly(size: string, runs: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-bench-vmaf-'));
  try {
    const { ref, dist } = await makePair(dir, size, 0.25, false);
    const [width, height] = size.split('x').map(Number) as [number, number];
    const [previous, reference] = await decodeFrames(ref, false, 2, dir);
    const [, distorted] = await decodeFrames(dist, false, 2, dir);
    const frame = new FrameFeatureComputer(width, height, 8);
    const job = {
      id: 1,
      width,
      height,
      bitDepth: 8,
      reference: reference!,
      distorted: distorted!,
      scored: true,
      previousReference: previous!,
    };
    const cpuMs = leastCpuMs(runs, () => frame.compute(job));
    console.log(
      `${size} 8-bit, one frame's VIF + ADM + motion, 1 thread: ${cpuMs.toFixed(1)} CPU ms (least of ${runs}) = ${(1000 / cpuMs).toFixed(2)} frames/s`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--features-only')) return featuresOnly(flag('size', '1920x1080'), Number(flag('runs', '12')));
  const seconds = Number(flag('seconds', '5'));
  const size = flag('size', '1920x1080');
  const keep = process.argv.includes('--keep');
  const dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-bench-vmaf-'));
  const hasLibvmaf = (await toolCapabilities(resolveTools())).hasLibvmaf;
  const results: Record<string, Measure[]> = {};
  const kernels: Record<string, KernelTime[]> = {};
  try {
    for (const tenBit of [false, true]) {
      const label = `${size} ${tenBit ? '10' : '8'}-bit, ${seconds} s`;
      const { ref, dist, frames } = await makePair(dir, size, seconds, tenBit);
      const rows: Measure[] = [];
      rows.push(await decodeFloor(ref, dist, frames, tenBit));
      rows.push(await builtin('built-in, 1 thread', ref, dist, frames, ['--threads', '1']));
      rows.push(await builtin('built-in, 2 threads', ref, dist, frames, ['--threads', '2']));
      rows.push(await builtin('built-in, 2 threads, subsample 8', ref, dist, frames, ['--threads', '2', '--subsample', '8']));
      if (hasLibvmaf) rows.push(await libvmaf(ref, dist, frames, dir));
      results[label] = rows;
      kernels[label] = await kernelTimes(ref, dist, size, tenBit, dir);
      console.log(`\n### ${label} (${frames} frames)\n\n| measure | seconds | fps | peak RSS MiB | VMAF |\n|---|---|---|---|---|`);
      for (const r of rows)
        console.log(
          `| ${r.name} | ${r.seconds.toFixed(2)} | ${r.fps.toFixed(2)} | ${r.peakRssMiB?.toFixed(0) ?? ''} | ${r.score?.toFixed(3) ?? ''} |`,
        );
      if (!hasLibvmaf) console.log('| libvmaf | not available in this ffmpeg | | | |');
      console.log('\n| kernel, one frame, 1 thread | CPU ms (least of 8) | frames/s of CPU |\n|---|---|---|');
      for (const k of kernels[label]) console.log(`| ${k.name} | ${k.cpuMs.toFixed(1)} | ${(1000 / k.cpuMs).toFixed(1)} |`);
    }
    const out = { size, seconds, hasLibvmaf, results, kernels };
    console.log(JSON.stringify(out));
    const resultsDir = path.resolve(__dirname, 'results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(path.join(resultsDir, `vmaf-${size}-${seconds}s.json`), `${JSON.stringify(out, null, 2)}\n`);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
