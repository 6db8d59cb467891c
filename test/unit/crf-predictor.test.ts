import assert from 'node:assert/strict';
import { predictSegmentCrf, predictorError, type CrfLabel, type SegmentFeatures } from '../../server/src/crf/crf-predictor';

const range = { minCrf: 10, maxCrf: 55 };

/**
 * Replays a job in segment order: each segment is predicted from the labels verified before it,
 * then labelled. Returns the predictions.
 */
function replay(segments: (SegmentFeatures & { crf: number })[]) {
  const labels: CrfLabel[] = [];
  const predictions = segments.map((s) => {
    const prediction = predictSegmentCrf({ segment: s, labels, ...range });
    labels.push({ ...s, predicted: prediction.crf });
    return prediction;
  });
  return { labels, predictions };
}

describe('the per-job CRF predictor', () => {
  it('warms up on the first segment, then predicts from the same run', () => {
    const first = predictSegmentCrf({ segment: { segment: 0, bitsPerPixel: 0.05 }, labels: [], ...range });
    assert.equal(first.confident, false);
    const second = predictSegmentCrf({
      segment: { segment: 1, bitsPerPixel: 0.052 },
      labels: [{ segment: 0, bitsPerPixel: 0.05, crf: 47 }],
      ...range,
    });
    assert.deepEqual([second.crf, second.source, second.confident], [47, 'run', true]);
  });

  it('a content change mid-job (the recorded T = 90 run: testsrc2 then mandelbrot) warms up again, then predicts within 1 CRF', () => {
    // CRFs as verified in docs/notes/crf-split.md (256x144, preset 8, T = 90); the bits per pixel are
    // the shape of that clip (mandelbrot costs about 3x the bits of testsrc2 there), not recorded.
    const job = [
      { segment: 0, bitsPerPixel: 0.3, crf: 47 },
      { segment: 1, bitsPerPixel: 0.27, crf: 52 },
      { segment: 2, bitsPerPixel: 0.27, crf: 52 },
      { segment: 3, bitsPerPixel: 0.28, crf: 51 },
      { segment: 4, bitsPerPixel: 0.9, crf: 37, sceneScore: 0.9 },
      { segment: 5, bitsPerPixel: 0.95, crf: 35 },
      { segment: 6, bitsPerPixel: 0.93, crf: 35 },
      { segment: 7, bitsPerPixel: 0.92, crf: 35 },
    ];
    const { predictions, labels } = replay(job);
    assert.equal(predictions[0]!.confident, false, 'first segment: warm-up');
    assert.equal(predictions[4]!.confident, false, 'after the change of content: warm-up, not the testsrc2 CRF');
    for (const i of [2, 3, 5, 6, 7]) {
      assert.equal(predictions[i]!.confident, true, `segment ${i} predicted`);
      assert.ok(Math.abs(predictions[i]!.crf - job[i]!.crf) <= 2, `segment ${i}: ${predictions[i]!.crf} for ${job[i]!.crf}`);
    }
    const error = predictorError(labels.filter((l) => predictions[l.segment]!.confident));
    assert.ok(error.mean <= 1.5, `mean error ${error.mean}`);
  });

  it('returning content is predicted from the earlier labels of that content, not from its neighbour', () => {
    const labels: CrfLabel[] = [
      { segment: 0, bitsPerPixel: 0.05, crf: 44 },
      { segment: 1, bitsPerPixel: 0.052, crf: 44 },
      { segment: 2, bitsPerPixel: 0.4, crf: 30 },
      { segment: 3, bitsPerPixel: 0.41, crf: 30 },
    ];
    const back = predictSegmentCrf({ segment: { segment: 4, bitsPerPixel: 0.051, sceneScore: 0.8 }, labels, ...range });
    assert.equal(back.confident, true);
    assert.ok(Math.abs(back.crf - 44) <= 1, `${back.crf} (${back.source}: ${back.reason})`);
  });

  it('follows a drift along a run (the nearest, latest label), within 1 CRF', () => {
    const job = Array.from({ length: 10 }, (_, i) => ({ segment: i, bitsPerPixel: 0.1 * (1 + 0.01 * i), crf: 34 + Math.floor(i / 2) }));
    const { predictions } = replay(job);
    for (let i = 1; i < job.length; i++) {
      assert.ok(Math.abs(predictions[i]!.crf - job[i]!.crf) <= 1, `segment ${i}: ${predictions[i]!.crf} for ${job[i]!.crf}`);
    }
  });

  it('a whole-job curve in bits per pixel is trusted only when the labels sit on it', () => {
    const onCurve = [0.05, 0.1, 0.2, 0.4].map((bpp, i) => ({ segment: i * 5, bitsPerPixel: bpp, crf: Math.round(20 - 6 * Math.log(bpp)) }));
    const query = { segment: 40, bitsPerPixel: 0.14 };
    const fitted = predictSegmentCrf({ segment: query, labels: onCurve, ...range });
    assert.equal(fitted.source, 'fit');
    assert.equal(fitted.confident, true);
    assert.ok(Math.abs(fitted.crf - (20 - 6 * Math.log(0.14))) <= 1);
    const scattered = onCurve.map((l, i) => ({ ...l, crf: l.crf + (i % 2 ? 6 : -6) }));
    assert.equal(predictSegmentCrf({ segment: query, labels: scattered, ...range }).confident, false);
  });

  it('reports its error in CRF', () => {
    const error = predictorError([
      { segment: 0, bitsPerPixel: 1, crf: 30 },
      { segment: 1, bitsPerPixel: 1, crf: 30, predicted: 31 },
      { segment: 2, bitsPerPixel: 1, crf: 30, predicted: 27 },
    ]);
    assert.deepEqual(error, { count: 2, mean: 2, worst: 3, withinOne: 0.5 });
  });
});
