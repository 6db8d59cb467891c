import assert from 'node:assert/strict';
import { parseEncodeOptions } from '../../common/options';
import { BUILT_IN_PRESETS } from '../../common/presets';
import { aliasesWithMiniGop, isScoredFrame, miniGopPositions, normaliseStride, scoredFrameCount, scoredFrameIndices } from '../../server/src/vmaf/frame-set';
import { requireScoredFrames } from '../../server/src/vmaf/libvmaf';

const features = { integer_adm2: 1, integer_motion2: 0, integer_vif_scale0: 1, integer_vif_scale1: 1, integer_vif_scale2: 1, integer_vif_scale3: 1 };

describe('vmaf frame set (which frames are scored)', () => {
  it('pins the default: every 7th frame from frame 0, the frames libvmaf n_subsample=7 scores', () => {
    const stride = parseEncodeOptions({ input: 'in.mkv' }).vmafSubsample;
    assert.equal(stride, 7);
    assert.deepEqual(scoredFrameIndices(50, stride), [0, 7, 14, 21, 28, 35, 42, 49]);
    assert.deepEqual(scoredFrameIndices(49, stride), [0, 7, 14, 21, 28, 35, 42]);
    assert.equal(scoredFrameCount(50, stride), 8);
    assert.equal(scoredFrameCount(0, stride), 0);
    assert.deepEqual(scoredFrameIndices(240, stride).filter((i) => !isScoredFrame(i, stride)), []);
  });

  it('the default and the shipped presets visit every position of a 16-frame mini-GOP (and of 32)', () => {
    const strides = [parseEncodeOptions({ input: 'in.mkv' }).vmafSubsample, ...Object.values(BUILT_IN_PRESETS).flatMap((p) => p.vmafSubsample ?? [])];
    for (const stride of strides) {
      assert.equal(aliasesWithMiniGop(stride), false, `stride ${stride}`);
      assert.deepEqual(miniGopPositions(stride), Array.from({ length: 16 }, (_, i) => i), `stride ${stride}`);
      assert.equal(miniGopPositions(stride, 32).length, 32, `stride ${stride}`);
    }
    // Stride 7 walks the mini-GOP in this order: 0, 7, 14, 5, 12, 3, 10, 1, 8, 15, 6, 13, 4, 11, 2, 9.
    assert.deepEqual(scoredFrameIndices(112, 7).map((i) => i % 16), [0, 7, 14, 5, 12, 3, 10, 1, 8, 15, 6, 13, 4, 11, 2, 9]);
  });

  it('even strides alias: stride 8 sees only positions 0 and 8, stride 4 never the odd ones', () => {
    assert.deepEqual(miniGopPositions(8), [0, 8]);
    assert.deepEqual(miniGopPositions(4), [0, 4, 8, 12]);
    assert.equal(aliasesWithMiniGop(8), true);
    assert.equal(aliasesWithMiniGop(2), true);
    assert.equal(aliasesWithMiniGop(1), false);
    assert.equal(aliasesWithMiniGop(13), false);
  });

  it('a stride is a whole number >= 1', () => {
    assert.equal(normaliseStride(7.9), 7);
    assert.throws(() => normaliseStride(0), RangeError);
    assert.throws(() => normaliseStride(Number.NaN), RangeError);
  });

  it('a libvmaf log must hold exactly the frames of the set', () => {
    const frames = (indices: number[]) => indices.map((index) => ({ index, vmaf: 90, features }));
    assert.doesNotThrow(() => requireScoredFrames(frames([0, 7, 14]), 20, 7, 'ffmpeg'));
    assert.throws(() => requireScoredFrames(frames([0, 8, 16]), 20, 7, 'ffmpeg'), /n_subsample=7 of 20 frames means 0, 7, 14/);
    assert.throws(() => requireScoredFrames(frames([0, 7]), 20, 7, 'ffmpeg'), /\(2\)/);
  });
});
