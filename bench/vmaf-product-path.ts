/**
 * bench/vmaf-product-path — where the built-in VMAF's CPU goes inside the product (issue 22,
 * "cheaper VMAF"). One 1080p 10-bit clip pair is scored, in one run, through:
 *  - the product's path: measureAgainst (crf/probe-measure.ts, what target quality calls), i.e.
 *    measureVmaf → computeBuiltinFeatures: ffmpeg luma decoders, frame reading, worker threads;
 *    once with an empty reference cache (a segment's first probe) and once with it filled
 *    (every later probe), against a lossless reference file and against the source decoded
 *    through a filter (the uncut full-pass reference);
 *  - the kernel path: the same scored frames, decoded to memory beforehand, through
 *    FrameFeatureComputer on this thread (what bench/vmaf-ab times);
 *  - the luma decodes alone (ffmpeg to /dev/null), to attribute the difference.
 * CPU seconds per scored frame: this process (all threads) plus every ffmpeg it started (through
 * bench/cpu-accounting's wrappers). Each figure is the least of --rounds rounds; within a round
 * every path runs once, so the machine's load falls on all alike. The features of both paths are
 * compared (they must be identical).
 *
 *   node scripts/build.mjs --kernels-only && \
 *   nice -n 10 node -r ./test/register.cjs bench/vmaf-product-path.ts [--frames 60] [--stride 3] [--rounds 3] [--size 1920x1080]
 *
 * With --segment, one segment's measurements as target quality makes them: --probes encodes of
 * --frames frames (default 150, the 1080p bench's sampled frames) measured against one lossless
 * reference through one VmafReferenceCache (the product's default size, or --cache-mib N: 128 was
 * the old fixed size), then the verification of the chosen one. It prints how many times the
 * reference was decoded, the CPU per scored frame of each measurement, and the peak RSS of the
 * process (worker threads and kept frames included; ffmpeg apart): run each size in its own process.
 *
 *   nice -n 10 node -r ./test/register.cjs bench/vmaf-product-path.ts --segment [--cache-mib 128] [--probes 4]
 *
 * --gap-seconds S waits S seconds between measurements, as a job does while it encodes the next
 * probe, and counts the VMAF worker threads started; --no-hold measures without holding the
 * workers the way a job now does (what every job did before: idle workers retired after 15 s).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { measureAgainst, type Intermediate, type SegmentSearch } from '../server/src/crf/probe-measure';
import { runProcess } from '../server/src/sys/processes';
import { ffmpeg } from './bench-tools';
import { lumaDecodeArgs } from '../server/src/vmaf/builtin/decode-args';
import { FrameFeatureComputer, type FrameJob } from '../server/src/vmaf/builtin/frame-features';
import { VmafReferenceCache } from '../server/src/vmaf/builtin/reference-cache';
import { featureWorkersStarted, holdVmafWorkers } from '../server/src/vmaf/builtin/worker-pool';
import { isScoredFrame } from '../server/src/vmaf/frame-set';
import { installToolWrappers, ownCpuSeconds, takeToolCpu } from './cpu-accounting';

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

/** Every frame's luma plane of a file, as the engine decodes it (outside any timing). */
async function decodeAll(file: string, pixFmt: string, depth: number, frameBytes: number, dir: string): Promise<Uint8Array[]> {
  const raw = path.join(dir, `${path.basename(file)}.raw`);
  const args = lumaDecodeArgs(file, pixFmt, depth);
  args.splice(args.indexOf('pipe:1'), 1, '-y', raw);
  await runProcess('ffmpeg', args);
  const bytes = readFileSync(raw);
  rmSync(raw);
  const frames: Uint8Array[] = [];
  for (let at = 0; at + frameBytes <= bytes.length; at += frameBytes) frames.push(new Uint8Array(bytes.subarray(at, at + frameBytes)));
  return frames;
}

/** CPU seconds of `work`: this process (all threads) and the tools it ran (`log` reads and empties their log). */
async function cpuOf<T>(work: () => Promise<T>, log: () => number): Promise<{ result: T; cpu: number; node: number; tools: number }> {
  const before = ownCpuSeconds();
  log();
  const result = await work();
  const node = ownCpuSeconds() - before;
  const tools = log();
  return { result, cpu: node + tools, node, tools };
}

