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
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { runEncodeJob } from '../server/src/pipeline';
import { parseEncodeOptions, type EncodeOptionsInput } from '../common/options';
import type { DoneEvent, JobEvent } from '../common/events';
import { complexityClip } from '../test/helpers/complexity-clip';
import { featureWorkersStarted } from '../server/src/vmaf/builtin/worker-pool';
import { installToolWrappers, ownCpuSeconds, takeToolCpu, type ToolCpu, type ToolWrappers } from './cpu-accounting';

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

interface Run {
  seconds: number;
  done: DoneEvent;
  probesPerSegment: number;
  /** Segment → its probes, "CRF:VMAF" in the order they were measured (replayed ones included). */
  probes: Map<number, string[]>;
  /** CPU seconds: every ffmpeg/ffprobe by kind, plus this process (VMAF features, JavaScript). */
  cpu: ToolCpu & { node: number; all: number };
  /** VMAF feature worker threads started during the run. */
  vmafWorkersStarted: number;
}

let wrappers: ToolWrappers | undefined;

async function encode(options: EncodeOptionsInput): Promise<Run> {
  const events: JobEvent[] = [];
  const started = performance.now();
  takeToolCpu(wrappers!);
  const nodeBefore = ownCpuSeconds();
  const workersBefore = featureWorkersStarted();
  const vmaf = wrappers!.vmafFfmpeg ? { vmafFfmpeg: wrappers!.vmafFfmpeg } : {};
  const done = await runEncodeJob(parseEncodeOptions({ ...options, ...vmaf, ffmpeg: wrappers!.ffmpeg, ffprobe: wrappers!.ffprobe }), { onEvent: (e) => events.push(e) });
  const seconds = (performance.now() - started) / 1000;
  const node = Math.round((ownCpuSeconds() - nodeBefore) * 100) / 100;
  const tools = takeToolCpu(wrappers!);
  const probeEvents = events.filter((e) => e.event === 'segment' && e.probe);
  const probes = new Map<number, string[]>();
  for (const e of probeEvents) {
    if (e.event !== 'segment' || !e.probe) continue;
    probes.set(e.index, [...(probes.get(e.index) ?? []), `${e.probe.crf}:${e.probe.vmaf.toFixed(2)}`]);
  }
  return {
    seconds, done, probes, probesPerSegment: probeEvents.length / done.segments.length,
    cpu: { ...tools, node, all: Math.round((tools.total + node) * 100) / 100 }, vmafWorkersStarted: featureWorkersStarted() - workersBefore,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

async function main(): Promise<void> {
  const target = Number(flag('target', '93'));
  const probePresetFlag = flag('probe-preset', 'same');
  const probePreset = probePresetFlag === 'same' ? 'same' as const : Number(probePresetFlag);
  const preset = Number(flag('preset', '10'));
  const segmentSeconds = Number(flag('segment-seconds', '7'));
  const minCrf = 10;
  const maxCrf = 55;
  const keep = process.argv.includes('--keep');
  const vmafEngine = flag('vmaf-engine', 'auto') as 'auto' | 'libvmaf' | 'builtin';
  const vmafFfmpegFlag = flag('vmaf-ffmpeg', '');
  const pixelFormat = flag('pixel-format', 'yuv420p10le') as 'yuv420p10le' | 'yuv420p';
  const dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-bench-tq-'));
  wrappers = installToolWrappers(dir, vmafFfmpegFlag || undefined);
  const loadBefore = loadavg();
  try {
    const input = complexityClip(path.join(dir, 'parts.mkv'), {
      partSeconds: Number(flag('part-seconds', '7')), repeats: Number(flag('repeats', '3')), size: flag('size', '640x360'),
    });
    const common = { input, preset, segmentSeconds, minCrf, maxCrf, keepWorkDir: false, pixelFormat, vmafEngine };
    const a = await encode({ ...common, output: path.join(dir, 'a.mkv'), workDir: path.join(dir, 'work-a'), targetVmaf: target, probePreset });
    let b: Run | undefined;
    if (!process.argv.includes('--skip-cold')) {
      process.env.CHUNKED_AV1_NO_WARM_START = '1';
      try {
        b = await encode({ ...common, output: path.join(dir, 'b.mkv'), workDir: path.join(dir, 'work-b'), targetVmaf: target, probePreset });
      } finally {
        delete process.env.CHUNKED_AV1_NO_WARM_START;
      }
    }
    const crfs = a.done.segments.map((s) => s.crf!);
    const medianCrf = median(crfs);
    const c = await encode({ ...common, output: path.join(dir, 'c.mkv'), workDir: path.join(dir, 'work-c'), crf: medianCrf });

    const wholeCrf = Math.min(...crfs);
    const wholeFile = path.join(dir, 'd.mkv');
    const startedD = performance.now();
    execFileSync('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', input, '-map', '0:v:0',
      '-c:v', 'libsvtav1', '-crf', String(wholeCrf), '-preset', String(preset), '-g', '250', '-pix_fmt', pixelFormat, wholeFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    const secondsD = (performance.now() - startedD) / 1000;

    const inWindow = (s: DoneEvent['segments'][number]) => s.vmaf !== undefined && s.vmaf >= target - 0.5 && s.vmaf <= target + 2;
    const hits = a.done.segments.filter(inWindow).length;
    // Segments at the ends of the CRF range cannot be steered into the window (e.g. static bars stay above it at --max-crf).
    const steerable = a.done.segments.filter((s) => s.crf !== undefined && s.crf > minCrf && s.crf < maxCrf);
    const result = {
      target, preset, probePreset, vmafEngine, vmafFfmpeg: vmafFfmpegFlag || null, pixelFormat, segmentSeconds, segments: a.done.segments.length, durationSeconds: a.done.frames / 25,
      timeRatio: a.seconds / c.seconds,
      bytesRatio: a.done.bytes / statSync(wholeFile).size,
      hitRate: hits / a.done.segments.length,
      hitRateWhereRangeAllows: steerable.length ? steerable.filter(inWindow).length / steerable.length : null,
      probesPerSegment: { warmStart: a.probesPerSegment, noWarmStart: b?.probesPerSegment ?? null },
      cpuSeconds: { target: a.cpu, fixed: c.cpu, ratio: a.cpu.all / c.cpu.all },
      vmafWorkersStarted: a.vmafWorkersStarted,
      load: { before: loadBefore, after: loadavg() },
      details: {
        targetSeconds: a.seconds, targetBytes: a.done.bytes, fixedCrf: medianCrf, fixedSeconds: c.seconds, fixedBytes: c.done.bytes,
        wholeFileCrf: wholeCrf, wholeFileBytes: statSync(wholeFile).size, wholeFileSeconds: secondsD, noWarmStartSeconds: b?.seconds ?? null,
        perSegment: a.done.segments.map((s) => ({ index: s.index, crf: s.crf, vmaf: s.vmaf, bytes: s.bytes, probes: a.probes.get(s.index) })),
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
