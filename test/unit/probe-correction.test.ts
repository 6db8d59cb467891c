import assert from 'node:assert/strict';
import { learnCorrection, probeTarget, sinceLastChange, NO_CORRECTION, type CorrectionPair } from '../../server/src/crf/probe-correction';
import { fitCrfCurve, predictCrf } from '../../server/src/crf/crf-prediction';
import { setUpLearnedSearch } from '../../server/src/crf/learned-search';

/** Deterministic noise in [-amplitude, amplitude]. */
function noise(i: number, amplitude: number): number {
  const x = Math.sin(i * 12.9898) * 43758.5453;
  return (x - Math.floor(x) - 0.5) * 2 * amplitude;
}

function pairs(offsets: number[], crf = 40): CorrectionPair[] {
  return offsets.map((offset, i) => ({ crf, probeVmaf: 93 + noise(i, 0.5), finalVmaf: 93 + noise(i, 0.5) + offset }));
}

describe('probe → final correction (learned during the job)', () => {
  it('without pairs corrects nothing and is not trusted (the search aims at the target itself)', () => {
    assert.deepEqual(learnCorrection([], 40), NO_CORRECTION);
    assert.equal(probeTarget(93, NO_CORRECTION), 93);
  });

  it('learns a steady offset and trusts it after two consistent nearby pairs', () => {
    const one = learnCorrection(pairs([-2]), 40);
    assert.equal(one.trusted, false);
    const steady = learnCorrection(pairs([-2, -2.1, -1.9]), 41);
    assert.ok(Math.abs(steady.offset + 2) < 0.1, `offset ${steady.offset}`);
    assert.equal(steady.trusted, true);
    // The probes overestimate by 2: they must reach 95 for the final encode to reach 93.
    assert.ok(Math.abs(probeTarget(93, steady) - 95) < 0.1);
  });

  it('follows a correction that drifts: recent pairs count most', () => {
    // The offset slides from -1 to -3 over 12 segments (e.g. grain building up along a scene).
    const drifting = pairs(Array.from({ length: 12 }, (_, i) => -1 - (2 * i) / 11));
    const learned = learnCorrection(drifting, 40);
    const plainMean = drifting.reduce((s, p) => s + p.finalVmaf - p.probeVmaf, 0) / drifting.length;
    assert.ok(
      Math.abs(learned.offset + 3) < Math.abs(plainMean + 3),
      `weighted ${learned.offset} is nearer the latest -3 than the mean ${plainMean}`,
    );
    assert.ok(Math.abs(learned.offset + 3) < 0.7, `offset ${learned.offset}`);
  });

  it('after a change of content drops the old pairs, distrusts the first new one and re-learns', () => {
    // Six segments of animation (probe within 0.3 of final), then grainy live action (probe 3 over).
    const before = pairs([-0.2, 0.1, -0.3, 0, -0.1, 0.2]);
    const afterOne = [...before, { crf: 30, probeVmaf: 95, finalVmaf: 92 }];
    assert.equal(sinceLastChange(afterOne).length, 1, 'the change is detected at the new pair');
    const first = learnCorrection(afterOne, 30);
    assert.equal(first.trusted, false, 'one pair after a change is not enough');
    assert.ok(probeTarget(93, first) >= 96.5 - 1e-9, `aims high enough for the new content, with a margin: ${probeTarget(93, first)}`);
    const afterThree = [...afterOne, { crf: 31, probeVmaf: 95.5, finalVmaf: 92.6 }, { crf: 29, probeVmaf: 94.8, finalVmaf: 91.7 }];
    const relearned = learnCorrection(afterThree, 30);
    assert.equal(relearned.pairs, 3);
    assert.equal(relearned.trusted, true);
    assert.ok(Math.abs(relearned.offset + 3) < 0.2, `offset ${relearned.offset}`);
  });
});