async function main(): Promise<void> {
  if (process.argv.includes('--segment')) return segment();
  const frames = Number(flag('frames', '60'));
  const stride = Number(flag('stride', '3'));
  const rounds = Number(flag('rounds', '3'));
  const size = flag('size', '1920x1080');
  const [width, height] = size.split('x').map(Number) as [number, number];
  const depth = 10;
  const pixFmt = 'yuv420p10le';
  const frameBytes = width * height * 2;
  const dir = mkdtempSync(path.join(tmpdir(), 'vmaf-product-path-'));
  try {
    const wrappers = installToolWrappers(dir);
    const tools = { ffmpeg: wrappers.ffmpeg, ffprobe: wrappers.ffprobe };
    const toolCpu = () => takeToolCpu(wrappers).total;
    // A source as a camera would give it (8-bit H.264), its lossless 10-bit cut (the product's
    // samples/segment reference) and a 10-bit SVT-AV1 encode of that (a probe).
    const source = path.join(dir, 'source.mkv');
    const lossless = path.join(dir, 'segment-reference.mkv');
    const probe = path.join(dir, 'probe-crf35.mkv');
    const lavfi = `testsrc2=s=${size}:r=24,noise=alls=10:allf=t,hue=H=t/2`;
    await ffmpeg(['-f', 'lavfi', '-i', lavfi, '-frames:v', String(frames), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '14', source]);
    await ffmpeg(['-i', source, '-vf', `format=${pixFmt}`, '-c:v', 'ffvhuff', lossless]);
    await ffmpeg(['-i', lossless, '-c:v', 'libsvtav1', '-preset', '12', '-crf', '35', '-pix_fmt', pixFmt, probe]);
    takeToolCpu(wrappers);

    const info = { width, height, pixFmt };
    const references: Record<string, Intermediate> = {
      lossless: { file: lossless, info },
      through: { file: source, info: { ...info, through: { inputOptions: ['-copyts'], filter: `format=${pixFmt}` } } },
    };
    const search = {
      ctx: { tools, options: { vmafEngine: 'builtin' }, signal: undefined },
      vmafSettings: { subsample: stride, pool: 'mean', engine: 'builtin' },
    } as unknown as SegmentSearch;

    // The kernel path's frames, decoded beforehand.
    const refFrames = await decodeAll(lossless, pixFmt, depth, frameBytes, dir);
    const disFrames = await decodeAll(probe, pixFmt, depth, frameBytes, dir);
    const scored = refFrames.map((_, i) => i).filter((i) => isScoredFrame(i, stride));
    const computer = new FrameFeatureComputer(width, height, depth);
    /** The kernels on the scored frames; without motion, as with a cached reference. */
    const kernelPath = (motion: boolean) => {
      for (const i of scored) {
        const job: FrameJob = { id: i, width, height, bitDepth: depth, reference: refFrames[i]!, distorted: disFrames[i]!, scored: true };
        if (motion && i > 0) job.previousReference = refFrames[i - 1];
        if (motion && i + 1 < refFrames.length && stride > 1) job.nextReference = refFrames[i + 1];
        computer.compute(job);
      }
      return Promise.resolve(motion);
    };
    const decodeOnly = async (file: string, through?: Intermediate['info']['through']) => {
      const args = lumaDecodeArgs(file, pixFmt, depth, through);
      args.splice(args.indexOf('pipe:1'), 1, '-y', '/dev/null');
      await runProcess(tools.ffmpeg, args);
    };

    const least: Record<string, number> = {};
    const split: Record<string, string> = {};
    const keep = (name: string, { cpu, node, tools }: { cpu: number; node: number; tools: number }) => {
      if (cpu / scored.length >= (least[name] ?? Infinity)) return;
      least[name] = cpu / scored.length;
      split[name] = `${(node / scored.length).toFixed(4)} + ${(tools / scored.length).toFixed(4)}`;
    };
    const workers = holdVmafWorkers();
    const startedBefore = featureWorkersStarted();
    let scores = new Set<string>();
    try {
      for (let round = 0; round < rounds; round++) {
        for (const [name, ref] of Object.entries(references)) {
          const cache = new VmafReferenceCache();
          const cold = await cpuOf(() => measureAgainst(search, ref, probe, cache), toolCpu);
          keep(`product, ${name} reference, first probe (cache empty)`, cold);
          const warm = await cpuOf(() => measureAgainst(search, ref, probe, cache), toolCpu);
          keep(`product, ${name} reference, next probes (cache filled)`, warm);
          const uncached = await cpuOf(() => measureAgainst(search, ref, probe), toolCpu);
          keep(`product, ${name} reference, no cache`, uncached);
          scores = new Set([...scores, cold.result.score.toFixed(6), warm.result.score.toFixed(6), uncached.result.score.toFixed(6)]);
        }
        keep(
          'kernel path (FrameFeatureComputer, frames in memory)',
          await cpuOf(
            () => kernelPath(true),
            () => 0,
          ),
        );
        keep(
          'kernel path without motion (as with a cached reference)',
          await cpuOf(
            () => kernelPath(false),
            () => 0,
          ),
        );
        keep('decode only: probe (AV1)', await cpuOf(() => decodeOnly(probe), toolCpu));
        keep('decode only: lossless reference (ffvhuff)', await cpuOf(() => decodeOnly(lossless), toolCpu));
        keep('decode only: source through filter', await cpuOf(() => decodeOnly(source, references.through!.info.through), toolCpu));
      }
    } finally {
      workers.release();
    }
    const kernel = least['kernel path (FrameFeatureComputer, frames in memory)']!;
    console.log(`${size} 10-bit, ${frames} frames, stride ${stride} (${scored.length} scored), least of ${rounds} rounds`);
    console.log('| path | CPU s per scored frame | this process + ffmpeg | ÷ kernel path |\n|---|---|---|---|');
    for (const [name, cpu] of Object.entries(least))
      console.log(`| ${name} | ${cpu.toFixed(4)} | ${split[name]} | ${(cpu / kernel).toFixed(2)} |`);
    console.log(`pooled scores seen: ${[...scores].join(', ')} (one value: every path scored alike)`);
    console.log(`VMAF worker threads started: ${featureWorkersStarted() - startedBefore}`);
    console.log(
      JSON.stringify({
        size,
        frames,
        stride,
        scoredFrames: scored.length,
        rounds,
        cpuPerScoredFrame: least,
        nodePlusTools: split,
        scores: [...scores],
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One segment's probes and verification against one reference cache (see the header). */
async function segment(): Promise<void> {
  const frames = Number(flag('frames', '150'));
  const stride = Number(flag('stride', '3'));
  const probes = Number(flag('probes', '4'));
  const size = flag('size', '1920x1080');
  const cacheMiB = process.argv.includes('--cache-mib') ? Number(flag('cache-mib', '128')) : undefined;
  const [width, height] = size.split('x').map(Number) as [number, number];
  const pixFmt = 'yuv420p10le';
  const dir = mkdtempSync(path.join(tmpdir(), 'vmaf-product-path-'));
  try {
    const wrappers = installToolWrappers(dir);
    const tools = { ffmpeg: wrappers.ffmpeg, ffprobe: wrappers.ffprobe };
    const lossless = path.join(dir, 'samples-reference.mkv');
    const lavfi = `testsrc2=s=${size}:r=24,noise=alls=10:allf=t,hue=H=t/2`;
    await ffmpeg(['-f', 'lavfi', '-i', lavfi, '-frames:v', String(frames), '-pix_fmt', pixFmt, '-c:v', 'ffvhuff', lossless]);
    const crfs = Array.from({ length: probes }, (_, i) => 28 + 5 * i);
    const encodes = await Promise.all(
      crfs.map(async (crf) => {
        const file = path.join(dir, `probe-crf${crf}.mkv`);
        await ffmpeg(['-i', lossless, '-c:v', 'libsvtav1', '-preset', '12', '-crf', String(crf), '-pix_fmt', pixFmt, file]);
        return file;
      }),
    );
    takeToolCpu(wrappers);
    const search = {
      ctx: { tools, options: { vmafEngine: 'builtin' }, signal: undefined },
      vmafSettings: { subsample: stride, pool: 'mean', engine: 'builtin' },
    } as unknown as SegmentSearch;
    const ref: Intermediate = { file: lossless, info: { width, height, pixFmt } };
    const cache = cacheMiB === undefined ? new VmafReferenceCache() : new VmafReferenceCache(cacheMiB * 1024 * 1024);
    const scoredFrames = Math.ceil(frames / stride);
    const gapSeconds = Number(flag('gap-seconds', '0'));
    const workers = process.argv.includes('--no-hold') ? { release: () => undefined } : holdVmafWorkers();
    const startedBefore = featureWorkersStarted();
    let referenceDecodes = 0;
    const measured: string[] = [];
    try {
      // The probes, then the verification of the second one (a full pass at another preset is measured again).
      for (const file of [...encodes, encodes[1]!]) {
        if (gapSeconds && measured.length) await sleep(gapSeconds * 1000);
        const before = ownCpuSeconds();
        const result = await measureAgainst(search, ref, file, cache);
        const tool = takeToolCpu(wrappers);
        referenceDecodes += tool.count['VMAF decode: reference'] ?? 0;
        measured.push(
          `${path.basename(file)} VMAF ${result.score.toFixed(3)}: ${((ownCpuSeconds() - before + tool.total) / scoredFrames).toFixed(4)} CPU s/scored frame`,
        );
      }
    } finally {
      workers.release();
    }
    const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(`${size} 10-bit, ${frames} frames, stride ${stride}, cache ${(cache.maxBytes / 1024 / 1024).toFixed(0)} MiB`);
    for (const line of measured) console.log(`  ${line}`);
    const workersStarted = featureWorkersStarted() - startedBefore;
    console.log(
      `reference decodes: ${referenceDecodes} for ${measured.length} measurements; VMAF workers started: ${workersStarted}; peak RSS ${peakRssMiB} MiB`,
    );
    console.log(
      JSON.stringify({
        size,
        frames,
        stride,
        cacheMiB: cache.maxBytes / 1024 / 1024,
        measurements: measured.length,
        referenceDecodes,
        workersStarted,
        gapSeconds,
        peakRssMiB,
      }),
    );
    cache.clear();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
