import assert from 'node:assert/strict';
import { bandAround, describeTarget, qualityTargetOf, targetProblem } from '../../common/quality-target';
import { METRICS } from '../../common/quality-metric';
import { parseEncodeOptions } from '../../common/options';
import { encodeOptionsFromArgv } from '../../server/src/cli/encode';
import { crfPolicyFor } from '../../server/src/job/segment-task';
import { segmentSettings } from '../../server/src/job/start-manifest';
import { settingsKey } from '../../server/src/job/manifest';

describe('quality target: the options resolved once (issue 25)', () => {
  it('reads --target-vmaf as the short form of --target-metric vmaf --target N, with the VMAF pool', () => {
    const short = qualityTargetOf(parseEncodeOptions({ input: 'a.mkv', targetVmaf: 93 }));
    const long = qualityTargetOf(parseEncodeOptions({ input: 'a.mkv', targetMetric: 'vmaf', target: 93 }));
    assert.deepEqual(short, { metric: 'vmaf', value: 93, pool: 'harmonic_mean', low: 92.5, high: 95 });
    assert.deepEqual(long, short);
    assert.equal(qualityTargetOf(parseEncodeOptions({ input: 'a.mkv', targetVmaf: 93, vmafPool: 'p5' }))?.pool, 'p5');
    assert.equal(qualityTargetOf(parseEncodeOptions({ input: 'a.mkv', targetVmaf: 93, pool: 'harmonic' }))?.pool, 'harmonic_mean');
    assert.equal(qualityTargetOf(parseEncodeOptions({ input: 'a.mkv' })), undefined);
    assert.equal(qualityTargetOf(parseEncodeOptions({ input: 'a.mkv', crf: 30 })), undefined);
  });

  it('targets another metric in its own units and band, its default when no --target is given', () => {
    const ssimu2 = qualityTargetOf(parseEncodeOptions({ input: 'a.mkv', targetMetric: 'ssimulacra2', target: 78 }))!;
    const { below, above } = METRICS.ssimulacra2.band;
    assert.deepEqual(ssimu2, { metric: 'ssimulacra2', value: 78, pool: 'mean', low: 78 - below, high: 78 + above });
    const xpsnr = qualityTargetOf(parseEncodeOptions({ input: 'a.mkv', targetMetric: 'xpsnr', pool: 'p10' }))!;
    assert.equal(xpsnr.value, METRICS.xpsnr.defaultTarget);
    assert.equal(xpsnr.pool, 'p10');
    assert.deepEqual(bandAround('xpsnr', 42), { low: 42 - METRICS.xpsnr.band.below, high: 42 + METRICS.xpsnr.band.above });
    assert.equal(describeTarget(ssimu2), 'SSIMULACRA2 78 (mean)');
    assert.equal(describeTarget(xpsnr), `XPSNR ${METRICS.xpsnr.defaultTarget} dB (p10)`);
  });

  it('refuses a conflicting or out-of-range combination in one line', () => {
    assert.match(
      targetProblem({ targetVmaf: 93, targetMetric: 'ssimulacra2' })!,
      /^--target-vmaf 93 and --target-metric ssimulacra2 name two targets/,
    );
    assert.match(targetProblem({ targetVmaf: 93, target: 95 })!, /disagree/);
    assert.equal(targetProblem({ targetVmaf: 93, target: 93, targetMetric: 'vmaf' }), undefined);
    assert.match(targetProblem({ targetMetric: 'xpsnr', target: 120 })!, /out of XPSNR's range/);
    assert.match(targetProblem({ targetMetric: 'ssimulacra2', pool: 'min' })!, /--pool min is VMAF's/);
    assert.match(targetProblem({ alsoScore: ['vmaf'] })!, /--also-score scores at the verification of a target/);
    const refused = (argv: string[]) =>
      assert.throws(
        () => encodeOptionsFromArgv(['a.mkv', ...argv]),
        (e: Error) => !e.message.includes('\n'),
      );
    refused(['--target-vmaf', '93', '--target-metric', 'xpsnr']);
    refused(['--crf', '30', '--target-metric', 'xpsnr']);
    refused(['--target-metric', 'psnr']);
    refused(['--also-score', 'vmaf,butteraugli', '--target-vmaf', '93']);
  });

  it('reads the flags, --also-score as a comma list', () => {
    const { options } = encodeOptionsFromArgv([
      'a.mkv',
      '--target-metric',
      'ssimulacra2',
      '--target',
      '80',
      '--pool',
      'p5',
      '--also-score',
      'vmaf, xpsnr',
    ]);
    assert.equal(options!.targetMetric, 'ssimulacra2');
    assert.equal(options!.target, 80);
    assert.equal(options!.pool, 'p5');
    assert.deepEqual(options!.alsoScore, ['vmaf', 'xpsnr']);
  });

  it("keeps a VMAF job's CRF policy and settings key as they were, and keys another metric's target", () => {
    const vmaf = parseEncodeOptions({ input: 'a.mkv', targetVmaf: 93 });
    const policy = crfPolicyFor(vmaf);
    assert.equal(policy.kind, 'target');
    assert.ok(policy.kind === 'target' && policy.targetVmaf === 93 && !('targetMetric' in policy) && !('target' in policy));
    const { target: _target, ...withoutTarget } = segmentSettings(vmaf);
    assert.equal(settingsKey(segmentSettings(vmaf)), settingsKey(withoutTarget), 'a VMAF target keys as before');
    const ssimu2 = parseEncodeOptions({ input: 'a.mkv', targetMetric: 'ssimulacra2', target: 80, alsoScore: ['vmaf'] });
    const other = crfPolicyFor(ssimu2);
    assert.ok(other.kind === 'target' && other.targetMetric === 'ssimulacra2' && other.target === 80 && other.pool === 'mean');
    assert.deepEqual(other.kind === 'target' && other.alsoScore, ['vmaf']);
    assert.notEqual(
      settingsKey(segmentSettings(ssimu2)),
      settingsKey(segmentSettings(parseEncodeOptions({ input: 'a.mkv', targetMetric: 'ssimulacra2', target: 82 }))),
    );
    // A zone's target-vmaf= (merged over the job's options) is a VMAF target; a zone's crf= a fixed CRF.
    const zoneVmaf = crfPolicyFor({ ...ssimu2, targetVmaf: 95 });
    assert.ok(zoneVmaf.kind === 'target' && zoneVmaf.targetVmaf === 95 && zoneVmaf.targetMetric === undefined);
    assert.deepEqual(crfPolicyFor({ ...ssimu2, crf: 30 }), { kind: 'fixed', crf: 30 });
  });
});
