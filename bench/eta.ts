/**
 * bench/eta — how well the live ETA and percent hold over a real run (issue 23).
 *
 *   node -r ./test/register.cjs bench/eta.ts [--seconds 32] [--size 640x360] [--preset 10] [--target 93] [--crf 35]
 *        [--segment-seconds 8] [--out FILE] [--timeline] [--cli dist/cli.js]
 *
 * Generates a clip (testsrc2 with audio), then runs the built CLI (dist/cli.js: build first) twice
 * with --json, reading each progress event as it arrives: a target-quality encode (--target-vmaf)
 * and a fixed-CRF encode (--crf). For each run: the ETA's error against the true time left at 25,
 * 50 and 75 % of the run's wall time (|ETA − left| / left, from the last event at or before that
 * moment), and the longest time the percent stood still, as a share of the run. A bench figure
 * (noisy on a shared machine), not a test assertion. Prints one JSON object and writes it to
 * bench/results/eta.json; --timeline adds every event with its time (to replay in a unit test).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { basicClip } from '../test/helpers/clips';
import { etaFigures, samplesOf, type EtaFigures } from '../server/src/job/eta-figures';
import type { JobEvent } from '../common/events';

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

/** --cli: another build (e.g. a copy of dist/ from before a change), so a rebuild cannot change a run. */
const CLI = path.resolve(flag('cli', path.resolve(__dirname, '../dist/cli.js')));

interface TimedRun {
  figures: EtaFigures;
  events: number;
  exit: number | null;
  /** Every event as read, with its time (s since the start): the recorded timeline the unit tests replay. */
  timeline?: { at: number; event: JobEvent }[];
}

async function timedRun(args: string[]): Promise<TimedRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const seen: { at: number; event: JobEvent }[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    try {
      seen.push({ at: (performance.now() - started) / 1000, event: JSON.parse(line) as JobEvent });
    } catch {
      /* not an event */
    }
  }
  const exit = await new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve),
  );
  const total = (performance.now() - started) / 1000;
  const timeline = process.argv.includes('--timeline')
    ? seen.map(({ at, event }) => ({ at: Math.round(at * 100) / 100, event }))
    : undefined;
  return { figures: etaFigures(samplesOf(seen), total), events: seen.length, exit, ...(timeline ? { timeline } : {}) };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-eta-'));
  try {
    const seconds = Number(flag('seconds', '32'));
    const size = flag('size', '640x360');
    const input = basicClip(path.join(dir, 'clip.mkv'), { seconds, size, audio: true });
    // Segments of --segment-seconds however the scene split sees the clip (testsrc2 has no cut): several segments, as a film has.
    const segmentSeconds = flag('segment-seconds', '8');
    const common = [
      '--preset',
      flag('preset', '10'),
      '--segment-seconds',
      segmentSeconds,
      '--max-segment-seconds',
      segmentSeconds,
      '--overwrite',
    ];
    const target = await timedRun(['encode', input, '-o', path.join(dir, 'tq.mkv'), '--target-vmaf', flag('target', '93'), ...common]);
    const fixed = await timedRun(['encode', input, '-o', path.join(dir, 'crf.mkv'), '--crf', flag('crf', '35'), ...common]);
    const result = {
      bench: 'eta',
      clip: { seconds, size },
      command: process.argv.slice(1).join(' '),
      targetQuality: target,
      fixedCrf: fixed,
    };
    const text = `${JSON.stringify(result, null, 2)}\n`;
    process.stdout.write(text);
    const out = flag('out', path.resolve(__dirname, 'results/eta.json'));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
