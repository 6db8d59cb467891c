import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { measureSsimulacra2, measureXpsnr } from '../../server/src/metrics';
import { rgbFilter } from '../../server/src/metrics/decode-args';
import { tempDir } from '../helpers/clips';

/**
 * The built-in SSIMULACRA2 and XPSNR engines against the reference corpus (../shared/metric-reference:
 * the cloudinary/ssimulacra2 tool's AVX-512 build, FFmpeg 7.1.5's xpsnr filter), when
 * METRIC_REFERENCE_DIR names it. The clips are regenerated with its regenerate.sh (about 30 s, 581 MB;
 * METRIC_REFERENCE_CLIPS=dir reuses clips made before). XPSNR: every frame of every case. SSIMULACRA2
 * costs seconds per 720p frame in plain TypeScript, so frames 0, 8, 16, ... by default and every
 * frame with METRIC_REFERENCE_FULL=1; the pooled check compares the means over the same frames.
 * METRIC_REFERENCE_ONLY=regex limits the cases; METRIC_ACCURACY_OUT=file keeps the table.
 */
interface MetricCase {
  id: string;
  width: number;
  height: number;
  bitdepth: number;
  frames: number;
  ref: { path: string; rgb_md5: string };
  dist: { path: string; rgb_md5: string };
  ssimulacra2: number[];
  xpsnr_y_hp: number[];
  xpsnr_u_hp: number[];
  xpsnr_v_hp: number[];
  pooled: { xpsnr_hp: { y: number; u: number; v: number; minimum: number } };
}

const dir = process.env.METRIC_REFERENCE_DIR;
const full = !!process.env.METRIC_REFERENCE_FULL;
const only = process.env.METRIC_REFERENCE_ONLY;
const subsample = full ? 1 : 8;

describe(`built-in SSIMULACRA2 and XPSNR vs the metric reference corpus (SSIMULACRA2 ${full ? 'every frame' : 'every 8th frame'})`, function () {
  if (!dir || !existsSync(path.join(dir, 'metric_reference.json'))) {
    it.skip('METRIC_REFERENCE_DIR (../shared/metric-reference) not set: the exactness yardstick does not run');
    return;
  }
  const cases = (JSON.parse(readFileSync(path.join(dir, 'metric_reference.json'), 'utf8')) as { cases: MetricCase[] }).cases.filter(
    (c) => !only || new RegExp(only).test(c.id),
  );
  const made = process.env.METRIC_REFERENCE_CLIPS ? undefined : tempDir('chunked-av1-metric-ref-');
  const clips = process.env.METRIC_REFERENCE_CLIPS ?? made!.dir;
  const rows: string[] = [];

  before(function () {
    this.timeout(20 * 60_000);
    if (made) execFileSync(path.join(dir, 'regenerate.sh'), [clips], { stdio: ['ignore', 'ignore', 'pipe'] });
  });
  after(() => {
    made?.cleanup();
    const table = ['case | XPSNR max frame diff (dB) | pooled diff | SSIMULACRA2 frames | max frame diff | mean diff', ...rows].join('\n');
    console.log(`\n${table}\n`);
    if (process.env.METRIC_ACCURACY_OUT) writeFileSync(process.env.METRIC_ACCURACY_OUT, `${table}\n`);
  });

  for (const c of cases) {
    it(`${c.id}: XPSNR within 0.05 dB per frame and pooled, SSIMULACRA2 within 0.5 per frame and 0.2 pooled`, async function () {
      this.timeout(60 * 60_000);
      const ref = path.join(clips, c.ref.path);
      const dist = path.join(clips, c.dist.path);
      // The input check first: our R'G'B' must be the reference's, else its scores do not apply.
      for (const [file, want] of [
        [ref, c.ref.rgb_md5],
        [dist, c.dist.rgb_md5],
      ] as const) {
        const format = c.bitdepth > 8 ? 'rgb48be' : 'rgb24';
        const filter = rgbFilter(c.bitdepth).replace(/format=\w+$/, `format=${format}`);
        const md5 = execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-i', file, '-vf', filter, '-f', 'md5', '-'], {
          encoding: 'utf8',
        });
        assert.equal(md5.trim().replace(/^MD5=/, ''), want, `${file}: R'G'B' differs from the reference's`);
      }

      const xpsnr = await measureXpsnr(ref, dist);
      assert.equal(xpsnr.frames.length, c.frames);
      let xpsnrMax = 0;
      xpsnr.frames.forEach((f, i) => {
        xpsnrMax = Math.max(xpsnrMax, Math.abs(f.y - c.xpsnr_y_hp[i]!), Math.abs(f.u - c.xpsnr_u_hp[i]!), Math.abs(f.v - c.xpsnr_v_hp[i]!));
      });
      const hp = c.pooled.xpsnr_hp;
      const pooledDiff = Math.max(...(['y', 'u', 'v', 'minimum'] as const).map((k) => Math.abs(xpsnr.pooled[k] - hp[k])));

      const ssimu = await measureSsimulacra2(ref, dist, { subsample });
      let ssimuMax = 0;
      ssimu.frames.forEach((s, k) => (ssimuMax = Math.max(ssimuMax, Math.abs(s - c.ssimulacra2[ssimu.indices[k]!]!))));
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const meanDiff = mean(ssimu.frames) - mean(ssimu.indices.map((i) => c.ssimulacra2[i]!));
      rows.push(
        `${c.id} | ${xpsnrMax.toExponential(2)} | ${pooledDiff.toExponential(2)} | ${ssimu.frames.length} | ${ssimuMax.toFixed(4)} | ${meanDiff.toFixed(4)}`,
      );
      assert.ok(xpsnrMax <= 0.05, `XPSNR frame off by ${xpsnrMax} dB`);
      assert.ok(pooledDiff <= 0.05, `XPSNR pooled off by ${pooledDiff} dB`);
      assert.ok(ssimuMax <= 0.5, `SSIMULACRA2 frame off by ${ssimuMax}`);
      assert.ok(Math.abs(meanDiff) <= 0.2, `SSIMULACRA2 mean off by ${meanDiff}`);
    });
  }
});
