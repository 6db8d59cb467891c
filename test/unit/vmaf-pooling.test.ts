import assert from 'node:assert/strict';
import { isVmafPool, poolAll, poolHarmonicMean, poolMean, poolMin, poolPercentile, poolScores } from '../../server/src/vmaf/pooling';

describe('vmaf pooling', () => {
  it('mean, min and libvmaf harmonic mean by hand', () => {
    const scores = [90, 99];
    assert.equal(poolMean(scores), 94.5);
    assert.equal(poolMin(scores), 90);
    // 2 / (1/91 + 1/100) - 1
    assert.ok(Math.abs(poolHarmonicMean(scores) - (2 / (1 / 91 + 1 / 100) - 1)) < 1e-12);
    assert.ok(Math.abs(poolHarmonicMean(scores) - 94.28795811518324) < 1e-9);
    // a frame scoring 0 does not make the harmonic mean 0: 2 / (1 + 1/101) - 1
    assert.ok(Math.abs(poolHarmonicMean([0, 100]) - (2 / (1 + 1 / 101) - 1)) < 1e-12);
  });

  it('percentiles interpolate between closest ranks', () => {
    const scores = [50, 10, 40, 20, 30];
    assert.equal(poolPercentile(scores, 0), 10);
    assert.equal(poolPercentile(scores, 100), 50);
    assert.equal(poolPercentile(scores, 50), 30);
    assert.equal(poolPercentile(scores, 25), 20);
    assert.ok(Math.abs(poolPercentile(scores, 1) - 10.4) < 1e-12);
    assert.ok(Math.abs(poolPercentile(scores, 5) - 12) < 1e-12);
    assert.equal(poolPercentile([77], 1), 77);
  });

  it('selects the pooled value by name and rejects unknown ones', () => {
    const scores = [80, 90, 100];
    assert.equal(poolScores(scores, 'mean'), 90);
    assert.equal(poolScores(scores, 'min'), 80);
    assert.equal(poolScores(scores, 'p50'), 90);
    assert.equal(poolScores(scores, 'harmonic_mean'), poolHarmonicMean(scores));
    const all = poolAll(scores);
    assert.deepEqual(Object.keys(all).sort(), ['harmonicMean', 'mean', 'min', 'p1', 'p5']);
    assert.ok(isVmafPool('p1') && isVmafPool('p99.5') && isVmafPool('harmonic_mean'));
    assert.ok(!isVmafPool('p101') && !isVmafPool('median') && !isVmafPool('p'));
    assert.throws(() => poolMean([]), /no frame scores/);
  });
});
