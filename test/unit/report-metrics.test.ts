import assert from 'node:assert/strict';
import { recordedManifest } from '../helpers/recorded-manifest';
import { ssimulacra2Manifest, zonedManifest } from '../helpers/metric-zone-manifests';
import { buildQualityReport } from '../../server/src/report/model';
import { bandAround } from '../../common/quality-target';

/**
 * The report model's metric (issue 25) and zones (issue 26), from recorded manifests: the job's
 * target metric and band, each segment's scores, the --also-score metric, per-frame scores, and
 * each zone's range over unequal segments. A VMAF job recorded before either gives the same model.
 */
describe('quality report model: metrics and zones', () => {
  it('a SSIMULACRA2 job with --also-score vmaf: its metric, target and band; each segment scores; the second metric beside', () => {
    const report = buildQualityReport(ssimulacra2Manifest());
    assert.equal(report.metric, 'ssimulacra2');
    assert.equal(report.mode, 'target-quality');
    assert.deepEqual(report.target, { vmaf: 80, low: 79, high: 84, pool: 'mean' });
    assert.deepEqual(report.alsoScored, ['vmaf']);
    assert.deepEqual(
      report.segments.map((s) => [s.scores, s.vmaf, s.band]),
      [
        [{ vmaf: 94.1, ssimulacra2: 81.2 }, 94.1, 'within'],
        [{ vmaf: 91.7, ssimulacra2: 78.4 }, 91.7, 'below'],
        [{ vmaf: 96.2, ssimulacra2: 83.9 }, 96.2, 'within'],
      ],
    );
    // Frame-weighted in the job's metric (equal 24-frame segments: the plain mean), not in VMAF.
    const q = report.quality!;
    assert.ok(Math.abs(q.meanVmaf - (81.2 + 78.4 + 83.9) / 3) < 1e-9, String(q.meanVmaf));
    assert.equal(q.minVmaf, 78.4);
    assert.equal(q.minSegment, 1);
    assert.equal(q.belowBand, 1);
    // VMAF's frames as before; the other metrics' frames apart.
    const first = report.segments[0]!;
    assert.deepEqual(first.scoredFrames?.[1], { index: 4, vmaf: 94 });
    assert.equal(first.frameScores?.length, 6);
    assert.deepEqual(first.frameScores?.[1], { index: 4, scores: { ssimulacra2: 81.10000000000001 } });
  });

  it('a job recorded before issue 25 (VMAF only): metric vmaf, no scores, no second metric; the rest unchanged', () => {
    const manifest = recordedManifest(2, { targetVmaf: 93 }, (i) => ({
      state: 'done',
      attempts: 1,
      crf: 30,
      vmaf: i ? 92.1 : 93.6,
      bytes: 1000,
      hash: 'h',
      extra: { scoredFrames: [{ index: 0, vmaf: 93 }] },
    }));
    const report = buildQualityReport(manifest);
    assert.equal(report.metric, 'vmaf');
    assert.deepEqual(report.target, { vmaf: 93, low: 92.5, high: 95 });
    assert.equal(report.alsoScored, undefined);
    assert.equal(report.zones, undefined);
    assert.deepEqual(
      report.segments.map((s) => [s.vmaf, s.band, s.scores, s.frameScores, s.zone, s.target]),
      [
        [93.6, 'within', undefined, undefined, undefined, undefined],
        [92.1, 'below', undefined, undefined, undefined, undefined],
      ],
    );
    assert.deepEqual(report.segments[0]!.scoredFrames, [{ index: 0, vmaf: 93 }]);
    assert.ok(Math.abs(report.quality!.meanVmaf - (93.6 + 92.1) / 2) < 1e-9);
  });

  it('the target as the pipeline keeps it in the settings ({ metric, value, pool, low, high }, common/quality-target.ts)', () => {
    const manifest = ssimulacra2Manifest();
    delete (manifest as { target?: unknown }).target;
    Object.assign(manifest.settings, { target: { metric: 'ssimulacra2', value: 75, pool: 'p10', low: 74, high: 79 } });
    const report = buildQualityReport(manifest);
    assert.equal(report.metric, 'ssimulacra2');
    assert.deepEqual(report.target, { vmaf: 75, low: 74, high: 79, pool: 'p10' });
    assert.deepEqual(
      report.segments.map((s) => s.band),
      ['above', 'within', 'above'],
    );
  });

  it('an XPSNR job whose target is only in its settings: the metric band from quality-metric.ts', () => {
    const manifest = recordedManifest(1, {}, () => ({ state: 'done', attempts: 1, crf: 30, bytes: 1000, hash: 'h' }));
    Object.assign(manifest.settings, { targetMetric: 'xpsnr', target: 42 });
    manifest.segments.forEach((record) => Object.assign(record, { scores: { xpsnr: 41.5 } }));
    const report = buildQualityReport(manifest);
    assert.equal(report.metric, 'xpsnr');
    // The band is quality-metric.ts's (a fact written once), not a copy of its numbers.
    assert.deepEqual(report.target, { vmaf: 42, ...bandAround('xpsnr', 42) });
    assert.equal(report.segments[0]!.band, 'below');
    assert.equal(report.segments[0]!.vmaf, undefined);
  });

  it('a fixed-CRF job scored with --also-score: no target, every scored metric charted', () => {
    const manifest = recordedManifest(1, { crf: 30 }, () => ({ state: 'done', attempts: 1, crf: 30, bytes: 1000, hash: 'h' }));
    manifest.segments.forEach((record) => Object.assign(record, { scores: { ssimulacra2: 70.1 } }));
    const report = buildQualityReport(manifest);
    assert.equal(report.mode, 'fixed-crf');
    assert.equal(report.target, undefined);
    assert.deepEqual(report.alsoScored, ['ssimulacra2']);
    assert.equal(report.segments[0]!.band, undefined);
  });

  it('zones over unequal segments: each segment its zone and label, each zone its exact frames and times; its own target sets the band', () => {
    const report = buildQualityReport(zonedManifest());
    assert.deepEqual(
      report.segments.map((s) => s.zone?.label),
      [undefined, 'zone 0: target-vmaf=95', 'zone 0: target-vmaf=95'],
    );
    assert.deepEqual(report.segments[1]!.zone, { index: 0, overrides: { 'target-vmaf': 95 }, label: 'zone 0: target-vmaf=95' });
    assert.deepEqual(report.zones, [
      {
        index: 0,
        overrides: { 'target-vmaf': 95 },
        label: 'zone 0: target-vmaf=95',
        startFrame: 60,
        endFrame: 144,
        startSeconds: 2.5,
        endSeconds: 6,
        segments: [1, 2],
      },
    ]);
    // Segment 1's 94.2 is within the job's band but below its zone's (95 − 0.5).
    assert.deepEqual(
      report.segments.map((s) => [s.target, s.band]),
      [
        [undefined, 'within'],
        [95, 'below'],
        [95, 'within'],
      ],
    );
  });
});
