import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { measureVmaf } from '../../server/src/vmaf/index';
import { poolMean } from '../../server/src/vmaf/pooling';
import { tempDir } from '../helpers/clips';
import {
  accuracyTable,
  loadReferenceCorpus,
  md5File,
  REFERENCE_FEATURES,
  runRecorded,
  type CaseAccuracy,
  type ReferenceCase,
} from '../helpers/vmaf-reference';

/**
 * The built-in engine against libvmaf 3.2.0 on the shared reference corpus. By default (CI) the
 * cases are scored with subsample 8 (frames 0, 8, 16, ... as libvmaf's --subsample 8), which checks
 * each case's per-frame scores and features at an eighth of the cost, on every source with three
 * of its eight distortions (VMAF_REFERENCE_ALL=1: all 56 cases); VMAF_REFERENCE_FULL=1 scores
 * every frame of every case and checks the full pooled scores. VMAF_REFERENCE_ONLY=regex limits the cases.
 * Codec cases are decoded straight from the regenerated bitstream (its md5 checked), so no
 * distorted y4m is written. Set VMAF_ACCURACY_OUT=file to keep the accuracy table.
 */
const corpus = loadReferenceCorpus();
const full = !!process.env.VMAF_REFERENCE_FULL;
const only = process.env.VMAF_REFERENCE_ONLY;
const subsample = full ? 1 : 8;
const threads = Number(process.env.VMAF_REFERENCE_THREADS ?? 2);

