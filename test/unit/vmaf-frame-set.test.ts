import assert from 'node:assert/strict';
import { parseEncodeOptions } from '../../common/options';
import { BUILT_IN_PRESETS } from '../../common/presets';
import {
  aliasesWithMiniGop,
  isScoredFrame,
  miniGopPositions,
  normaliseStride,
  scoredFrameCount,
  scoredFrameIndices,
  scoredFrameWeights,
  weightedScores,
} from '../../server/src/vmaf/frame-set';
import { poolHarmonicMean, poolMean } from '../../server/src/vmaf/pooling';
import { requireScoredFrames } from '../../server/src/vmaf/libvmaf';

const features = {
  integer_adm2: 1,
  integer_motion2: 0,
  integer_vif_scale0: 1,
  integer_vif_scale1: 1,
  integer_vif_scale2: 1,
  integer_vif_scale3: 1,
};

describe('vmaf frame set (which frames are scored)', () => {
  it('pins the default: every 3rd frame from frame 0, the frames libvmaf n_subsample=3 scores', () => {
    const stride = parseEncodeOptions({ input: 'in.mkv' }).vmafSubsample;
    assert.equal(stride, 3);
    assert.deepEqual(scoredFrameIndices(19, stride), [0, 3, 6, 9, 12, 15, 18]);
    assert.deepEqual(scoredFrameIndices(18, stride), [0, 3, 6, 9, 12, 15]);
    assert.equal(scoredFrameCount(19, stride), 7);
    assert.deepEqual(scoredFrameWeights(19, stride), [1, 3, 3, 3, 3, 3, 3]);
    assert.deepEqual(
      scoredFrameIndices(48, stride).map((i) => i % 16),
      [0, 3, 6, 9, 12, 15, 2, 5, 8, 11, 14, 1, 4, 7, 10, 13],
    );
    assert.equal(scoredFrameCount(0, stride), 0);
    assert.deepEqual(
      scoredFrameIndices(240, stride).filter((i) => !isScoredFrame(i, stride)),
      [],
    );
  });

  it('the default and the shipped presets visit every position of a 16-frame mini-GOP (and of 32)', () => {
    const strides = [
      parseEncodeOptions({ input: 'in.mkv' }).vmafSubsample,
      ...Object.values(BUILT_IN_PRESETS).flatMap((p) => p.vmafSubsample ?? []),
    ];
    for (const stride of strides) {
      assert.equal(aliasesWithMiniGop(stride), false, `stride ${stride}`);
      assert.deepEqual(
        miniGopPositions(stride),
        Array.from({ length: 16 }, (_, i) => i),
        `stride ${stride}`,
      );
      assert.equal(miniGopPositions(stride, 32).length, 32, `stride ${stride}`);
    }
    // Stride 7 walks the mini-GOP in this order: 0, 7, 14, 5, 12, 3, 10, 1, 8, 15, 6, 13, 4, 11, 2, 9.
    assert.deepEqual(
      scoredFrameIndices(112, 7).map((i) => i % 16),
      [0, 7, 14, 5, 12, 3, 10, 1, 8, 15, 6, 13, 4, 11, 2, 9],
    );
  });

  it('even strides alias: stride 8 sees only positions 0 and 8, stride 4 never the odd ones', () => {
    assert.deepEqual(miniGopPositions(8), [0, 8]);
    assert.deepEqual(miniGopPositions(4), [0, 4, 8, 12]);
    assert.equal(aliasesWithMiniGop(8), true);
    assert.equal(aliasesWithMiniGop(2), true);
    assert.equal(aliasesWithMiniGop(1), false);
    assert.equal(aliasesWithMiniGop(13), false);
  });

  it('pins the pooling weights: frame 0 alone, the others the stride up to them, the last also the tail; they add up to the frame count', () => {
    assert.deepEqual(scoredFrameWeights(120, 7), [1, ...Array<number>(17).fill(7)]);
    assert.deepEqual(scoredFrameWeights(50, 7), [1, 7, 7, 7, 7, 7, 7, 7]);
    assert.deepEqual(scoredFrameWeights(48, 7), [1, 7, 7, 7, 7, 7, 12]);
    assert.deepEqual(scoredFrameWeights(5, 7), [5]);
    assert.deepEqual(scoredFrameWeights(0, 7), []);
    for (const [frames, stride] of [
      [240, 7],
      [144, 3],
      [51, 8],
      [1, 1],
      [7, 7],
      [8, 7],
    ] as const) {
      const weights = scoredFrameWeights(frames, stride);
      assert.equal(weights.length, scoredFrameCount(frames, stride));
      assert.equal(
        weights.reduce((a, b) => a + b, 0),
        frames,
        `${frames} frames at ${stride}`,
      );
    }
  });

  it('weighted, a frame 0 unlike the rest counts as one frame of N, not one of N/stride (VMAF motion is 0 there)', () => {
    // Every frame scores 90 but frame 0 (motion 0): the every-frame pools, and the stride-7 subset's.
    const every = Array.from({ length: 120 }, (_, i) => (i === 0 ? 69 : 90));
    const picked = scoredFrameIndices(120, 7).map((i) => every[i]!);
    const weighted = weightedScores(picked, scoredFrameWeights(120, 7));
    assert.equal(weighted.length, 120);
    assert.ok(Math.abs(poolMean(weighted) - poolMean(every)) < 1e-9);
    assert.ok(Math.abs(poolHarmonicMean(weighted) - poolHarmonicMean(every)) < 1e-9);
    assert.ok(poolMean(every) - poolMean(picked) > 0.9, 'unweighted, frame 0 pulls the subset down');
    assert.throws(() => weightedScores([1, 2], [1]), RangeError);
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
