import assert from 'node:assert/strict';
import { nextSearchStep, pchip, runSearch, type Observation, type SearchConfig } from '../../server/src/crf/search';
import { recordedVmaf } from '../helpers/recorded-curve';

/** A VMAF-like curve: near 100 at low CRF, falling faster as CRF grows (shape of real RD curves). */
function curve(difficulty: number): (crf: number) => number {
  return (crf) => 100 - difficulty * Math.exp(crf / 14);
}

/** Deterministic pseudo-random noise in [-amplitude, amplitude] per CRF. */
function noisy(base: (crf: number) => number, amplitude: number, seed: number): (crf: number) => number {
  return (crf) => {
    const x = Math.sin(crf * 12.9898 + seed * 78.233) * 43758.5453;
    return base(crf) + (x - Math.floor(x) - 0.5) * 2 * amplitude;
  };
}

function bruteForce(f: (crf: number) => number, config: SearchConfig): number | undefined {
  let best: number | undefined;
  for (let crf = config.minCrf; crf <= config.maxCrf + 1e-9; crf += config.step) if (f(crf) >= config.target) best = crf;
  return best;
}

async function search(f: (crf: number) => number, config: SearchConfig) {
  const probed: number[] = [];
  const run = await runSearch(config, (crf) => {
    probed.push(crf);
    return Promise.resolve({ crf, vmaf: f(crf) });
  });
  return { ...run, probed };
}

const base: SearchConfig = { target: 93, minCrf: 10, maxCrf: 55, step: 1 };

