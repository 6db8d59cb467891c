import assert from 'node:assert/strict';
import { encodeOptionsFromArgv } from '../../server/src/cli/encode';
import { parseEncodeOptions } from '../../common/options';

describe('--probe-preset', () => {
  it('defaults to probing at the final preset', () => {
    assert.equal(parseEncodeOptions({ input: 'a.mkv', targetVmaf: 93 }).probePreset, 'same');
  });

  it('takes "same" or an SVT-AV1 preset from the command line', () => {
    const same = encodeOptionsFromArgv(['a.mkv', '--target-vmaf', '93', '--probe-preset', 'same']);
    const fast = encodeOptionsFromArgv(['a.mkv', '--target-vmaf', '93', '--preset', '8', '--probe-preset', '12']);
    assert.ok(!same.help && !fast.help);
    assert.equal(same.options.probePreset, 'same');
    assert.equal(fast.options.probePreset, 12);
    assert.equal(fast.options.preset, 8);
  });

  it('refuses anything else, naming the flag', () => {
    assert.throws(() => encodeOptionsFromArgv(['a.mkv', '--probe-preset', 'fast']), /--probe-preset needs a number/);
    assert.throws(() => encodeOptionsFromArgv(['a.mkv', '--probe-preset', '14']), /--probe-preset/);
    assert.throws(() => encodeOptionsFromArgv(['a.mkv', '--probe-preset', '8.5']), /--probe-preset/);
  });
});
