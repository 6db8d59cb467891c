/**
 * bench/metrics — speed of the built-in SSIMULACRA2 and XPSNR engines beside the built-in VMAF
 * engine's frame (issue 25), one thread, decode excluded, all in one run:
 *
 *   nice -n 10 node -r ./test/register.cjs bench/metrics.ts [--size 1920x1080] [--runs 3] [--definition]
 *
 * --definition also times SSIMULACRA2's TypeScript definition (the code the WebAssembly kernels are
 * checked against, about 18 CPU s per 1080p frame), for the same-run ratio.
 * On a 1080p 8-bit pair (reference: testsrc2 + noise; distorted: x264 CRF 35), it times in this
 * process the CPU milliseconds of one frame (least of --runs, after a warm-up call, so that other
 * load on the shared machine matters less): XPSNR (the filter's block weighting, all three planes;
 * also its TypeScript path at 60 frames/s and 10-bit), SSIMULACRA2 (R'G'B' → XYB, 6 scales; the fused
 * kernel build where usable, and the exact one beside it) and VMAF (VIF + ADM + motion, the worker's code path).
 * Prints a Markdown table with frames/s and one JSON line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { runProcess } from '../server/src/sys/processes';
import { ffmpeg, leastCpuMs } from './bench-tools';
import { rgbFilter } from '../server/src/metrics/decode-args';
import { Ssimulacra2DefinitionScorer } from '../server/src/metrics/ssimulacra2';
import { Ssimulacra2Scorer } from '../server/src/metrics/ssimulacra2-wasm';
import { XpsnrAccumulator, yuvPlanes } from '../server/src/metrics/xpsnr';
import { lumaDecodeArgs } from '../server/src/vmaf/builtin/decode-args';
import { FrameFeatureComputer } from '../server/src/vmaf/builtin/frame-features';

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

/** Frames 0..count-1 of `file` through `filter`, as raw frames. */
async function rawFrames(file: string, filter: string, count: number, dir: string, name: string): Promise<Uint8Array[]> {
  const raw = path.join(dir, `${name}.raw`);
  await ffmpeg(['-i', file, '-vf', filter, '-frames:v', String(count), '-f', 'rawvideo', raw]);
  const bytes = new Uint8Array(readFileSync(raw));
  const frameBytes = bytes.length / count;
  return Array.from({ length: count }, (_, k) => bytes.slice(k * frameBytes, (k + 1) * frameBytes));
}

