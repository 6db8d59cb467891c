import assert from 'node:assert/strict';
import { granularityFromLog, granularityProbeArgs, PROBE_CRF } from '../../server/src/crf/crf-granularity';

describe('CRF granularity detection (pure part)', () => {
  it('reads the rate factor SVT-AV1 reports: integer when it truncated 30.5', () => {
    assert.equal(granularityFromLog('Svt[info]: SVT [config]: BRC mode / rate factor \t\t\t\t\t: CRF / 30 '), 1);
    assert.equal(granularityFromLog('Svt[info]: SVT [config]: BRC mode / rate factor : CRF / 30.50'), 0.25);
    assert.equal(granularityFromLog('nothing we know'), 1);
  });

  it('asks for the fractional probe CRF in a tiny lavfi encode', () => {
    const args = granularityProbeArgs();
    assert.equal(args[args.indexOf('-crf') + 1], String(PROBE_CRF));
    assert.equal(args[args.indexOf('-c:v') + 1], 'libsvtav1');
  });
});