describe('CRF search (pure)', () => {
  it('finds exactly the brute-force CRF on monotone curves with zero tolerance', async () => {
    let totalProbes = 0;
    let cases = 0;
    for (const difficulty of [0.3, 0.6, 1, 1.5, 2.5, 4]) {
      for (const target of [85, 90, 93, 95]) {
        const f = curve(difficulty);
        const config = { ...base, target, tolerance: 0 };
        const expected = bruteForce(f, config);
        if (expected === undefined || expected === config.maxCrf) continue;
        const run = await search(f, config);
        assert.equal(run.crf, expected, `difficulty ${difficulty} target ${target}: probed ${run.probed.join(',')}`);
        assert.equal(run.reached, true);
        assert.equal(new Set(run.probed).size, run.probed.length, 'never probes a CRF twice');
        assert.ok(
          run.probed.length <= 7,
          `difficulty ${difficulty} target ${target}: ${run.probed.length} probes (${run.probed.join(',')})`,
        );
        totalProbes += run.probed.length;
        cases++;
      }
    }
    assert.ok(cases >= 15);
    assert.ok(totalProbes / cases <= 5, `average probes ${totalProbes / cases}`);
  });

  it('with the default tolerance returns a passing CRF within the tolerance or the brute-force answer, in fewer probes', async () => {
    for (const difficulty of [0.3, 0.6, 1, 1.5, 2.5]) {
      const f = curve(difficulty);
      const expected = bruteForce(f, base)!;
      const run = await search(f, base);
      assert.ok(f(run.crf) >= base.target);
      assert.ok(run.crf === expected || f(run.crf) < base.target + 0.5, `difficulty ${difficulty}: crf ${run.crf} vmaf ${f(run.crf)}`);
      assert.ok(run.crf <= expected);
      assert.ok(run.probed.length <= 6);
    }
  });

  it('uses fewer probes from a warm start near the answer', async () => {
    let cold = 0;
    let warm = 0;
    for (const difficulty of [0.3, 0.6, 1, 1.5, 2.5]) {
      const f = curve(difficulty);
      const config = { ...base, tolerance: 0 };
      const expected = bruteForce(f, config)!;
      const coldRun = await search(f, config);
      const warmRun = await search(f, { ...config, warmStart: [expected + 1, expected - 1] });
      assert.equal(warmRun.crf, expected);
      assert.equal(warmRun.probed[0], expected, "first probe at the neighbours' CRF");
      cold += coldRun.probed.length;
      warm += warmRun.probed.length;
    }
    assert.ok(warm < cold, `warm ${warm} probes vs cold ${cold}`);
  });

  it('on noisy curves returns a measured passing CRF close to brute force, never probing twice', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const f = noisy(curve(0.8), 0.4, seed);
      const run = await search(f, base);
      const expected = bruteForce(f, base)!;
      assert.ok(run.probed.includes(run.crf), 'the answer was measured');
      assert.ok(f(run.crf) >= base.target, `seed ${seed}: answer ${run.crf} misses`);
      assert.ok(Math.abs(run.crf - expected) <= 3, `seed ${seed}: ${run.crf} vs brute force ${expected}`);
      assert.equal(new Set(run.probed).size, run.probed.length);
      assert.ok(run.probed.length <= 10);
    }
  });

  it('reports a target that even the lowest CRF misses, after few probes', async () => {
    const f = curve(20);
    const run = await search(f, base);
    assert.equal(run.reached, false);
    assert.equal(run.reason, 'target-unreachable');
    assert.equal(run.crf, base.minCrf);
    assert.ok(run.probed.length <= 4, `${run.probed.join(',')}`);
  });

  it('returns the highest CRF allowed when every CRF is above the target', async () => {
    const f = (crf: number) => 99 - crf * 0.01;
    const run = await search(f, base);
    assert.equal(run.reached, true);
    assert.equal(run.reason, 'above-target-at-max-crf');
    assert.equal(run.crf, base.maxCrf);
    assert.ok(run.probed.length <= 3, `${run.probed.join(',')}`);
  });

  it('works on a fractional CRF grid and only proposes grid points', async () => {
    const f = curve(1);
    const config = { ...base, step: 0.25, tolerance: 0 };
    const run = await search(f, config);
    for (const crf of run.probed) assert.equal(crf * 4, Math.round(crf * 4));
    assert.equal(run.crf, bruteForce(f, config));
  });

  it("starts mid-range without a warm start and at the neighbours' median with one", () => {
    assert.deepEqual(nextSearchStep(base, []), { done: false, crf: 33, method: 'bisect' });
    assert.deepEqual(nextSearchStep({ ...base, warmStart: [30, 34] }, []), { done: false, crf: 32, method: 'warm-start' });
  });

  it('stops when the next CRF was already tried', () => {
    // Noise made 30 fail and 31 pass: the bracket is empty, and 31 is the answer.
    const observations: Observation[] = [
      { crf: 20, vmaf: 97 },
      { crf: 30, vmaf: 92.8 },
      { crf: 31, vmaf: 94 },
      { crf: 32, vmaf: 92 },
    ];
    const step = nextSearchStep(base, observations);
    assert.equal(step.done, true);
    assert.equal(step.crf, 31);
  });

  it('respects the probe limit', async () => {
    const f = curve(1);
    const run = await search(f, { ...base, tolerance: 0, maxProbes: 2 });
    assert.equal(run.probed.length, 2);
    assert.equal(run.reason === 'probe-limit' || run.reason === 'found', true);
  });

  it('pchip interpolates monotone data without overshoot', () => {
    const xs = [10, 20, 30, 40];
    const ys = [99, 97, 90, 70];
    for (let x = 10; x <= 40; x += 0.5) {
      const y = pchip(xs, ys, x);
      assert.ok(y <= 99 + 1e-9 && y >= 70 - 1e-9);
    }
    assert.equal(pchip(xs, ys, 30), 90);
  });
  it('does not creep up a wide bracket: a recorded 1080p mandelbrot segment is found in 4 probes, not 7', async () => {
    // bench/target-quality --case 1080p-p8 --quick, segment 2, preset 8 (test/helpers/recorded-curve.ts).
    const recorded = (crf: number) => recordedVmaf(crf);
    // The neighbour (a static part) chose 55, so the search starts there, as it did in the bench.
    const run = await search(recorded, { ...base, warmStart: [55] });
    assert.equal(run.crf, 32);
    assert.ok(run.probed.length <= 4, `probed ${run.probed.join(', ')}`);
  });
});
