#!/usr/bin/env node
// bench/workers: on this machine, is it faster to run fewer SVT-AV1 workers with more threads
// each, or more workers with fewer threads? Runs the chunked encode of one generated clip with
// each --workers value (threads per worker = cores / workers) and prints the wall times. The
// faster layout on a 2-core machine decides DEFAULT_THREADS_PER_WORKER in server/src/job/workers.ts.
//
//   npm run build && node bench/workers.mjs                        # 1080p, 20 s, workers 1 and 2
//   node bench/workers.mjs --seconds 4 --size 640x360 --preset 12   # small smoke run
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    size: { type: 'string', default: '1920x1080' },
    crf: { type: 'string', default: '35' },
    preset: { type: 'string', default: '10' },
    'segment-seconds': { type: 'string', default: '5' },
    workers: { type: 'string', default: '' },
    repeat: { type: 'string', default: '1' },
  },
});
const cores = os.availableParallelism();
const counts = values.workers ? values.workers.split(',').map(Number) : [1, cores];
const CLI = path.resolve(import.meta.dirname, '../dist/cli.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'chunked-av1-workers-'));
try {
  const source = path.join(dir, 'source.mkv');
  execFileSync('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=s=${values.size}:r=24,noise=alls=12:allf=t`,
    '-t',
    values.seconds,
    '-pix_fmt',
    'yuv420p',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '18',
    '-g',
    '48',
    source,
  ]);
  console.log(
    `${cores} cores; source ${values.size} ${values.seconds} s; crf ${values.crf} preset ${values.preset}; segments of ${values['segment-seconds']} s`,
  );
  for (let round = 0; round < Number(values.repeat); round++) {
    for (const workers of counts) {
      const start = performance.now();
      execFileSync(
        process.execPath,
        [
          CLI,
          'encode',
          source,
          '-o',
          path.join(dir, `out-${workers}.mkv`),
          '--crf',
          values.crf,
          '--preset',
          values.preset,
          '--segment-seconds',
          values['segment-seconds'],
          '--workers',
          String(workers),
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      const seconds = (performance.now() - start) / 1000;
      console.log(`${workers} worker(s) x ${Math.max(1, Math.floor(cores / workers))} thread(s) (lp): ${seconds.toFixed(1)} s`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
