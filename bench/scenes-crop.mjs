#!/usr/bin/env node
// bench/scenes-crop (#14): what --split scene and --crop auto change at one --target-vmaf T, on a
// generated clip with real shot changes (inside one long H.264 GOP) and 2.35:1 letterboxing.
// Prints, per configuration, the output bytes and the hit rate (segments whose measured VMAF
// reached T), and the detection pass's time from the run's debug log.
//
//   npm run build && node bench/scenes-crop.mjs                       # 640x360, 3 shots of 4-7 s, T=90
//   node bench/scenes-crop.mjs --size 1920x1080 --target 93 --preset 8
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '640x360' },
    target: { type: 'string', default: '90' },
    preset: { type: 'string', default: '12' },
    'segment-seconds': { type: 'string', default: '4' },
  },
});
const [width, height] = values.size.split('x').map(Number);
const content = Math.round(width / 2.35 / 2) * 2;
const bar = (height - content) / 2;
const fps = 24;
const shots = [
  [`testsrc2=s=${width}x${content}:r=${fps},hue=H=2*PI*t*0.3`, 5.5],
  [`mandelbrot=s=${width}x${content}:r=${fps}`, 7],
  [`smptebars=s=${width}x${content}:r=${fps},hue=H=2*PI*t*0.5`, 4.25],
  [`cellauto=s=${width}x${content}:r=${fps}:rule=30`, 6.5],
];
const CLI = path.resolve(import.meta.dirname, '../dist/cli.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'chunked-av1-scenes-bench-'));
try {
  const source = path.join(dir, 'shots.mkv');
  const inputs = shots.flatMap(([graph, seconds]) => ['-f', 'lavfi', '-i', `${graph},trim=duration=${seconds},setpts=PTS-STARTPTS`]);
  const joined = `${shots.map((_, i) => `[${i}]`).join('')}concat=n=${shots.length}:v=1,pad=${width}:${height}:0:${bar}:black,format=yuv420p[v]`;
  execFileSync('ffmpeg', [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    ...inputs,
    '-filter_complex',
    joined,
    '-map',
    '[v]',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '16',
    '-g',
    '240',
    '-keyint_min',
    '240',
    '-sc_threshold',
    '0',
    source,
  ]);
  console.log(
    `source: ${values.size}, ${shots.length} shots (${shots.map(([, s]) => s).join(' + ')} s), bars ${bar} px top and bottom, GOP 10 s; T=${values.target}, preset ${values.preset}`,
  );
  for (const [split, crop] of [
    ['keyframe', 'none'],
    ['scene', 'none'],
    ['keyframe', 'auto'],
    ['scene', 'auto'],
  ]) {
    const output = path.join(dir, `${split}-${crop}.mkv`);
    const started = performance.now();
    const run = spawnSync(
      process.execPath,
      [
        CLI,
        'encode',
        source,
        '-o',
        output,
        '-y',
        '--json',
        '--split',
        split,
        '--crop',
        crop,
        '--segment-seconds',
        values['segment-seconds'],
        '--min-segment-seconds',
        '2',
        '--target-vmaf',
        values.target,
        '--preset',
        values.preset,
      ],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    if (run.status !== 0) throw new Error(`${split}/${crop}: ${run.stderr}`);
    const events = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const done = events.find((e) => e.event === 'done');
    const plan = events.find((e) => e.event === 'plan');
    const detection = events
      .filter((e) => e.event === 'log' && /^(scene detection|cropdetect):/.test(e.message))
      .map((e) => e.message)
      .join('; ');
    const hits = done.segments.filter((s) => s.vmaf >= Number(values.target)).length;
    console.log(
      `--split ${split.padEnd(8)} --crop ${crop.padEnd(4)}  ${String(done.bytes).padStart(9)} bytes  hit ${hits}/${done.segments.length}  cuts ${plan.ranges.map((r) => `${r.startSeconds.toFixed(2)}:${r.reason}`).join(' ')}  wall ${((performance.now() - started) / 1000).toFixed(1)} s  ${detection}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