describe(`vmaf built-in engine vs libvmaf reference corpus (${full ? 'all frames' : 'subsample 8'})`, function () {
  if (!corpus) {
    // A fresh clone has no corpus beside it and skips, saying so; CI has it (../shared), so there it must run.
    if (process.env.CI)
      it('finds the reference corpus (required under CI)', () =>
        assert.fail('libvmaf reference corpus not found (../shared/vmaf-reference); set VMAF_REFERENCE_DIR'));
    else
      it.skip(
        'libvmaf reference corpus not found (../shared/vmaf-reference beside the repository); set VMAF_REFERENCE_DIR to run this yardstick',
      );
    return;
  }
  const rows: CaseAccuracy[] = [];
  const work = tempDir('chunked-av1-vmaf-ref-');
  // CI default: every source with three distortions (one per codec family); VMAF_REFERENCE_ALL=1 or
  // VMAF_REFERENCE_FULL=1 takes all 56 cases.
  const CI_DISTORTIONS = /__(svtav1_crf35|x264_crf45|scale_half_bicubic)$/;
  const allCases = full || !!process.env.VMAF_REFERENCE_ALL;
  const cases = corpus.cases.filter((c) => (only ? new RegExp(only).test(c.id) : allCases || CI_DISTORTIONS.test(c.id)));
  const sources = [...new Set(cases.map((c) => c.source))];

  after(() => {
    work.cleanup();
    const table = accuracyTable(rows, `built-in engine vs libvmaf 3.2.0 (${full ? 'all frames' : 'subsample 8'})`);
    console.log(`\n${table}\n`);
    if (process.env.VMAF_ACCURACY_OUT) writeFileSync(process.env.VMAF_ACCURACY_OUT, `${table}\n`);
  });

  for (const source of sources) {
    it(`${source}: every distortion within the accuracy bounds`, async function () {
      const dir = path.join(work.dir, source);
      for (const sub of ['ref', 'bs', 'dist']) mkdirSync(path.join(dir, sub), { recursive: true });
      try {
        const failures: string[] = [];
        for (const c of cases.filter((x) => x.source === source)) {
          const row = await scoreCase(c, dir);
          rows.push(row);
          if (row.skipped) {
            console.log(`      skipped ${c.id}: ${row.skipped}`);
            continue;
          }
          console.log(
            `      ${c.id}: ${row.frames} frames, mean ${row.oursMean.toFixed(6)} vs ${row.referenceMean} (diff ${(row.oursMean - row.referenceMean).toFixed(6)}), max frame diff ${row.maxFrameDiff.toFixed(6)}, max feature rel diff ${row.maxFeatureRelDiff.toExponential(2)} (${row.worstFeature}), ${row.seconds.toFixed(1)} s`,
          );
          if (Math.abs(row.oursMean - row.referenceMean) > 0.3) failures.push(`${c.id}: pooled ${row.oursMean} vs ${row.referenceMean}`);
          if (row.maxFrameDiff > 0.5) failures.push(`${c.id}: a frame is off by ${row.maxFrameDiff}`);
          if (row.maxFeatureRelDiff > 1e-3) failures.push(`${c.id}: ${row.worstFeature} off by ${row.maxFeatureRelDiff} relative`);
        }
        assert.deepEqual(failures, []);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('pooled scores: mean absolute difference over the cases <= 0.1', function () {
    const scored = rows.filter((r) => !r.skipped);
    if (scored.length === 0) this.skip();
    const meanAbs = scored.reduce((s, r) => s + Math.abs(r.oursMean - r.referenceMean), 0) / scored.length;
    assert.ok(meanAbs <= 0.1, `mean abs diff ${meanAbs}`);
  });
});

async function scoreCase(c: ReferenceCase, dir: string): Promise<CaseAccuracy> {
  const started = performance.now();
  const blank = { id: c.id, frames: 0, oursMean: 0, referenceMean: 0, maxFrameDiff: 0, maxFeatureRelDiff: 0, worstFeature: '', seconds: 0 };
  const refFile = path.join(dir, c.ref.path);
  if (!existsOrMade(refFile, () => runRecorded(c.commands.ref, dir))) return { ...blank, skipped: 'reference could not be generated' };
  if (md5File(refFile) !== c.ref.file_md5)
    return { ...blank, skipped: 'regenerated reference differs from the recorded md5 (another ffmpeg build?)' };
  let distorted: string;
  if (c.bitstream && c.commands.encode) {
    distorted = path.join(dir, c.bitstream.path);
    runRecorded(c.commands.encode, dir);
    if (md5File(distorted) !== c.bitstream.md5)
      return { ...blank, skipped: 'regenerated bitstream differs from the recorded md5 (another encoder build?)' };
  } else {
    distorted = path.join(dir, c.dist.path);
    runRecorded(c.commands.distort!, dir);
    if (md5File(distorted) !== c.dist.file_md5) return { ...blank, skipped: 'regenerated distorted clip differs from the recorded md5' };
  }
  try {
    const expected = subsample === 1 ? c.vmaf : c.vmaf_subsample8;
    const result = await measureVmaf(refFile, distorted, { engine: 'builtin', subsample, threads });
    assert.deepEqual(
      result.frames.map((f) => f.index),
      expected.per_frame.frameNum,
      `${c.id}: scored frames differ from libvmaf's`,
    );
    let maxFrameDiff = 0,
      maxFeatureRelDiff = 0,
      worstFeature = '';
    result.frames.forEach((frame, k) => {
      maxFrameDiff = Math.max(maxFrameDiff, Math.abs(frame.vmaf - expected.per_frame.vmaf[k]!));
      for (const name of REFERENCE_FEATURES) {
        const want = expected.per_frame[name]![k]!;
        // libvmaf prints 6 decimals: allow that rounding on top of the relative bound.
        const rel = Math.max(0, Math.abs(frame.features[name] - want) - 5e-7) / Math.max(Math.abs(want), 1e-6);
        if (rel > maxFeatureRelDiff) {
          maxFeatureRelDiff = rel;
          worstFeature = `${name} frame ${frame.index}`;
        }
      }
    });
    return {
      // libvmaf pools its scored frames alike; ours weigh each by the frames it stands for (frame-set.ts).
      id: c.id,
      frames: result.frames.length,
      oursMean: subsample === 1 ? result.pooled.mean : poolMean(result.frames.map((f) => f.vmaf)),
      referenceMean: expected.pooled.vmaf.mean,
      maxFrameDiff,
      maxFeatureRelDiff,
      worstFeature,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    rmSync(distorted, { force: true });
  }
}

function existsOrMade(file: string, make: () => void): boolean {
  try {
    md5File(file);
    return true;
  } catch {
    make();
    return true;
  }
}
