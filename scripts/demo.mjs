#!/usr/bin/env node
// npm run demo: generates a sample clip with ffmpeg (moving test pattern, stereo audio, subtitles
// and a chapter), encodes it with the chunked AV1 pipeline and prints where the output is.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dir = path.join(os.tmpdir(), 'chunked-av1-demo');
mkdirSync(dir, { recursive: true });
const sample = path.join(dir, 'sample.mkv');
const output = path.join(dir, 'sample.av1.mkv');
const srt = path.join(dir, 'sample.srt');
writeFileSync(srt, '1\n00:00:01,000 --> 00:00:04,000\nChunked AV1 demo\n');

console.log(`demo: generating ${sample} (640x360, 12 s, H.264 + AAC + subtitles)`);
execFileSync(
  'ffmpeg',
  [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=640x360:r=24',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-i',
    srt,
    '-map',
    '0:v',
    '-map',
    '1:a',
    '-map',
    '2:s',
    '-t',
    '12',
    '-pix_fmt',
    'yuv420p',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-g',
    '48',
    '-c:a',
    'aac',
    '-c:s',
    'srt',
    '-metadata:s:a:0',
    'language=eng',
    '-metadata',
    'title=Chunked AV1 demo',
    sample,
  ],
  { stdio: 'inherit' },
);

console.log('demo: encoding to AV1 in 4 s segments (CRF 35, preset 10)');
const run = spawnSync(
  process.execPath,
  [path.join(root, 'dist/cli.js'), 'encode', sample, '-o', output, '--crf', '35', '--preset', '10', '--segment-seconds', '4'],
  { stdio: 'inherit' },
);
if (run.status !== 0) process.exit(run.status ?? 1);
console.log(`demo: done. Output: ${output}`);
console.log(`demo: inspect it with: node dist/cli.js probe ${JSON.stringify(output)}`);
