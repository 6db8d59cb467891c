/**
 * bench/resume — what resuming costs on a job with many segments (issue 4).
 *
 *   npm run build && node -r ./test/register.cjs bench/resume.ts [--segments 200] [--keep]
 *
 * Generates a long, low-resolution clip (one segment per second, 160x120, preset 13), then:
 *  1. encodes it with --json and reports the time from start to the first segment encode;
 *  2. times the manifest's per-segment update at several job sizes (in-process, through the
 *     product's own manifest module) — the cost per update must stay flat as segments grow;
 *  3. re-runs the finished job on its kept work dir and reports the time to verify every
 *     segment (all must come back `skipped`) and the whole re-run.
 * Prints one JSON object; writes it to bench/results/resume-<segments>.json too.
 */
import { ffmpegSync } from '../test/helpers/clips';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { indexesIn, runCli, segmentEvents } from '../test/helpers/faults';
import { measureManifestUpdates } from './resume-manifest';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const segments = flag('segments', 200);
  const keep = process.argv.includes('--keep');
  const dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-bench-resume-'));
  const input = path.join(dir, 'long clip.mkv');
  const workDir = path.join(dir, 'work');
  const output = path.join(dir, 'out.mkv');
  try {
    const fps = 24;
    ffmpegSync([
      '-f',
      'lavfi',
      '-i',
      `testsrc2=s=160x120:r=${fps}`,
      '-t',
      String(segments),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-g',
      String(fps),
      '-keyint_min',
      String(fps),
      input,
    ]);

    const args = [
      'encode',
      input,
      '-o',
      output,
      '--crf',
      '45',
      '--preset',
      '13',
      '--segment-seconds',
      '1',
      '--work-dir',
      workDir,
      '--keep-work-dir',
      '--json',
    ];
    const started = performance.now();
    let firstEncode: number | undefined;
    let planAt: number | undefined;
    const first = await runCli(args, {
      onEvent: (event) => {
        if (event.event === 'plan' && planAt === undefined) planAt = performance.now();
        if (event.event === 'segment' && event.state === 'encoding' && firstEncode === undefined) firstEncode = performance.now();
      },
    });
    const firstSeconds = (performance.now() - started) / 1000;
    if (first.code !== 0) throw new Error(`first run failed (${first.code}): ${first.stderr}`);

    const verifyStarted = performance.now();
    let lastSkip: number | undefined;
    const again = await runCli(args, {
      onEvent: (event) => {
        if (event.event === 'segment' && event.state === 'skipped') lastSkip = performance.now();
      },
    });
    const againSeconds = (performance.now() - verifyStarted) / 1000;
    if (again.code !== 0) throw new Error(`re-run failed (${again.code}): ${again.stderr}`);
    const planned = first.events.find((e) => e.event === 'plan');

    const manifest = await measureManifestUpdates([...new Set([20, 200, 2000, segments])].sort((a, b) => a - b));

    const result = {
      segmentsPlanned: planned && planned.event === 'plan' ? planned.segments : undefined,
      inputBytes: statSync(input).size,
      firstRun: {
        seconds: round(firstSeconds),
        planSeconds: planAt ? round((planAt - started) / 1000) : null,
        timeToFirstEncodeSeconds: firstEncode ? round((firstEncode - started) / 1000) : null,
        segmentEvents: segmentEvents(first.events).length,
      },
      reRun: {
        seconds: round(againSeconds),
        verifySeconds: lastSkip ? round((lastSkip - verifyStarted) / 1000) : null,
        skipped: indexesIn(again.events, 'skipped').size,
        reEncoded: indexesIn(again.events, 'encoding').size,
      },
      manifestUpdateMicroseconds: manifest,
    };
    const text = JSON.stringify(result, null, 2);
    console.log(text);
    const results = path.resolve(__dirname, 'results');
    mkdirSync(results, { recursive: true });
    writeFileSync(path.join(results, `resume-${segments}.json`), `${text}\n`);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    else console.error(`kept ${dir}`);
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
