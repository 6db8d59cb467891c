import assert from 'node:assert/strict';
import { EXPECTED_PROBES, jobProgress, progressPercent, SEARCH_SHARE, type ProgressFacts } from '../../common/progress';

const probe = (crf: number) => ({ crf, vmaf: 93, bytes: 1000, seconds: 1 });
const seg = (over: Partial<ProgressFacts['segments'][number]>, start = 0) => ({
  state: 'queued' as const,
  startSeconds: start,
  endSeconds: start + 10,
  probes: [],
  ...over,
});

function job(over: Partial<ProgressFacts>): ProgressFacts {
  return {
    status: 'running',
    framesDone: 0,
    framesTotal: 720,
    segmentsDone: 0,
    segmentsTotal: 3,
    segments: [seg({}, 0), seg({}, 10), seg({}, 20)],
    ...over,
  };
}

describe('job progress (one definition for tree, status bar and notification)', () => {
  it('is frames done for a fixed-CRF job', () => {
    assert.equal(jobProgress(job({ framesDone: 360 })), 0.5);
    assert.equal(progressPercent(job({ framesDone: 719 })), 99, 'never 100 before the job is done');
    assert.equal(progressPercent(job({ status: 'done', framesDone: 0 })), 100);
  });

  it('moves during the CRF search, probe by probe, before any frame is encoded', () => {
    const searching = (probes: number) =>
      job({
        targetVmaf: 93,
        segments: [
          seg({ state: 'searching', probes: Array.from({ length: probes }, (_, i) => probe(30 + i)) }, 0),
          seg({}, 10),
          seg({}, 20),
        ],
      });
    const figures = [0, 1, 2, 3].map((n) => jobProgress(searching(n)));
    assert.equal(figures[0], 0);
    for (let i = 1; i < figures.length; i += 1)
      assert.ok(figures[i]! > figures[i - 1]!, `probe ${i} moves the figure: ${figures.join(', ')}`);
    assert.ok(Math.abs(figures[1]! - SEARCH_SHARE / 3 / EXPECTED_PROBES) < 1e-9, 'one probe of one segment of three');
    const many = jobProgress(searching(20));
    assert.ok(many < SEARCH_SHARE / 3, 'a search still running is never counted as finished');
  });

  it('counts a searched segment whole on the search side and its encoded frames on the other', () => {
    const searched = job({ targetVmaf: 93, segments: [seg({ state: 'encoding', crf: 35 }, 0), seg({}, 10), seg({}, 20)] });
    assert.ok(Math.abs(jobProgress(searched) - SEARCH_SHARE / 3) < 1e-9);
    const allDone = job({
      targetVmaf: 93,
      framesDone: 720,
      segments: [seg({ state: 'done', crf: 35 }, 0), seg({ state: 'done', crf: 36 }, 10), seg({ state: 'skipped', crf: 30 }, 20)],
    });
    assert.equal(jobProgress(allDone), 1);
  });

  it('weights segments by their length', () => {
    const long = job({
      targetVmaf: 93,
      segments: [seg({ state: 'encoding', crf: 35, endSeconds: 30 }, 0), { ...seg({}, 30), endSeconds: 40 }],
    });
    assert.ok(Math.abs(jobProgress(long) - SEARCH_SHARE * 0.75) < 1e-9);
  });
});
