import assert from 'node:assert/strict';
import path from 'node:path';
import { basicClip, tempDir } from '../helpers/clips';
import { ONE_SHORT_SAMPLE_FLAGS, runCliSync, TINY_SEGMENT_FLAGS } from '../helpers/cli';
import { METRICS } from '../../common/quality-metric';
import type { QualityReport } from '../../common/report';

/**
 * `chunked-av1 report --json` after a real small SSIMULACRA2 encode with `--also-score vmaf`
 * (issue 25): the report's metric, target and band are SSIMULACRA2's, each done segment has both
 * scores, its band is the SSIMULACRA2 score's, VMAF is the second metric, and the search's probes
 * say which metric they measured.
 */
describe('chunked-av1 report: a SSIMULACRA2 job (integration, real encode)', function () {
  this.timeout(300_000);
  let dir: string;
  let cleanup: () => void;
  let input: string;

  before(() => {
    ({ dir, cleanup } = tempDir('chunked-av1-report-metric-'));
    input = basicClip(path.join(dir, 'ssimu2 film.mkv'), { seconds: 2, size: '96x64' });
    const encode = runCliSync([
      'encode',
      input,
      '--target-metric',
      'ssimulacra2',
      '--also-score',
      'vmaf',
      ...TINY_SEGMENT_FLAGS,
      ...ONE_SHORT_SAMPLE_FLAGS,
      '--keep-work-dir',
    ]);
    assert.equal(encode.status, 0, encode.stderr);
  });
  after(() => cleanup());

  it('charts SSIMULACRA2 against its target and band, with VMAF beside it', () => {
    const json = runCliSync(['report', input, '--json']);
    assert.equal(json.status, 0, json.stderr);
    const report = JSON.parse(json.stdout) as QualityReport;
    const facts = METRICS.ssimulacra2;
    assert.equal(report.metric, 'ssimulacra2');
    assert.equal(report.mode, 'target-quality');
    assert.equal(report.target?.vmaf, facts.defaultTarget);
    assert.equal(report.target?.low, facts.defaultTarget - facts.band.below);
    assert.equal(report.target?.high, facts.defaultTarget + facts.band.above);
    assert.deepEqual(report.alsoScored, ['vmaf']);
    const done = report.segments.filter((s) => s.state === 'done');
    assert.equal(done.length, 2);
    for (const segment of done) {
      const ssimu2 = segment.scores?.ssimulacra2;
      assert.ok(ssimu2 !== undefined && segment.scores?.vmaf !== undefined, JSON.stringify(segment.scores));
      assert.equal(segment.vmaf, segment.scores?.vmaf, 'vmaf is still VMAF');
      const expected: string = ssimu2 < report.target.low ? 'below' : ssimu2 > report.target.high ? 'above' : 'within';
      assert.equal(segment.band, expected, `segment ${segment.index}: ${ssimu2}`);
      assert.ok(segment.probes.length > 0 && segment.probes.every((p) => p.metric === 'ssimulacra2'), JSON.stringify(segment.probes));
    }
    const mean = done.reduce((sum, s) => sum + s.scores!.ssimulacra2! * s.frames, 0) / done.reduce((n, s) => n + s.frames, 0);
    assert.ok(Math.abs(report.quality!.meanVmaf - mean) < 1e-9, 'the summary is in SSIMULACRA2');
  });
});
