import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CancelledError } from '../../server/src/errors';
import { resolveTools, toolCapabilities } from '../../server/src/sys/tools';
import { measureVmaf, type VmafResult } from '../../server/src/vmaf/index';
import { ffmpegSync, tempDir } from '../helpers/clips';
import { CLI, runCliSync } from '../helpers/cli';

/**
 * `chunked-av1 vmaf` end to end with real ffmpeg on small lavfi clips, through the esbuild bundle
 * (dist/cli.js + dist/vmaf-worker.js, built by `npm test`), plus the engine API directly.
 */
function cli(args: string[]) {
  return runCliSync(['vmaf', ...args], { timeoutMs: 300_000 });
}

function ffv1(file: string, graph: string, seconds: number, pixFmt = 'yuv420p'): string {
  ffmpegSync(['-f', 'lavfi', '-i', graph, '-t', String(seconds), '-pix_fmt', pixFmt, '-c:v', 'ffv1', file]);
  return file;
}

describe('chunked-av1 vmaf (CLI and engine)', function () {
  const { dir, cleanup } = tempDir('chunked-av1-vmaf-cli-');
  // Awkward names on purpose: quotes, spaces, $, ;, non-ASCII.
  const ref = path.join(dir, `ref it's "q" $x;.mkv`);
  const dist = path.join(dir, 'dïst ü.mp4');
  const small = path.join(dir, 'small.mkv');
  const short = path.join(dir, 'short.mkv');
  const notVideo = path.join(dir, 'notes.txt');

  before(function () {
    if (!existsSync(CLI) || !existsSync(path.join(path.dirname(CLI), 'vmaf-worker.js'))) this.skip();
    ffv1(ref, 'testsrc2=s=320x240:r=24', 2);
    ffmpegSync(['-i', ref, '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '35', dist]);
    ffv1(small, 'testsrc2=s=160x120:r=24', 2);
    ffv1(short, 'testsrc2=s=320x240:r=24', 1);
    writeFileSync(notVideo, 'not a video\n');
  });
  after(() => cleanup());

  it('prints the pooled score of a real encode (48 frames, built-in engine where ffmpeg has no libvmaf)', async () => {
    const run = cli([ref, dist, '--threads', '2']);
    assert.equal(run.status, 0, run.stderr);
    const match = /^VMAF (\d+\.\d{2}) \(mean of 48 frames; both yuv420p; (built-in|libvmaf) engine, model v0\.6\.1\)\n$/.exec(run.stdout);
    assert.ok(match, run.stdout);
    const score = Number(match[1]);
    assert.ok(score > 40 && score < 99, `score ${score}`);
    const caps = await toolCapabilities(resolveTools());
    assert.equal(match[2], caps.hasLibvmaf ? 'libvmaf' : 'built-in');
  });

  it('--json gives pooled values, per-frame scores and features; --subsample 8 scores frames 0, 8, ...', () => {
    const run = cli([ref, dist, '--engine', 'builtin', '--subsample', '8', '--pool', 'harmonic_mean', '--json']);
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout) as VmafResult;
    assert.deepEqual(
      result.frames.map((f) => f.index),
      [0, 8, 16, 24, 32, 40],
    );
    assert.equal(result.frameCount, 48);
    assert.equal(result.engine, 'builtin');
    assert.equal(result.pool, 'harmonic_mean');
    assert.equal(result.score, result.pooled.harmonicMean);
    assert.deepEqual(Object.keys(result.frames[1]!.features).sort(), [
      'integer_adm2',
      'integer_motion2',
      'integer_vif_scale0',
      'integer_vif_scale1',
      'integer_vif_scale2',
      'integer_vif_scale3',
    ]);
    assert.equal(result.frames[0]!.features.integer_motion2, 0);
    assert.ok(result.frames[1]!.features.integer_motion2 > 0);
    assert.ok(result.pooled.min <= result.pooled.p5 && result.pooled.p5 <= result.pooled.mean);
  });

  it('bad input: one clear line and exit 1 (missing file, non-video, resolutions, frame counts)', () => {
    const cases: [string[], RegExp][] = [
      [[ref, path.join(dir, 'missing.mkv')], /distorted .*missing\.mkv: no such file/],
      [[notVideo, dist], /reference .*notes\.txt: not a readable video/],
      [[ref, small], /different resolutions: reference .* is 320x240, distorted .*small\.mkv is 160x120/],
      [[ref, short, '--engine', 'builtin'], /frame counts differ: reference .* has 48 frames, distorted .*short\.mkv has 24/],
    ];
    for (const [args, pattern] of cases) {
      const run = cli(args);
      assert.equal(run.status, 1, `${args.join(' ')}: ${run.stderr}`);
      const lines = run.stderr.trim().split('\n');
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0]!, pattern);
    }
    const usage = cli([ref, dist, '--pool', 'median']);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--pool must be/);
  });

  it('--engine libvmaf: used where ffmpeg has libvmaf, a clear error elsewhere', async function () {
    const caps = await toolCapabilities(resolveTools());
    const run = cli([ref, dist, '--engine', 'libvmaf']);
    if (!caps.hasLibvmaf) {
      assert.equal(run.status, 1);
      assert.match(run.stderr, /this ffmpeg has no libvmaf filter; use --engine builtin/);
      return;
    }
    assert.equal(run.status, 0, run.stderr);
    const builtin = cli([ref, dist, '--engine', 'builtin']);
    const a = Number(/VMAF (\S+)/.exec(run.stdout)![1]),
      b = Number(/VMAF (\S+)/.exec(builtin.stdout)![1]);
    assert.ok(Math.abs(a - b) < 0.3, `libvmaf ${a} vs builtin ${b}`);
  });

  it('10-bit input: scores agree with the same content at 8 bits', async () => {
    const graph = 'testsrc2=s=320x240:r=24';
    const ref10 = ffv1(path.join(dir, 'ref10.mkv'), graph, 1, 'yuv420p10le');
    const dis10 = path.join(dir, 'dis10.mkv');
    ffmpegSync(['-i', ref10, '-vf', 'gblur=sigma=1.2', '-pix_fmt', 'yuv420p10le', '-c:v', 'ffv1', dis10]);
    const ref8 = path.join(dir, 'ref8.mkv'),
      dis8 = path.join(dir, 'dis8.mkv');
    ffmpegSync(['-i', ref10, '-pix_fmt', 'yuv420p', '-c:v', 'ffv1', ref8]);
    ffmpegSync(['-i', dis10, '-pix_fmt', 'yuv420p', '-c:v', 'ffv1', dis8]);
    const ten = await measureVmaf(ref10, dis10, { engine: 'builtin', threads: 2 });
    const eight = await measureVmaf(ref8, dis8, { engine: 'builtin', threads: 2 });
    assert.equal(ten.bitDepth, 10);
    assert.equal(eight.bitDepth, 8);
    assert.ok(ten.score < 99 && ten.score > 30, `10-bit ${ten.score}`);
    assert.ok(Math.abs(ten.score - eight.score) < 2, `10-bit ${ten.score} vs 8-bit ${eight.score}`);
  });

  it("an 8-bit source against a 10-bit encode: measured in the encode's pixel format, as the encode's verification, and says so", () => {
    // The encoder was fed the source through format=yuv420p10le; the reference is converted alike.
    const src8 = ffv1(path.join(dir, 'convention src8.mkv'), 'testsrc2=s=320x240:r=24', 1);
    const enc10 = path.join(dir, 'convention enc10.mkv');
    ffmpegSync(['-i', src8, '-c:v', 'libsvtav1', '-preset', '12', '-crf', '40', '-pix_fmt', 'yuv420p10le', enc10]);
    const src10 = path.join(dir, 'convention src10.mkv');
    ffmpegSync(['-i', src8, '-vf', 'format=yuv420p10le', '-c:v', 'ffv1', src10]);
    const json = (reference: string) => {
      const run = cli([reference, enc10, '--engine', 'builtin', '--pool', 'harmonic_mean', '--json']);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout.trim().split('\n').length, 1, 'one JSON object on one line');
      return JSON.parse(run.stdout) as VmafResult;
    };
    const fromEight = json(src8);
    const fromTen = json(src10);
    assert.ok(Math.abs(fromEight.score - fromTen.score) <= 0.05, `8-bit source ${fromEight.score} vs 10-bit-converted ${fromTen.score}`);
    assert.deepEqual([fromEight.pixelFormat, fromEight.referenceConvertedFrom], ['yuv420p10le', 'yuv420p']);
    assert.equal(fromTen.referenceConvertedFrom, undefined);
    const text = cli([src8, enc10, '--engine', 'builtin', '--pool', 'harmonic_mean']);
    assert.equal(text.status, 0, text.stderr);
    assert.equal(
      text.stdout,
      `VMAF ${fromEight.score.toFixed(2)} (harmonic mean of 24 frames; reference converted to yuv420p10le; built-in engine, model v0.6.1)\n`,
    );
  });

  it('--json read by a reader that leaves early (| head -c 10): no EPIPE stack, exit 0', () => {
    // 480 frames: a result far larger than a pipe's buffer, so the write meets the closed pipe.
    // The pipeline is the shell's own (`a | head`), the file names passed as arguments, not in the script.
    const long = ffv1(path.join(dir, 'many frames.mkv'), 'testsrc2=s=64x48:r=24', 20);
    const run = spawnSync(
      'bash',
      ['-c', 'node "$0" vmaf "$1" "$1" --engine builtin --json | head -c 10; echo; echo "exit ${PIPESTATUS[0]}"', CLI, long],
      { encoding: 'utf8', timeout: 300_000 },
    );
    assert.match(run.stdout, /^\{"score":\d\nexit 0\n$/);
    assert.equal(run.stderr, '');
  });

  it('concurrent measurements in one process share the worker threads and agree', async () => {
    const options = { engine: 'builtin' as const, subsample: 8, threads: 2 };
    const [a, b] = await Promise.all([measureVmaf(ref, dist, options), measureVmaf(dist, ref, options)]);
    const again = await measureVmaf(ref, dist, options);
    assert.equal(a.score, again.score);
    assert.equal(a.frames.length, 6);
    assert.ok(b.score > 0 && b.score <= 100);
  });

  it('cancelling stops decoding and leaves no ffmpeg behind', async () => {
    const long = ffv1(path.join(dir, 'long cancel.mkv'), 'testsrc2=s=640x360:r=24', 20);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    await assert.rejects(measureVmaf(long, long, { engine: 'builtin', threads: 1, signal: controller.signal }), CancelledError);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const stray = readdirSync('/proc')
      .filter((pid) => /^\d+$/.test(pid))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('long cancel.mkv');
        } catch {
          return false;
        }
      });
    assert.deepEqual(
      stray.map((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        } catch {
          return pid;
        }
      }),
      [],
    );
  });
});
