import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DoneEvent, JobEvent } from '../../common/events';
import { parseEncodeOptions } from '../../common/options';
import { ffmpegSync, tempDir } from '../helpers/clips';
import { runCliSync } from '../helpers/cli';

/**
 * Issue #16: the VMAF we report must be within 0.3 of the every-frame score of the same pool, on
 * real SVT-AV1 encodes whose 16-frame mini-GOPs code positions 0 and 8 best (stride 8 scored
 * only those). Through the CLI's `vmaf` command at the encode default's stride, and through the
 * target-quality verification of an `encode --target-vmaf --json` run.
 */
const BOUND = 0.3;
const DEFAULT_STRIDE = parseEncodeOptions({ input: 'x.mkv' }).vmafSubsample;
const LIBVMAF_FFMPEG = process.env.CHUNKED_AV1_TEST_LIBVMAF_FFMPEG || path.resolve(__dirname, '../../.cache/libvmaf-ffmpeg/ffmpeg');
/** 120 frames at 24 fps: seven and a half mini-GOPs, one 5 s segment. */
const FRAMES = 120;

interface VmafJson {
  score: number;
  frames: { index: number; vmaf: number }[];
  frameCount: number;
  engine: string;
}

function vmaf(reference: string, distorted: string, extra: string[]): VmafJson {
  const run = runCliSync(['vmaf', reference, distorted, '--pool', 'harmonic_mean', '--json', ...extra]);
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as VmafJson;
}

function source(file: string, pixFmt: string): string {
  // testsrc2 with film-like grain: per-frame quality follows the mini-GOP layers (bench/vmaf-sampling).
  ffmpegSync([
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=320x180:r=24,noise=alls=14:allf=t',
    '-frames:v',
    String(FRAMES),
    '-pix_fmt',
    pixFmt,
    '-c:v',
    'ffvhuff',
    file,
  ]);
  return file;
}

function svtEncode(input: string, output: string, preset: number, crf: number, pixFmt: string): string {
  ffmpegSync(['-i', input, '-c:v', 'libsvtav1', '-preset', String(preset), '-crf', String(crf), '-g', '240', '-pix_fmt', pixFmt, output]);
  return output;
}

describe("VMAF frame selection is not biased by the encoder's mini-GOP (integration, issue #16)", function () {
  this.timeout(600_000);
  const { dir, cleanup } = tempDir('chunked-av1-vmaf-bias-');
  const ref10 = path.join(dir, 'ref10.mkv');
  before(() => source(ref10, 'yuv420p10le'));
  after(() => cleanup());

  for (const preset of [10, 8]) {
    it(`vmaf --subsample ${DEFAULT_STRIDE} (the encode default) is within ${BOUND} of every frame, SVT-AV1 preset ${preset}`, () => {
      const encoded = svtEncode(ref10, path.join(dir, `p${preset}.mkv`), preset, 40, 'yuv420p10le');
      const every = vmaf(ref10, encoded, ['--engine', 'builtin', '--subsample', '1']);
      const sampled = vmaf(ref10, encoded, ['--engine', 'builtin', '--subsample', String(DEFAULT_STRIDE)]);
      const stride8 = vmaf(ref10, encoded, ['--engine', 'builtin', '--subsample', '8']);
      assert.equal(every.frames.length, FRAMES);
      assert.deepEqual(
        sampled.frames.map((f) => f.index),
        every.frames.filter((f) => f.index % DEFAULT_STRIDE === 0).map((f) => f.index),
      );
      const bias = sampled.score - every.score;
      process.stderr.write(
        `      preset ${preset}: every frame ${every.score.toFixed(2)}, stride ${DEFAULT_STRIDE} ${bias >= 0 ? '+' : ''}${bias.toFixed(2)}, stride 8 ${(stride8.score - every.score).toFixed(2)}\n`,
      );
      assert.ok(Math.abs(bias) <= BOUND, `stride ${DEFAULT_STRIDE}: ${sampled.score} against every frame ${every.score}`);
      // The test can tell: stride 8 (the old default) is off by more on the same encode (measured +0.69 at preset 10).
      if (preset === 10) assert.ok(stride8.score - every.score > BOUND, `stride 8: ${stride8.score} against every frame ${every.score}`);
    });
  }

  it(`libvmaf (n_subsample=${DEFAULT_STRIDE}) scores the same frames, within ${BOUND} of every frame`, function () {
    if (!existsSync(LIBVMAF_FFMPEG)) {
      if (process.env.CI) throw new Error(`${LIBVMAF_FFMPEG} is missing: scripts/setup.sh fetches it`);
      this.skip();
    }
    // libvmaf 1.x in ffmpeg 4.1 misreads 10-bit input: an 8-bit encode.
    const ref8 = source(path.join(dir, 'ref8.mkv'), 'yuv420p');
    const encoded = svtEncode(ref8, path.join(dir, 'p10-8bit.mkv'), 10, 40, 'yuv420p');
    const every = vmaf(ref8, encoded, ['--engine', 'builtin', '--subsample', '1']);
    const libvmaf = vmaf(ref8, encoded, ['--engine', 'libvmaf', '--vmaf-ffmpeg', LIBVMAF_FFMPEG, '--subsample', String(DEFAULT_STRIDE)]);
    assert.equal(libvmaf.engine, 'libvmaf');
    assert.deepEqual(
      libvmaf.frames.map((f) => f.index),
      every.frames.filter((f) => f.index % DEFAULT_STRIDE === 0).map((f) => f.index),
    );
    assert.ok(Math.abs(libvmaf.score - every.score) <= BOUND, `libvmaf ${libvmaf.score} against every frame ${every.score}`);
  });

  it(`encode --target-vmaf: the verified VMAF in --json is within ${BOUND} of the output scored on every frame`, () => {
    const output = path.join(dir, 'out.mkv');
    const run = runCliSync(['encode', ref10, '-o', output, '--target-vmaf', '93', '--preset', '10', '--vmaf-engine', 'builtin', '--json'], {
      timeoutMs: 540_000,
    });
    assert.equal(run.status, 0, run.stderr);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as JobEvent);
    const done = events.find((e): e is DoneEvent => e.event === 'done')!;
    // One segment: the output is that segment, so its every-frame score is the segment's.
    assert.equal(done.segments.length, 1);
    const verified = done.segments[0]!.vmaf!;
    assert.equal(typeof verified, 'number');
    const every = vmaf(ref10, output, ['--engine', 'builtin', '--subsample', '1']);
    assert.equal(every.frameCount, FRAMES);
    process.stderr.write(`      CRF ${done.segments[0]!.crf}: verified ${verified.toFixed(2)}, every frame ${every.score.toFixed(2)}\n`);
    assert.ok(Math.abs(verified - every.score) <= BOUND, `verified ${verified} against every frame ${every.score}`);
  });
});
