import assert from 'node:assert/strict';
import { METRIC_SCALES, VMAF_SCALE, metricScale } from '../../server/src/crf/metric-scale';
import { logDistortion, nextSearchStep, runSearch, type Observation } from '../../server/src/crf/search';
import { judgeFinalEncode, labelCrf, segmentSlope } from '../../server/src/crf/acceptance';
import { flatCurve, missAnswer } from '../../server/src/crf/unreachable';
import { verifiedMiss } from '../../server/src/crf/target-quality-plan';
import { CrfJobState, targetKey } from '../../server/src/crf/crf-job-state';
import { probeKey, type SegmentSearch } from '../../server/src/crf/probe-measure';
import { METRICS } from '../../common/quality-metric';

/** A synthetic XPSNR curve: dB falls linearly with CRF (what its scale assumes). */
const xpsnrAt = (crf: number) => 52 - 0.3 * crf;
/** A synthetic SSIMULACRA2 curve: 100 − score grows exponentially with CRF, and goes past 100 (negative scores). */
const ssimu2At = (crf: number) => 100 - 4 * Math.exp(crf / 20);

describe('the CRF search per target metric (issue 25)', () => {
  it("keeps VMAF's scale as it was, and chooses one per metric that is close to a line in CRF", () => {
    for (const v of [40, 80, 93, 99.9, 100]) assert.equal(VMAF_SCALE.u(v), logDistortion(v));
    assert.equal(metricScale(undefined), VMAF_SCALE);
    // XPSNR: dB is a logarithm already; u is linear in it, so linear in CRF on a linear dB curve.
    const ux = [10, 20, 30].map((crf) => METRIC_SCALES.xpsnr.u(xpsnrAt(crf)));
    assert.ok(Math.abs(ux[0]! - 2 * ux[1]! + ux[2]!) < 1e-12);
    // SSIMULACRA2: defined and decreasing through zero and below it.
    const us = [20, 60, 80, 90].map((crf) => METRIC_SCALES.ssimulacra2.u(ssimu2At(crf)));
    assert.ok(ssimu2At(90) < 0);
    for (let i = 1; i < us.length; i++) assert.ok(us[i]! < us[i - 1]! && Number.isFinite(us[i]!));
    // The band is the metric's own; the VMAF-tuned tolerances scale with it.
    for (const metric of ['vmaf', 'ssimulacra2', 'xpsnr'] as const) {
      assert.equal(METRIC_SCALES[metric].below, METRICS[metric].band.below);
      assert.equal(METRIC_SCALES[metric].above, METRICS[metric].band.above);
    }
    assert.equal(VMAF_SCALE.unit, 1);
  });

  it('finds the highest passing CRF on an XPSNR and a SSIMULACRA2 curve as brute force does', async () => {
    for (const [metric, curve, target] of [
      ['xpsnr', xpsnrAt, 41],
      ['ssimulacra2', ssimu2At, 70],
    ] as const) {
      const scale = METRIC_SCALES[metric];
      const config = { target, minCrf: 10, maxCrf: 63, step: 1, tolerance: 0, scale };
      const run = await runSearch(config, (crf) => Promise.resolve({ crf, vmaf: curve(crf) }));
      let brute = 10;
      for (let crf = 10; crf <= 63; crf++) if (curve(crf) >= target) brute = crf;
      assert.equal(run.crf, brute, `${metric}: ${run.observations.map((o) => o.crf).join(' ')}`);
      assert.ok(run.observations.length <= 6, `${metric}: ${run.observations.length} probes`);
    }
    // The tolerance is in the metric's units: VMAF's 0.5 is 0.25 dB of XPSNR.
    const first = nextSearchStep({ target: 41, minCrf: 10, maxCrf: 63, step: 1, scale: METRIC_SCALES.xpsnr }, [{ crf: 30, vmaf: 41.2 }]);
    assert.deepEqual(first, { done: true, crf: 30, vmaf: 41.2, reason: 'found', reached: true });
    const beyondTolerance = nextSearchStep({ target: 41, minCrf: 10, maxCrf: 63, step: 1, scale: METRIC_SCALES.xpsnr }, [
      { crf: 30, vmaf: 41.3 },
    ]);
    assert.equal(beyondTolerance.done, false);
  });

  it('accepts, misses and marks unreachable in the band of the metric', () => {
    const base = { minCrf: 10, maxCrf: 55, step: 1, slope: 1 / 20 };
    const s2 = METRIC_SCALES.ssimulacra2;
    // 79.2 for a target of 80: under VMAF's 0.5 margin, inside SSIMULACRA2's band.
    assert.equal(judgeFinalEncode({ ...base, target: 80, encodes: [{ crf: 30, vmaf: 79.2 }], scale: s2 }).kind, 'accept');
    assert.equal(judgeFinalEncode({ ...base, target: 80, encodes: [{ crf: 30, vmaf: 79.2 }] }).kind, 'reencode');
    // 80 + above + 0.5: above the band, so re-encoded at a higher CRF.
    const high = judgeFinalEncode({ ...base, target: 80, encodes: [{ crf: 30, vmaf: 80 + s2.above + 0.5 }], scale: s2 });
    assert.ok(high.kind === 'reencode' && high.crf > 30);
    assert.equal(missAnswer({ vmaf: 79.2, target: 80, strict: false, searchSaidUnreachable: false, scale: s2 }), 'met');
    assert.equal(missAnswer({ vmaf: 79.2, target: 80, strict: false, searchSaidUnreachable: false }), 'miss');
    assert.equal(verifiedMiss({ segment: 0, crf: 30, vmaf: 79.2, target: 80, history: [], scale: s2 }), undefined);
    assert.match(
      verifiedMiss({ segment: 0, crf: 30, vmaf: 41.6, target: 42, history: [], scale: METRIC_SCALES.xpsnr })!,
      /^segment 0: verified XPSNR 41\.60 at CRF 30 is under the target 42 by more than 0\.25/,
    );
    // A flat XPSNR curve is judged in dB: 0.3 dB over 8 CRF is flat (0.75 VMAF points is 0.375 dB).
    const flat: Observation[] = [
      { crf: 20, vmaf: 38.2 },
      { crf: 28, vmaf: 38 },
    ];
    assert.ok(flatCurve(flat, 42, METRIC_SCALES.xpsnr));
    assert.ok(
      !flatCurve(
        [
          { crf: 20, vmaf: 39 },
          { crf: 28, vmaf: 38 },
        ],
        42,
        METRIC_SCALES.xpsnr,
      ),
    );
    // Labels and slopes in the metric's u.
    const points = [20, 30, 40].map((crf) => ({ crf, vmaf: xpsnrAt(crf) }));
    assert.ok(Math.abs(segmentSlope(points, METRIC_SCALES.xpsnr)! - 0.3 * METRIC_SCALES.xpsnr.u(1)) < 1e-12);
    const slope = segmentSlope(points, METRIC_SCALES.xpsnr)!;
    const label = labelCrf({ crf: 30, vmaf: xpsnrAt(30), target: xpsnrAt(31), slope, minCrf: 10, maxCrf: 55, scale: METRIC_SCALES.xpsnr });
    assert.ok(Math.abs(label - 31) < 1e-9);
  });

  it("keeps each target's labels apart, and keys its measurements by metric and pool", () => {
    const job = new CrfJobState();
    const vmaf93 = targetKey({ metric: 'vmaf', value: 93, pool: 'harmonic_mean' });
    const vmaf95 = targetKey({ metric: 'vmaf', value: 95, pool: 'harmonic_mean' });
    const ssimu80 = targetKey({ metric: 'ssimulacra2', value: 80, pool: 'mean' });
    assert.equal(new Set([vmaf93, vmaf95, ssimu80, targetKey({ metric: 'ssimulacra2', value: 80, pool: 'p5' })]).size, 4);
    // The first target is the job's state itself (a one-target job reads and writes it as before).
    assert.equal(job.forTarget(vmaf93), job);
    assert.equal(job.forTarget(vmaf93), job);
    job.forTarget(vmaf93).recordLabel({ segment: 0, bitsPerPixel: 0.1, crf: 30 });
    const other = job.forTarget(ssimu80);
    assert.notEqual(other, job);
    assert.deepEqual(other.labels, []);
    assert.equal(job.forTarget(vmaf95).labels.length, 0);
    assert.equal(other.described, job.described, 'described inputs are shared');

    const search = {
      identity: { source: 'abc', keepFrom: 0, keepTo: 2 },
      plan: { fullPass: true, ranges: [], frames: 48 },
      encoder: 'libsvtav1 1.4.1',
      probeSettings: { preset: 8 },
      vmafSettings: { subsample: 3, pool: 'harmonic_mean', engine: 'auto' },
    } as unknown as SegmentSearch;
    const vmafKey = probeKey(search, 30);
    const ssimuKey = probeKey({ ...search, vmafSettings: { ...search.vmafSettings, pool: 'mean', metric: 'ssimulacra2' } }, 30);
    const ssimuP5 = probeKey({ ...search, vmafSettings: { ...search.vmafSettings, pool: 'p5', metric: 'ssimulacra2' } }, 30);
    assert.equal(new Set([vmafKey, ssimuKey, ssimuP5]).size, 3);
  });
});