describe('CRF prediction before any probe', () => {
  it("fits CRF against the log of the segment copy's bits per pixel and trusts a tight fit", () => {
    const decided = [0.05, 0.2, 0.8, 3].map((bpp) => ({ bitsPerPixel: bpp, crf: 30 - 5 * Math.log(bpp) + noise(bpp, 0.8) }));
    const fit = fitCrfCurve(decided)!;
    assert.ok(Math.abs(fit.b + 5) < 1, `slope ${fit.b}`);
    const p = predictCrf({ bitsPerPixel: 0.4, decided, neighbours: [50], minCrf: 10, maxCrf: 63 });
    assert.equal(p.source, 'fit');
    assert.equal(p.confident, true);
    assert.ok(Math.abs(p.crf - (30 - 5 * Math.log(0.4))) <= 1.5, `predicted ${p.crf}`);
  });

  it('falls back to the neighbours, then the middle of the range, and is not confident there', () => {
    const n = predictCrf({ bitsPerPixel: 1, decided: [], neighbours: [40, 44], minCrf: 10, maxCrf: 55 });
    assert.deepEqual([n.crf, n.source, n.confident], [42, 'neighbours', false]);
    const none = predictCrf({ bitsPerPixel: 1, decided: [], neighbours: [], minCrf: 10, maxCrf: 55 });
    assert.deepEqual([none.source, none.confident], ['none', false]);
  });

  it('does not trust a fit whose points disagree (content whose bits do not tell its difficulty)', () => {
    const decided = [
      { bitsPerPixel: 0.1, crf: 30 },
      { bitsPerPixel: 0.2, crf: 50 },
      { bitsPerPixel: 0.4, crf: 28 },
      { bitsPerPixel: 0.8, crf: 48 },
    ];
    assert.equal(predictCrf({ bitsPerPixel: 0.3, decided, neighbours: [], minCrf: 10, maxCrf: 63 }).confident, false);
  });
});

describe('a learned search set-up', () => {
  const base = { target: 93, minCrf: 10, maxCrf: 63, samples: 3, sampleSeconds: 2, neighbours: [] as number[] };
  it("first segment: today's search (target as asked, full samples, no warm start)", () => {
    const s = setUpLearnedSearch({ ...base, bitsPerPixel: 0.5, verified: [] });
    assert.deepEqual([s.probeTarget, s.samples, s.sampleSeconds, s.warmStart], [93, 3, 2, []]);
  });

  it('once prediction and correction are trusted: starts at the prediction, on one shorter sample, aiming at the corrected target', () => {
    const verified = [0.1, 0.3, 0.9, 2].map((bpp, i) => ({
      segment: i,
      bitsPerPixel: bpp,
      crf: Math.round(35 - 5 * Math.log(bpp)),
      vmaf: 93.2,
      probeVmaf: 94.2,
    }));
    const s = setUpLearnedSearch({ ...base, bitsPerPixel: 0.5, verified });
    assert.equal(s.prediction.confident, true);
    assert.equal(s.correction.trusted, true);
    assert.ok(Math.abs(s.probeTarget - 94) < 0.05);
    assert.deepEqual([s.samples, s.sampleSeconds, s.warmStart], [1, 1, [s.prediction.crf]]);
  });

  it('after a change of content goes back to full samples', () => {
    const verified = [0.1, 0.3, 0.9, 2].map((bpp, i) => ({
      segment: i,
      bitsPerPixel: bpp,
      crf: Math.round(35 - 5 * Math.log(bpp)),
      vmaf: 93.2,
      probeVmaf: 93.4,
    }));
    verified.push({ segment: 4, bitsPerPixel: 1, crf: 35, vmaf: 91, probeVmaf: 94 });
    const s = setUpLearnedSearch({ ...base, bitsPerPixel: 1, verified });
    assert.equal(s.correction.trusted, false);
    assert.deepEqual([s.samples, s.sampleSeconds], [3, 2]);
  });
});
