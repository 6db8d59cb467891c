/**
 * bench/target-quality — what per-segment target quality buys (issue 5).
 *
 *   node -r ./test/register.cjs bench/target-quality.ts [--target 93] [--preset 10] [--part-seconds 7] [--repeats 3]
 *        [--segment-seconds 7] [--size 640x360] [--keep]
 *
 * Generates a clip of repeats x (static bars, testsrc2, mandelbrot) parts (default 3 x 3 x 7 s = 63 s),
 * then, all at one preset, in this process through the product's own pipeline:
 *  A. --target-vmaf T (warm start on);
 *  B. the same without the warm start (CHUNKED_AV1_NO_WARM_START=1), for the probe count only;
 *  C. fixed CRF at the median CRF A chose: time ratio A / C (goal <= 1.5);
 *  D. one whole-file SVT-AV1 encode (not chunked) at the highest CRF at which every segment reaches
 *     T, i.e. the lowest CRF A chose per segment (ab-av1's single answer): bytes ratio A / D (goal <= 0.85).
 * Also the hit rate (verified VMAF within [T - 0.5, T + 2]) and the average probes per segment.
 * Prints one JSON object and writes it to bench/results/target-quality-<target>.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runEncodeJob } from '../server/src/pipeline';
import { parseEncodeOptions, type EncodeOptionsInput } from '../server/src/options';
import type { DoneEvent, JobEvent } from '../server/src/events';
import { complexityClip } from '../test/helpers/complexity-clip';

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

interface Run {
  seconds: number;
  done: DoneEvent;
  probesPerSegment: number;
}

async function encode(options: EncodeOptionsInput): Promise<Run> {
  const events: JobEvent[] = [];
  const started = performance.now();
  const done = await runEncodeJob(parseEncodeOptions(options), { onEvent: (e) => events.push(e) });
  const seconds = (performance.now() - started) / 1000;
  const probes = events.filter((e) => e.event === 'segment' && e.probe).length;
  return { seconds, done, probesPerSegment: probes / done.segments.length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

async function main(): Promise<void> {
  const target = Number(flag('target', '93'));
  const preset = Number(flag('preset', '10'));
  const segmentSeconds = Number(flag('segment-seconds', '7'));
  const minCrf = 10;
  const maxCrf = 55;
  const keep = process.argv.includes('--keep');
  const dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-bench-tq-'));
  try {
    const input = complexityClip(path.join(dir, 'parts.mkv'), {
      partSeconds: Number(flag('part-seconds', '7')), repeats: Number(flag('repeats', '3')), size: flag('size', '640x360'),
    });
    const common = { input, preset, segmentSeconds, minCrf, maxCrf, keepWorkDir: false };
    const a = await encode({ ...common, output: path.join(dir, 'a.mkv'), workDir: path.join(dir, 'work-a'), targetVmaf: target });
    process.env.CHUNKED_AV1_NO_WARM_START = '1';
    let b: Run;
    try {
      b = await encode({ ...common, output: path.join(dir, 'b.mkv'), workDir: path.join(dir, 'work-b'), targetVmaf: target });
    } finally {
      delete process.env.CHUNKED_AV1_NO_WARM_START;
    }
    const crfs = a.done.segments.map((s) => s.crf!);
    const medianCrf = median(crfs);
    const c = await encode({ ...common, output: path.join(dir, 'c.mkv'), workDir: path.join(dir, 'work-c'), crf: medianCrf });

    const wholeCrf = Math.min(...crfs);
    const wholeFile = path.join(dir, 'd.mkv');
    const startedD = performance.now();
    execFileSync('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', input, '-map', '0:v:0',
      '-c:v', 'libsvtav1', '-crf', String(wholeCrf), '-preset', String(preset), '-g', '250', '-pix_fmt', 'yuv420p10le', wholeFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    const secondsD = (performance.now() - startedD) / 1000;

    const inWindow = (s: DoneEvent['segments'][number]) => s.vmaf !== undefined && s.vmaf >= target - 0.5 && s.vmaf <= target + 2;
    const hits = a.done.segments.filter(inWindow).length;
    // Segments at the ends of the CRF range cannot be steered into the window (e.g. static bars stay above it at --max-crf).
    const steerable = a.done.segments.filter((s) => s.crf !== undefined && s.crf > minCrf && s.crf < maxCrf);
    const result = {
      target, preset, segmentSeconds, segments: a.done.segments.length, durationSeconds: a.done.frames / 25,
      timeRatio: a.seconds / c.seconds,
      bytesRatio: a.done.bytes / statSync(wholeFile).size,
      hitRate: hits / a.done.segments.length,
      hitRateWhereRangeAllows: steerable.length ? steerable.filter(inWindow).length / steerable.length : null,
      probesPerSegment: { warmStart: a.probesPerSegment, noWarmStart: b.probesPerSegment },
      details: {
        targetSeconds: a.seconds, targetBytes: a.done.bytes, fixedCrf: medianCrf, fixedSeconds: c.seconds, fixedBytes: c.done.bytes,
        wholeFileCrf: wholeCrf, wholeFileBytes: statSync(wholeFile).size, wholeFileSeconds: secondsD, noWarmStartSeconds: b.seconds,
        perSegment: a.done.segments.map((s) => ({ index: s.index, crf: s.crf, vmaf: s.vmaf, bytes: s.bytes })),
      },
    };
    const json = JSON.stringify(result, null, 2);
    process.stdout.write(`${json}\n`);
    const results = path.join(__dirname, 'results');
    mkdirSync(results, { recursive: true });
    writeFileSync(path.join(results, `target-quality-${target}.json`), `${json}\n`);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${dir}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/target-quality: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
