import assert from 'node:assert/strict';
import { flatCurve, knee, missAnswer, unreachableText } from '../../server/src/crf/unreachable';
import { runSearchWithFlatStop } from '../../server/src/crf/flat-search';

// A held-out 4-minute film (issue 22, item 7): slowly moving smooth gradients, VMAF 88.7–90.5 at every CRF 38 → 10.
const GRADIENT: Record<number, number> = { 10: 90.5, 14: 90.4, 18: 90.5, 22: 90.3, 24: 90.5, 26: 90.1, 30: 89.9, 33: 89.6, 38: 88.7 };
function gradient(crf: number): number {
  const keys = Object.keys(GRADIENT).map(Number);
  const nearest = keys.sort((a, b) => Math.abs(a - crf) - Math.abs(b - crf))[0]!;
  return crf > 38 ? 88.7 - (crf - 38) * 0.4 : GRADIENT[nearest]!;
}

describe('an unreachable target is an answer', () => {
  it('sees a flat curve from two failing probes several CRF apart', () => {
    assert.equal(
      flatCurve(
        [
          { crf: 33, vmaf: 89.6 },
          { crf: 24, vmaf: 90.5 },
        ],
        93,
      ),
      false,
      '0.9 apart: not flat',
    );
    assert.equal(
      flatCurve(
        [
          { crf: 30, vmaf: 89.9 },
          { crf: 27, vmaf: 90.1 },
        ],
        93,
      ),
      false,
      '3 CRF apart: too close to tell',
    );
    assert.equal(
      flatCurve(
        [
          { crf: 30, vmaf: 89.9 },
          { crf: 24, vmaf: 90.1 },
        ],
        93,
      ),
      true,
    );
    assert.equal(
      flatCurve(
        [
          { crf: 30, vmaf: 93.9 },
          { crf: 20, vmaf: 94.1 },
        ],
        93,
      ),
      false,
      'passing probes are not a miss',
    );
  });

  it('takes the knee: the highest CRF within 0.3 of the best', () => {
    const seen = [
      { crf: 38, vmaf: 88.7 },
      { crf: 24, vmaf: 90.5 },
      { crf: 26, vmaf: 90.1 },
      { crf: 10, vmaf: 90.5 },
    ];
    assert.deepEqual(knee(seen), { crf: 24, vmaf: 90.5 });
    assert.equal(unreachableText(90.5, 24), 'unreachable: best 90.5 at CRF 24');
  });

  it('stops the search early on the recorded gradient, at its knee, in at most 5 probes', async () => {
    const probed: number[] = [];
    const run = await runSearchWithFlatStop({ target: 93, minCrf: 10, maxCrf: 55, step: 1, warmStart: [38] }, (crf) => {
      probed.push(crf);
      return Promise.resolve({ crf, vmaf: gradient(crf) });
    });
    assert.equal(run.reached, false);
    assert.equal(run.flat, true);
    assert.ok(probed.length <= 5, `probed ${probed.join(', ')}`);
    assert.ok(run.vmaf >= Math.max(...probed.map(gradient)) - 0.3, `knee at ${run.crf}: ${run.vmaf}`);
    assert.ok(run.crf >= 20, `the knee moved up from --min-crf: ${probed.join(', ')} → ${run.crf}`);
  });

  it('a reachable target is searched as before', async () => {
    const curve = (crf: number) => 100 - Math.exp(crf / 14) * 0.6;
    const run = await runSearchWithFlatStop({ target: 93, minCrf: 10, maxCrf: 55, step: 1 }, (crf) =>
      Promise.resolve({ crf, vmaf: curve(crf) }),
    );
    assert.equal(run.reached, true);
    assert.equal(run.flat, false);
    assert.ok(curve(run.crf) >= 93 && curve(run.crf + 1) < 93);
  });

  it('a lowered target is never reported as met; --strict makes a miss a failure', () => {
    assert.equal(missAnswer({ vmaf: 92.6, target: 93, strict: true, searchSaidUnreachable: false }), 'met');
    assert.equal(missAnswer({ vmaf: 90.84, target: 93, strict: false, searchSaidUnreachable: true }), 'unreachable');
    assert.equal(missAnswer({ vmaf: 90.84, target: 93, strict: true, searchSaidUnreachable: true }), 'miss');
    assert.equal(missAnswer({ vmaf: 90.84, target: 93, strict: false, searchSaidUnreachable: false }), 'miss');
  });
});
