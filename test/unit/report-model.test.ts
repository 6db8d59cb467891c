import assert from 'node:assert/strict';
import { recordedManifest } from '../helpers/recorded-manifest';
import { sceneCutManifest } from '../helpers/scene-cut-manifest';
import { buildQualityReport, type QualityCacheRecord } from '../../server/src/report/model';
import { reportHtml } from '../../server/src/report/html';
import { bytesPerRange } from '../../server/src/report/source-bytes';

/**
 * The quality report model (#15) from recorded manifests: literal manifest JSON as the pipeline
 * writes it, parsed by the manifest's schema, so the model is tested on what a job leaves behind.
 */

const probe = (crf: number, vmaf: number) => ({ crf, vmaf, bytes: 1000 * (60 - crf), seconds: 0.5 });

describe('quality report model', () => {
  it('a target-quality job with a failed segment: the failure and its cause, no numbers, totals count it', () => {
    const manifest = recordedManifest(
      3,
      { targetVmaf: 93, minCrf: 10, maxCrf: 55 },
      (i) =>
        i === 1
          ? { state: 'failed', attempts: 3, crf: 40, lastError: 'ffmpeg failed: exit 1' }
          : {
              state: 'done',
              attempts: 1,
              crf: 30 + i,
              vmaf: i === 0 ? 92.3 : 93.4,
              bytes: 125_000,
              hash: 'h',
              extra: { probes: [probe(30, 93.1), probe(36, 91.2)] },
            },
      'failed',
    );
    const report = buildQualityReport(manifest);
    assert.equal(report.mode, 'target-quality');
    assert.deepEqual(report.target, { vmaf: 93, low: 92.5, high: 95 });
    assert.equal(report.status, 'failed');
    const failed = report.segments[1]!;
    assert.equal(failed.state, 'failed');
    assert.equal(failed.error, 'ffmpeg failed: exit 1');
    assert.equal(failed.attempts, 3);
    assert.equal(failed.crf, undefined, 'a failed segment shows no CRF of a discarded attempt');
    assert.equal(failed.vmaf, undefined);
    assert.deepEqual(
      { done: report.totals.done, failed: report.totals.failed, pending: report.totals.pending },
      { done: 2, failed: 1, pending: 0 },
    );
    assert.equal(report.segments[0]!.band, 'below', '92.3 < 93 − 0.5');
    assert.equal(report.segments[2]!.band, 'within');
    assert.equal(report.segments[0]!.kbps, 1000, '125 000 bytes in 1 s');
    assert.deepEqual(report.segments[0]!.probes, [probe(30, 93.1), probe(36, 91.2)]);
    assert.equal(report.totals.encodedBytes, 250_000);
    assert.equal(report.quality!.belowBand, 1);
    assert.equal(report.quality!.minSegment, 0);
    assert.ok(Math.abs(report.quality!.meanVmaf - (92.3 + 93.4) / 2) < 1e-9);
    assert.equal(report.totals.saving, undefined, 'no saving without the output');
  });

  it('a resumed job cancelled part-way: the kept segment has its numbers and probes, the skipped ones none', () => {
    const manifest = recordedManifest(
      4,
      { targetVmaf: 90 },
      (i) =>
        i === 0
          ? {
              state: 'done',
              attempts: 1,
              crf: 44,
              vmaf: 90.8,
              bytes: 50_000,
              hash: 'h',
              settingsKey: 'k',
              extra: { probes: [probe(44, 90.9)], warning: 'kept from an earlier run', peakRssBytes: 123 },
            }
          : {},
      'cancelled',
    );
    const report = buildQualityReport(manifest);
    assert.equal(report.status, 'cancelled');
    assert.equal(report.segments[0]!.warning, 'kept from an earlier run');
    assert.deepEqual(report.segments[0]!.probes, [probe(44, 90.9)]);
    for (const skipped of report.segments.slice(1)) {
      assert.equal(skipped.state, 'pending');
      assert.deepEqual(
        [skipped.crf, skipped.vmaf, skipped.bytes, skipped.kbps, skipped.band],
        [undefined, undefined, undefined, undefined, undefined],
      );
      assert.deepEqual(skipped.probes, []);
    }
    assert.deepEqual([report.totals.done, report.totals.pending], [1, 3]);
    assert.deepEqual(
      report.segments.map((s) => [s.startSeconds, s.endSeconds]),
      [
        [0, 1],
        [1, 2],
        [2, 3],
        [3, 4],
      ],
      'film time from the plan',
    );
  });

  it('a fixed-CRF job: no target, no VMAF figures, the cache ignored; the output size gives the saving', () => {
    const manifest = recordedManifest(2, { crf: 35 }, () => ({ state: 'done', attempts: 1, crf: 35, bytes: 40_000, hash: 'h' }));
    const stray: QualityCacheRecord[] = [{ type: 'measurement', key: 'x', crf: 30, vmaf: 95, bytes: 1, seconds: 1, segment: 0 }];
    const report = buildQualityReport(manifest, stray, { outputBytes: 2_500_000, wallSeconds: 12.5 });
    assert.equal(report.mode, 'fixed-crf');
    assert.equal(report.crf, 35);
    assert.equal(report.target, undefined);
    assert.equal(report.quality, undefined);
    assert.ok(report.segments.every((s) => s.vmaf === undefined && s.band === undefined && s.probes.length === 0));
    assert.equal(report.totals.saving, 0.75);
    assert.equal(report.totals.outputBytes, 2_500_000);
    assert.equal(report.totals.wallSeconds, 12.5);
    assert.equal(report.totals.kbps, 320, '80 000 bytes in 2 s');
  });

  it('probes come from the quality cache when the manifest kept none (latest measurement per CRF)', () => {
    const manifest = recordedManifest(2, { targetVmaf: 93 }, () => ({
      state: 'done',
      attempts: 1,
      crf: 32,
      vmaf: 93.2,
      bytes: 1000,
      hash: 'h',
    }));
    const cache: QualityCacheRecord[] = [
      { type: 'measurement', key: 'a', crf: 32, vmaf: 93.0, bytes: 10, seconds: 1, segment: 1 },
      { type: 'measurement', key: 'b', crf: 40, vmaf: 90.0, bytes: 8, seconds: 1, segment: 1 },
      { type: 'measurement', key: 'c', crf: 32, vmaf: 93.1, bytes: 11, seconds: 1, segment: 1 },
      { type: 'decision', scope: 's', segment: 1, crf: 32, probes: 2 },
    ];
    const report = buildQualityReport(manifest, cache);
    assert.deepEqual(report.segments[0]!.probes, []);
    assert.deepEqual(
      report.segments[1]!.probes.map((p) => [p.crf, p.vmaf]),
      [
        [40, 90.0],
        [32, 93.1],
      ],
    );
  });

  it("a 2,000-segment job: one entry per segment in order, frame-weighted mean (its build time is bench/report-open.ts's figure, not an assertion)", () => {
    const vmafOf = (i: number) => 90 + (i % 7) * 0.5;
    const manifest = recordedManifest(2000, { targetVmaf: 92 }, (i) => ({
      state: 'done',
      attempts: 1 + (i % 3 === 0 ? 1 : 0),
      crf: 20 + (i % 30),
      vmaf: vmafOf(i),
      bytes: 20_000 + i,
      hash: 'h',
      extra: { probes: [probe(20 + (i % 30), vmafOf(i) + 0.1), probe(40, 85)] },
    }));
    const report = buildQualityReport(manifest);
    assert.equal(report.segments.length, 2000);
    assert.deepEqual(
      report.segments.map((s) => s.index),
      Array.from({ length: 2000 }, (_, i) => i),
    );
    const expectedMean = Array.from({ length: 2000 }, (_, i) => vmafOf(i)).reduce((a, b) => a + b, 0) / 2000;
    assert.ok(Math.abs(report.quality!.meanVmaf - expectedMean) < 1e-9);
    assert.equal(report.quality!.minVmaf, 90);
    assert.equal(report.quality!.belowBand, Array.from({ length: 2000 }, (_, i) => vmafOf(i)).filter((v) => v < 91.5).length);
    assert.equal(
      report.totals.encodedBytes,
      Array.from({ length: 2000 }, (_, i) => 20_000 + i).reduce((a, b) => a + b, 0),
    );
    const html = reportHtml(report, { script: 'void 0;', style: 'body{}' });
    assert.ok(html.length < 2_000_000, `the 2,000-segment page is ${html.length} bytes`);
  });

  it('the HTML page embeds the model inertly: a hostile file name cannot close the data element', () => {
    const manifest = recordedManifest(1, { crf: 30 }, () => ({ state: 'done', attempts: 1, crf: 30, bytes: 1, hash: 'h' }));
    manifest.input.path = '/x/</script><script>alert(1)</script>.mkv';
    const report = buildQualityReport(manifest);
    const html = reportHtml(report, { script: 'document.title="</script>";', style: 'p{}' });
    assert.equal(html.match(/<\/script>/g)!.length, 2, 'only the two script elements close');
    const data = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html)![1]!;
    assert.deepEqual(JSON.parse(data), report);
    assert.match(html, /script-src 'sha256-[A-Za-z0-9+/=]+'/);
    assert.doesNotMatch(html, /https?:|src=|href=/);
  });

  describe('unequal segments (scene cuts)', () => {
    it('each segment keeps its exact span; bitrates use it; source and output side by side; scored frames kept', () => {
      const manifest = sceneCutManifest((i) => ({
        state: 'done',
        attempts: 1,
        crf: 30 + i,
        vmaf: 93.2,
        bytes: i === 0 ? 702_000 : 1_300_000,
        hash: 'h',
        extra: {
          probes: [probe(30 + i, 93.3)],
          scoredFrames: [
            { index: 0, vmaf: 91.5 },
            { index: 4, vmaf: 95.25 },
          ],
        },
      }));
      const report = buildQualityReport(manifest, [], { sourceSegmentBytes: [1_404_000, 3_900_000] });
      assert.deepEqual(
        report.segments.map((s) => [s.startSeconds, s.endSeconds, s.frames]),
        [
          [0, 7.02, 168],
          [7.02, 20.02, 312],
        ],
      );
      assert.ok(Math.abs(report.segments[0]!.kbps! - (702_000 * 8) / 1000 / 7.02) < 1e-9, 'output kbit/s over 7.02 s');
      assert.ok(Math.abs(report.segments[1]!.kbps! - 800) < 1e-9, '1.3 MB over 13 s = 800 kbit/s');
      assert.ok(Math.abs(report.segments[0]!.sourceKbps! - 1600) < 1e-9, 'source 1.404 MB over 7.02 s');
      assert.ok(Math.abs(report.segments[1]!.sourceKbps! - 2400) < 1e-9);
      assert.ok(Math.abs(report.totals.sourceKbps! - ((1_404_000 + 3_900_000) * 8) / 1000 / 20.02) < 1e-9);
      assert.deepEqual(report.segments[1]!.scoredFrames, [
        { index: 0, vmaf: 91.5 },
        { index: 4, vmaf: 95.25 },
      ]);
    });

    it('older records with bare per-frame scores become scored frames numbered from 0', () => {
      const manifest = sceneCutManifest((i) => ({
        state: 'done',
        attempts: 1,
        crf: 30,
        vmaf: 93,
        bytes: 1,
        hash: 'h',
        extra: { frameVmaf: [90 + i, 91] },
      }));
      assert.deepEqual(buildQualityReport(manifest).segments[1]!.scoredFrames, [
        { index: 0, vmaf: 91 },
        { index: 1, vmaf: 91 },
      ]);
    });

    it('after `search`: status searched, each segment its predicted CRF, VMAF and size, nothing counted as encoded', () => {
      const manifest = sceneCutManifest(
        (i) => ({
          extra: {
            probes: [probe(30 + i, 93.4)],
            prediction: { crf: 30 + i, vmaf: i === 0 ? 93.4 : 93.3, bytes: i === 0 ? 351_000 : 650_000 },
          },
        }),
        'cancelled',
      );
      const report = buildQualityReport(manifest);
      assert.equal(report.status, 'searched');
      assert.deepEqual(report.totals.predicted, { segments: 2, bytes: 1_001_000 });
      assert.equal(report.totals.done, 0);
      assert.equal(report.segments[0]!.crf, undefined, 'a prediction is not an encoded CRF');
      assert.deepEqual(report.segments[1]!.prediction, { crf: 31, vmaf: 93.3, bytes: 650_000, kbps: 400 });
    });

    it('each segment: predicted CRF, final CRF and number of encodes (issue 22); absent where not recorded', () => {
      const manifest = sceneCutManifest((i) =>
        i === 0
          ? {
              state: 'done',
              attempts: 1,
              crf: 33,
              vmaf: 93.1,
              bytes: 1000,
              hash: 'h',
              extra: { probes: [probe(31, 94.2), probe(33, 93.1)], predictedCrf: 31, encodes: 2 },
            }
          : { state: 'done', attempts: 1, crf: 30, vmaf: 93.4, bytes: 1000, hash: 'h', extra: { probes: [probe(30, 93.4)] } },
      );
      const report = buildQualityReport(manifest);
      const [first, second] = report.segments;
      assert.deepEqual([first!.predictedCrf, first!.crf, first!.encodes], [31, 33, 2]);
      assert.deepEqual([second!.predictedCrf, second!.crf, second!.encodes], [undefined, 30, undefined], 'an older record: no guess');
      const html = reportHtml(report, { script: '', style: '' });
      assert.ok(html.includes('"predictedCrf":31') && html.includes('"encodes":2'), 'the page carries both');
    });

    it('a cancelled encode is not a search, even with a prediction kept from an earlier search', () => {
      const manifest = sceneCutManifest(
        (i) =>
          i === 0
            ? { state: 'done', attempts: 1, crf: 30, vmaf: 93, bytes: 1000, hash: 'h', extra: { prediction: { crf: 30 } } }
            : { extra: { prediction: { crf: 31 } } },
        'cancelled',
      );
      const report = buildQualityReport(manifest);
      assert.equal(report.status, 'cancelled');
      assert.equal(report.segments[0]!.prediction, undefined, 'an encoded segment shows what was encoded');
      assert.equal(report.segments[1]!.prediction?.crf, 31);
    });
  });
});

describe('source bytes per segment (packet lines)', () => {
  it('counts each packet toward the segment whose exact span holds its time; discarded packets and junk count nowhere', () => {
    const lines = [
      '0.000000,100,K__',
      '7.000000,10,___',
      '7.020000,200,K__',
      '13.5,30,___',
      '20.020000,999,___',
      '3.0,5,_D_',
      'N/A,7,___',
      '',
    ].join('\n');
    assert.deepEqual(
      bytesPerRange(lines, [
        { startSeconds: 0, endSeconds: 7.02 },
        { startSeconds: 7.02, endSeconds: 20.02 },
      ]),
      [110, 230],
    );
  });
});