async function main(): Promise<void> {
  const size = flag('size', '1920x1080');
  const runs = Number(flag('runs', '3'));
  const [width, height] = size.split('x').map(Number) as [number, number];
  const dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-bench-metrics-'));
  try {
    const ref = path.join(dir, 'ref.mkv');
    const dist = path.join(dir, 'dist.mkv');
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      `testsrc2=s=${size}:r=24,noise=alls=8:allf=t,format=yuv420p`,
      '-frames:v',
      '3',
      '-c:v',
      'ffv1',
      ref,
    ]);
    await ffmpeg(['-i', ref, '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '35', dist]);
    const yuvRef = await rawFrames(ref, 'format=yuv420p', 3, dir, 'yuv-ref');
    const yuvDist = await rawFrames(dist, 'format=yuv420p', 3, dir, 'yuv-dist');
    const rgbRef = await rawFrames(ref, rgbFilter(8), 1, dir, 'rgb-ref');
    const rgbDist = await rawFrames(dist, rgbFilter(8), 1, dir, 'rgb-dist');
    const layout = { width, height, chromaWidth: width / 2, chromaHeight: height / 2, bitDepth: 8 };

    const xpsnr = new XpsnrAccumulator(layout, 24);
    let k = 0;
    const xpsnrMs = leastCpuMs(Math.max(runs, 5), () => xpsnr.add(yuvPlanes(yuvRef[k % 3]!, layout), yuvPlanes(yuvDist[k++ % 3]!, layout)));
    // The inputs the WebAssembly luma sums do not take (TypeScript path): 8-bit at 60 frames/s
    // (second-order temporal difference), and 10-bit.
    const xpsnr60 = new XpsnrAccumulator(layout, 60);
    const xpsnr60Ms = leastCpuMs(Math.max(runs, 5), () =>
      xpsnr60.add(yuvPlanes(yuvRef[k % 3]!, layout), yuvPlanes(yuvDist[k++ % 3]!, layout)),
    );
    const yuv10Ref = await rawFrames(ref, 'format=yuv420p10le', 3, dir, 'yuv10-ref');
    const yuv10Dist = await rawFrames(dist, 'format=yuv420p10le', 3, dir, 'yuv10-dist');
    const layout10 = { ...layout, bitDepth: 10 };
    const xpsnr10 = new XpsnrAccumulator(layout10, 24);
    const xpsnr10Ms = leastCpuMs(Math.max(runs, 5), () =>
      xpsnr10.add(yuvPlanes(yuv10Ref[k % 3]!, layout10), yuvPlanes(yuv10Dist[k++ % 3]!, layout10)),
    );
    const scorer = new Ssimulacra2Scorer(width, height, 8);
    const ssimuMs = leastCpuMs(runs, () => scorer.score(rgbRef[0]!, rgbDist[0]!));
    // The exact build (f64x2-emulated fused multiply-adds), in the same run, when the default is the fused one.
    const exact = scorer.build === 'fused' ? new Ssimulacra2Scorer(width, height, 8, 'exact') : undefined;
    const exactMs = exact ? leastCpuMs(runs, () => exact.score(rgbRef[0]!, rgbDist[0]!)) : undefined;
    const scoreDifference = exact ? Math.abs(exact.score(rgbRef[0]!, rgbDist[0]!) - scorer.score(rgbRef[0]!, rgbDist[0]!)) : 0;
    const luma = async (file: string, name: string) => {
      const args = lumaDecodeArgs(file, 'yuv420p', 8);
      args.splice(args.indexOf('-f'), 3, '-frames:v', '2', '-f', 'rawvideo', '-y', path.join(dir, name));
      await runProcess('ffmpeg', args);
      const bytes = new Uint8Array(readFileSync(path.join(dir, name)));
      return [bytes.slice(0, width * height), bytes.slice(width * height)] as const;
    };
    const [previous, reference] = await luma(ref, 'luma-ref.raw');
    const [, distorted] = await luma(dist, 'luma-dist.raw');
    const frame = new FrameFeatureComputer(width, height, 8);
    const job = { id: 1, width, height, bitDepth: 8, reference, distorted, scored: true, previousReference: previous };
    const vmafMs = leastCpuMs(Math.max(runs, 5), () => frame.compute(job));

    const rows = [
      { metric: 'XPSNR (built-in: WebAssembly SIMD luma sums, TypeScript weighting)', cpuMs: xpsnrMs },
      { metric: 'XPSNR at 60 frames/s (TypeScript path: second-order temporal difference)', cpuMs: xpsnr60Ms },
      { metric: 'XPSNR 10-bit (TypeScript path)', cpuMs: xpsnr10Ms },
      { metric: `SSIMULACRA2 (built-in, WebAssembly float32 kernels, ${scorer.build} build)`, cpuMs: ssimuMs },
      ...(exactMs === undefined
        ? []
        : [
            {
              metric: `SSIMULACRA2 (exact build, emulated fused multiply-adds; score difference ${scoreDifference.toExponential(1)})`,
              cpuMs: exactMs,
            },
          ]),
      { metric: 'VMAF (built-in, WebAssembly SIMD kernels)', cpuMs: vmafMs },
    ];
    if (process.argv.includes('--definition')) {
      const definition = new Ssimulacra2DefinitionScorer(width, height, 8);
      // One timed call (no warm-up: 18 s of it would not change the figure), its score checked against
      // the WebAssembly scorer in the same span, whose least time is taken off.
      const started = process.cpuUsage();
      const same = definition.score(rgbRef[0]!, rgbDist[0]!) === scorer.score(rgbRef[0]!, rgbDist[0]!);
      const used = process.cpuUsage(started);
      const cpuMs = (used.user + used.system) / 1000 - ssimuMs;
      rows.push({ metric: `SSIMULACRA2 (its TypeScript definition; same score: ${same ? 'yes' : 'NO'})`, cpuMs });
    }
    const load = loadavg().map((v) => v.toFixed(1));
    console.log(`\n${size} 8-bit, one thread, decode excluded (CPU ms per frame, least of runs); load average ${load.join(' ')}\n`);
    console.log('| metric | CPU ms / frame | frames/s |\n|---|---|---|');
    for (const r of rows) console.log(`| ${r.metric} | ${r.cpuMs.toFixed(1)} | ${(1000 / r.cpuMs).toFixed(2)} |`);
    console.log(JSON.stringify({ size, runs, loadAverage: load, results: rows.map((r) => ({ ...r, fps: 1000 / r.cpuMs })) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
