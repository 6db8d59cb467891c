import assert from 'node:assert/strict';
import { copyFileSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../server/src/errors';
import { observeCommands } from '../../server/src/sys';
import { describeVmafInput, measureVmaf, VmafReferenceCache, type VmafOptions, type VmafResult } from '../../server/src/vmaf/index';
import { ffmpegSync, tempDir } from '../helpers/clips';

/**
 * What target quality leans on to measure cheaply, against the plain measurement with real
 * ffmpeg and SVT-AV1: inputs the caller describes (no ffprobe) and a kept reference (frames and
 * motion decoded once) give the very same numbers, and bad input still fails clearly.
 */
describe('VMAF measurements that reuse what is known (built-in engine)', function () {
  this.timeout(300_000);
  const { dir, cleanup } = tempDir('chunked-av1-vmaf-reuse-');
  const ref = path.join(dir, 'reference.mkv');
  const crf30 = path.join(dir, 'crf30.mkv');
  const crf50 = path.join(dir, 'crf50.mkv');
  const short = path.join(dir, 'short.mkv');
  const small = path.join(dir, 'small.mkv');
  const info = { width: 320, height: 240, pixFmt: 'yuv420p10le' };
  const base: VmafOptions = { engine: 'builtin', threads: 2, pool: 'harmonic_mean' };

  before(() => {
    // 51 frames: the last scored frame is not the last frame for subsamples 2, 3 and 8.
    ffmpegSync([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=320x240:r=25,noise=alls=6:allf=t',
      '-frames:v',
      '51',
      '-pix_fmt',
      'yuv420p10le',
      '-c:v',
      'ffvhuff',
      ref,
    ]);
    for (const [file, crf] of [
      [crf30, 30],
      [crf50, 50],
    ] as const) {
      ffmpegSync(['-i', ref, '-c:v', 'libsvtav1', '-preset', '12', '-crf', String(crf), '-pix_fmt', 'yuv420p10le', file]);
    }
    ffmpegSync(['-i', ref, '-vf', 'scale=160:120', '-c:v', 'libsvtav1', '-preset', '12', '-pix_fmt', 'yuv420p10le', small]);
    ffmpegSync(['-i', ref, '-frames:v', '40', '-c:v', 'libsvtav1', '-preset', '12', '-crf', '40', '-pix_fmt', 'yuv420p10le', short]);
  });
  after(() => cleanup());

  const same = (actual: VmafResult, expected: VmafResult, what: string) => {
    assert.deepEqual(actual.frames, expected.frames, what);
    assert.equal(actual.score, expected.score, what);
    assert.equal(actual.frameCount, expected.frameCount, what);
  };

  for (const subsample of [1, 2, 3, 8]) {
    it(`subsample ${subsample}: a kept reference and described inputs give the plain scores, frame for frame`, async () => {
      const plain30 = await measureVmaf(ref, crf30, { ...base, subsample });
      const plain50 = await measureVmaf(ref, crf50, { ...base, subsample });
      const referenceCache = new VmafReferenceCache();
      const options = { ...base, subsample, referenceCache, inputs: { reference: info, distorted: info } };
      same(await measureVmaf(ref, crf50, options), plain50, 'filling the cache');
      assert.ok(
        referenceCache.get(VmafReferenceCache.keyOf({ path: ref, role: 'reference', ...info, bitDepth: 10 }, 10), subsample),
        'kept',
      );
      same(await measureVmaf(ref, crf30, options), plain30, 'from the cache');
      same(await measureVmaf(ref, crf50, options), plain50, 'from the cache again');
      assert.ok(plain30.score > plain50.score);
    });
  }

  it('a reference over the budget is not kept, and still measured right', async () => {
    const referenceCache = new VmafReferenceCache(320 * 240 * 2 * 3);
    const plain = await measureVmaf(ref, crf30, { ...base, subsample: 8 });
    same(await measureVmaf(ref, crf30, { ...base, subsample: 8, referenceCache }), plain, 'over the budget');
    assert.equal(referenceCache.get(VmafReferenceCache.keyOf({ path: ref, role: 'reference', ...info, bitDepth: 10 }, 10), 8), undefined);
  });

  it('one kept reference serves strides 7 and 3 (a final encode scored coarse, then near the bound): decoded once per stride, never again', async () => {
    const plain = {
      7: await measureVmaf(ref, crf30, { ...base, subsample: 7 }),
      3: await measureVmaf(ref, crf30, { ...base, subsample: 3 }),
    };
    const referenceCache = new VmafReferenceCache();
    const decodes: string[] = [];
    const stop = observeCommands((argv) => {
      if (argv.some((a) => a.endsWith('reference.mkv'))) decodes.push(argv.join(' '));
    });
    try {
      for (const subsample of [7, 3, 7, 3] as const) {
        same(
          await measureVmaf(ref, crf30, { ...base, subsample, referenceCache, inputs: { reference: info, distorted: info } }),
          plain[subsample],
          `stride ${subsample}`,
        );
      }
    } finally {
      stop();
    }
    assert.equal(decodes.length, 2, 'the reference is decoded for the first stride 7 and the first stride 3 only');
    const key = VmafReferenceCache.keyOf({ path: ref, role: 'reference', ...info, bitDepth: 10 }, 10);
    assert.equal(referenceCache.kept(key)?.frames.size, 8 + 17 - 3, 'frames 0 mod 7 or 0 mod 3 of 51, each once');
    assert.equal(referenceCache.storedBytes, (8 + 17 - 3) * 320 * 240 * 2);
    referenceCache.clear();
  });

  it('a changed reference file is decoded again', async () => {
    const copy = path.join(dir, 'reference-copy.mkv');
    copyFileSync(ref, copy);
    const referenceCache = new VmafReferenceCache();
    const options = { ...base, subsample: 8, referenceCache };
    const before = await measureVmaf(copy, crf30, options);
    // Another reference under the same name: the CRF 50 encode, so the score must change.
    copyFileSync(crf50, copy);
    utimesSync(copy, new Date(), new Date(Date.now() + 5000));
    const after = await measureVmaf(copy, crf30, options);
    assert.notEqual(after.score, before.score);
    same(after, await measureVmaf(copy, crf30, { ...base, subsample: 8 }), 'the new reference');
  });

  it('an input decoded through a filter scores as the lossless file cut with that filter (what target quality no longer writes)', async () => {
    const source = path.join(dir, 'source.mkv');
    const cut = path.join(dir, 'cut.mkv');
    const encoded = path.join(dir, 'cut-encoded.mkv');
    ffmpegSync([
      '-f',
      'lavfi',
      '-i',
      'mandelbrot=s=320x240:r=25',
      '-frames:v',
      '75',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-qp',
      '0',
      '-g',
      '25',
      source,
    ]);
    const filter = "select='gte(t,0.6)*lt(t,2.4)',setpts=PTS-STARTPTS,format=yuv420p10le";
    ffmpegSync(['-copyts', '-i', source, '-map', '0:v:0', '-vf', filter, '-fps_mode', 'passthrough', '-c:v', 'ffvhuff', cut]);
    ffmpegSync(['-i', cut, '-c:v', 'libsvtav1', '-preset', '12', '-crf', '45', '-pix_fmt', 'yuv420p10le', encoded]);
    for (const subsample of [1, 8]) {
      const fromCut = await measureVmaf(cut, encoded, { ...base, subsample });
      const referenceCache = new VmafReferenceCache();
      const options = {
        ...base,
        subsample,
        referenceCache,
        inputs: { reference: { ...info, through: { inputOptions: ['-copyts'], filter } }, distorted: info },
      };
      same(await measureVmaf(source, encoded, options), fromCut, `through the filter, subsample ${subsample}`);
      same(await measureVmaf(source, encoded, options), fromCut, `kept, subsample ${subsample}`);
      assert.equal(fromCut.frameCount, 45);
    }
    await assert.rejects(
      measureVmaf(source, encoded, {
        ...base,
        engine: 'libvmaf',
        inputs: { reference: { ...info, through: { inputOptions: [], filter } } },
      }),
    );
  });

  it('describeVmafInput reports what ffprobe sees; described inputs keep the file check and the frame count check', async () => {
    assert.deepEqual(await describeVmafInput(ref), info);
    await assert.rejects(
      measureVmaf(path.join(dir, 'missing.mkv'), crf30, { ...base, inputs: { reference: info } }),
      (error: unknown) => error instanceof UserError && /reference .*missing\.mkv: no such file/.test(error.message),
    );
    const referenceCache = new VmafReferenceCache();
    const options = { ...base, subsample: 8, referenceCache, inputs: { reference: info, distorted: info } };
    await measureVmaf(ref, crf30, options);
    for (const attempt of ['kept reference', 'plain']) {
      await assert.rejects(
        measureVmaf(ref, short, attempt === 'plain' ? { ...base, subsample: 8 } : options),
        (error: unknown) =>
          error instanceof UserError && /frame counts differ: reference .* has 51 frames, distorted .* has 40/.test(error.message),
        attempt,
      );
    }
    // A wrong description of the distorted file (it is 160x120) does not pass unnoticed.
    await assert.rejects(
      measureVmaf(ref, small, options),
      (error: unknown) =>
        error instanceof UserError && /frame counts differ: reference .* has 51 frames, distorted .*small\.mkv has 12/.test(error.message),
    );
  });
});
