/**
 * bench/target-quality — what per-segment target quality buys (issue 5).
 *
 *   node -r ./test/register.cjs bench/target-quality.ts [--target 93] [--preset 10] [--part-seconds 7] [--repeats 3]
 *        [--segment-seconds 7] [--size 640x360] [--probe-preset same|P] [--skip-cold] [--out FILE] [--keep]
 *        [--vmaf-engine auto|libvmaf|builtin] [--vmaf-ffmpeg PATH] [--pixel-format yuv420p10le|yuv420p]
 *
 * Generates a clip of repeats x (static bars, testsrc2, mandelbrot) parts (default 3 x 3 x 7 s = 63 s),
 * then, all at one preset, in this process through the product's own pipeline:
 *  A. --target-vmaf T (warm start on);
 *  B. the same without the warm start (CHUNKED_AV1_NO_WARM_START=1), for the probe count only;
 *  C. fixed CRF at the median CRF A chose: time ratio A / C (goal <= 1.5);
 *  D. one whole-file SVT-AV1 encode (not chunked) at the highest CRF at which every segment reaches
 *     T, i.e. the lowest CRF A chose per segment (ab-av1's single answer): bytes ratio A / D (goal <= 0.85).
 * Also the hit rate (verified VMAF within [T - 0.5, T + 2]) and the average probes per segment.
 * CPU seconds of A and C, by kind of work (cpu-accounting.ts: every ffmpeg/ffprobe through a
 * timing wrapper, plus this process's own CPU, i.e. the VMAF feature threads), are reported
 * beside the wall times because wall times on a shared machine are noise (a --vmaf-ffmpeg is wrapped
 * too: its measurements are the kind "libvmaf (VMAF ffmpeg)"), with the VMAF feature workers
 * started. --skip-cold leaves B out. --pixel-format yuv420p measures 8-bit, e.g. with a libvmaf
 * from ffmpeg < 6 (whose filter misreads high bit depth).
 * Prints one JSON object and writes it to bench/results/target-quality-<target>.json.
 *
 * Issue 16 cases (--case): 360p-p10 (the above, default), 1080p-p8 and 1080p-p6: a 1080p clip of
 * flat colour, testsrc2 with film-like noise and mandelbrot parts, 10 s segments, >= 60 s at
 * preset 8, >= 30 s at preset 6. Each case also runs, in the same process and under the same load:
 *  A2. the candidate: cheap probes (--candidate-probe-preset, default 12) with the learned
 *      correction, prediction and shorter samples (learned-search.ts); its own fixed-CRF ratio;
 *  E. an ab-av1-style run (ab-av1-style.ts): its CRF found by our engine on samples (max(5,
 *     duration / 12 min) samples of min(20 s, half the clip / samples), mean pool), one plain
 *     ffmpeg encode of the whole file (a chunked one before issue 22); then how many of our
 *     segments' windows of its output fall below T - 0.5.
 * --quick shrinks every case for iterating (one repeat of the parts: 21 s at 360p, 30 s of 1080p at preset 8, 12 s at preset 6);
 * --skip-ab leaves E out.
 */
import { ffmpegSync } from '../test/helpers/clips';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { EncodeOptionsInput } from '../common/options';
import type { DoneEvent } from '../common/events';
import { complexityClip, lavfiPartsClip, type LavfiPart } from '../test/helpers/complexity-clip';
import { measureVmaf } from '../server/src/vmaf';
import { installToolWrappers, type ToolWrappers } from './cpu-accounting';
import { timedEncode, type Run } from './timed-encode';
import { abAv1StyleRun } from './ab-av1-style';

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

let wrappers: ToolWrappers | undefined;

const encode = (options: EncodeOptionsInput): Promise<Run> => timedEncode(wrappers!, options);

/**
 * ab-av1's answer (ab-av1-style.ts: one CRF from samples, one plain whole-file encode), then the
 * VMAF of each of our segments' windows of its output, every frame scored.
 */
async function abAv1Style(
  common: EncodeOptionsInput & { preset: number; pixelFormat: string },
  input: string,
  dir: string,
  target: number,
  segmentSeconds: number,
) {
  const run = await abAv1StyleRun(wrappers!, common, input, dir, target, 25, {
    preset: common.preset,
    pixelFormat: common.pixelFormat,
    keyintFrames: 250,
  });
  const windows = await measureVmaf(input, run.output, { subsample: 1 }).then(
    (scores) => {
      const perWindow: number[][] = [];
      for (const frame of scores.frames) (perWindow[Math.floor(frame.index / (25 * segmentSeconds))] ??= []).push(frame.vmaf);
      return perWindow.map((v) => Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 100) / 100);
    },
    (error: unknown) => `not measured: ${(error as Error).message}`,
  );
  return {
    samples: run.samples,
    sampleSeconds: run.sampleSeconds,
    crf: run.crf,
    seconds: run.seconds,
    bytes: run.bytes,
    cpuSeconds: run.cpuSeconds,
    searchProbes: run.searchProbes,
    windowVmaf: windows,
    windowsBelowTMinus05: Array.isArray(windows) ? windows.filter((v) => v < target - 0.5).length : null,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

interface BenchCase {
  size: string;
  preset: number;
  segmentSeconds: number;
  partSeconds: number;
  repeats: number;
  film: boolean;
}

/** Issue 16's cases; --quick shrinks each for iterating. Explicit flags override. */
function benchCase(name: string, quick: boolean): BenchCase {
  if (name === '1080p-p8') return { size: '1920x1080', preset: 8, segmentSeconds: 10, partSeconds: 10, repeats: quick ? 1 : 2, film: true };
  if (name === '1080p-p6') return { size: '1920x1080', preset: 6, segmentSeconds: 10, partSeconds: quick ? 4 : 10, repeats: 1, film: true };
  if (name === '360p-p10') return { size: '640x360', preset: 10, segmentSeconds: 7, partSeconds: 7, repeats: quick ? 1 : 3, film: false };
  throw new Error(`unknown --case ${name} (360p-p10, 1080p-p8, 1080p-p6)`);
}

/** Flat colour, testsrc2 under film-like grain, mandelbrot: parts of very different complexity (issue 16's clip). */
function filmClip(file: string, size: string, partSeconds: number, repeats: number): string {
  const parts: LavfiPart[] = [
    { source: `color=c=0x4a6a8a:s=${size}:r=25`, seconds: partSeconds },
    { source: `testsrc2=s=${size}:r=25`, seconds: partSeconds, filter: 'noise=alls=14:allf=t' },
    { source: `mandelbrot=s=${size}:r=25`, seconds: partSeconds },
  ];
  return lavfiPartsClip(file, Array.from({ length: repeats }, () => parts).flat(), 25);
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const bc = benchCase(flag('case', '360p-p10'), quick);
  const target = Number(flag('target', '93'));
  const probePresetFlag = flag('probe-preset', 'same');
  const probePreset = probePresetFlag === 'same' ? ('same' as const) : Number(probePresetFlag);
  const candidateProbePreset = Number(flag('candidate-probe-preset', '12'));
  const preset = Number(flag('preset', String(bc.preset)));
  const segmentSeconds = Number(flag('segment-seconds', String(bc.segmentSeconds)));
  const minCrf = 10;
  const maxCrf = Number(flag('max-crf', '55'));
  const keep = process.argv.includes('--keep');
  const vmafEngine = flag('vmaf-engine', 'auto') as 'auto' | 'libvmaf' | 'builtin';
  const vmafFfmpegFlag = flag('vmaf-ffmpeg', '');
  const pixelFormat = flag('pixel-format', 'yuv420p10le') as 'yuv420p10le' | 'yuv420p';
  const dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-bench-tq-'));
  wrappers = installToolWrappers(dir, vmafFfmpegFlag || undefined);
  const loadBefore = loadavg();
  try {
    const partSeconds = Number(flag('part-seconds', String(bc.partSeconds)));
    const repeats = Number(flag('repeats', String(bc.repeats)));
    const size = flag('size', bc.size);
    const input = bc.film
      ? filmClip(path.join(dir, 'parts.mkv'), size, partSeconds, repeats)
      : complexityClip(path.join(dir, 'parts.mkv'), { partSeconds, repeats, size });
    const common = { input, preset, segmentSeconds, minCrf, maxCrf, keepWorkDir: false, pixelFormat, vmafEngine };
    const a = await encode({
      ...common,
      output: path.join(dir, 'a.mkv'),
      workDir: path.join(dir, 'work-a'),
      targetVmaf: target,
      probePreset,
    });
    let b: Run | undefined;
    if (!process.argv.includes('--skip-cold')) {
      process.env.CHUNKED_AV1_NO_WARM_START = '1';
      try {
        b = await encode({
          ...common,
          output: path.join(dir, 'b.mkv'),
          workDir: path.join(dir, 'work-b'),
          targetVmaf: target,
          probePreset,
        });
      } finally {
        delete process.env.CHUNKED_AV1_NO_WARM_START;
      }
    }
    const a2 = await encode({
      ...common,
      output: path.join(dir, 'a2.mkv'),
      workDir: path.join(dir, 'work-a2'),
      targetVmaf: target,
      probePreset: candidateProbePreset,
    });
    const crfs = a.done.segments.map((s) => s.crf!);
    const medianCrf = median(crfs);
    const fixedRuns = new Map<number, Run>();
    const fixed = async (crf: number) => {
      if (!fixedRuns.has(crf))
        fixedRuns.set(
          crf,
          await encode({ ...common, output: path.join(dir, `c${crf}.mkv`), workDir: path.join(dir, `work-c${crf}`), crf }),
        );
      return fixedRuns.get(crf)!;
    };
    const c = await fixed(medianCrf);
    const c2 = await fixed(median(a2.done.segments.map((s) => s.crf!)));
    const ab = process.argv.includes('--skip-ab') ? undefined : await abAv1Style(common, input, dir, target, segmentSeconds);

    const wholeCrf = Math.min(...crfs);
    const wholeFile = path.join(dir, 'd.mkv');
    const startedD = performance.now();
    ffmpegSync([
      '-i',
      input,
      '-map',
      '0:v:0',
      '-c:v',
      'libsvtav1',
      '-crf',
      String(wholeCrf),
      '-preset',
      String(preset),
      '-g',
      '250',
      '-pix_fmt',
      pixelFormat,
      wholeFile,
    ]);
    const secondsD = (performance.now() - startedD) / 1000;

    const inWindow = (s: DoneEvent['segments'][number]) => s.vmaf !== undefined && s.vmaf >= target - 0.5 && s.vmaf <= target + 2;
    const hits = a.done.segments.filter(inWindow).length;
    // Segments at the ends of the CRF range cannot be steered into the window (e.g. static bars stay above it at --max-crf).
    const steerable = a.done.segments.filter((s) => s.crf !== undefined && s.crf > minCrf && s.crf < maxCrf);
    const summary = (run: Run, fixedRun: Run) => ({
      timeRatio: run.seconds / fixedRun.seconds,
      bytesRatio: run.done.bytes / statSync(wholeFile).size,
      hitRate: run.done.segments.filter(inWindow).length / run.done.segments.length,
      probesPerSegment: run.probesPerSegment,
      seconds: run.seconds,
      fixedCrf: fixedRun.done.segments[0]?.crf,
      fixedSeconds: fixedRun.seconds,
      bytes: run.done.bytes,
      belowTMinus05: run.done.segments.filter((s) => s.vmaf !== undefined && s.vmaf < target - 0.5).length,
      cpuSeconds: run.cpu.all,
      cpuRatio: run.cpu.all / fixedRun.cpu.all,
      perSegment: run.done.segments.map((s) => ({
        index: s.index,
        crf: s.crf,
        vmaf: s.vmaf,
        bytes: s.bytes,
        probes: run.probes.get(s.index),
      })),
    });
    const result = {
      case: flag('case', '360p-p10'),
      quick,
      size,
      maxCrf,
      baseline: summary(a, c),
      candidate: { probePreset: candidateProbePreset, ...summary(a2, c2) },
      abAv1Style: ab ?? null,
      target,
      preset,
      probePreset,
      vmafEngine,
      vmafFfmpeg: vmafFfmpegFlag || null,
      pixelFormat,
      segmentSeconds,
      segments: a.done.segments.length,
      durationSeconds: a.done.frames / 25,
      timeRatio: a.seconds / c.seconds,
      bytesRatio: a.done.bytes / statSync(wholeFile).size,
      hitRate: hits / a.done.segments.length,
      hitRateWhereRangeAllows: steerable.length ? steerable.filter(inWindow).length / steerable.length : null,
      probesPerSegment: { warmStart: a.probesPerSegment, noWarmStart: b?.probesPerSegment ?? null },
      cpuSeconds: { target: a.cpu, fixed: c.cpu, ratio: a.cpu.all / c.cpu.all },
      vmafWorkersStarted: a.vmafWorkersStarted,
      load: { before: loadBefore, after: loadavg() },
      details: {
        targetSeconds: a.seconds,
        targetBytes: a.done.bytes,
        fixedCrf: medianCrf,
        fixedSeconds: c.seconds,
        fixedBytes: c.done.bytes,
        wholeFileCrf: wholeCrf,
        wholeFileBytes: statSync(wholeFile).size,
        wholeFileSeconds: secondsD,
        noWarmStartSeconds: b?.seconds ?? null,
        perSegment: a.done.segments.map((s) => ({
          index: s.index,
          crf: s.crf,
          vmaf: s.vmaf,
          bytes: s.bytes,
          probes: a.probes.get(s.index),
        })),
      },
    };
    const json = JSON.stringify(result, null, 2);
    process.stdout.write(`${json}\n`);
    const out = flag('out', path.join(__dirname, 'results', `target-quality-${target}.json`));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${json}\n`);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${dir}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/target-quality: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
