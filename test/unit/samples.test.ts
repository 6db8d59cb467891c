import assert from 'node:assert/strict';
import { planSamples, sampleCutArgs, sampleEncodeArgs, sampleSelectExpression } from '../../server/src/crf/samples';
import type { PlannedSegment } from '../../server/src/plan/plan';

const segment: PlannedSegment = {
  index: 2,
  startFrame: 500,
  frames: 250,
  startSeconds: 20,
  endSeconds: 30,
  seekSeconds: 18,
  keepFromSeconds: 19.98,
  keepToSeconds: 29.98,
};

describe('sample plan (pure)', () => {
  it('spreads N samples of S seconds evenly with equal gaps', () => {
    const plan = planSamples({ segmentFrames: 250, frameRate: 25, samples: 3, sampleSeconds: 2 });
    assert.equal(plan.fullPass, false);
    assert.equal(plan.frames, 150);
    // gap = (250 - 150) / 4 = 25
    assert.deepEqual(plan.ranges, [
      { startFrame: 25, frames: 50 },
      { startFrame: 100, frames: 50 },
      { startFrame: 175, frames: 50 },
    ]);
    for (const r of plan.ranges) assert.ok(r.startFrame >= 0 && r.startFrame + r.frames <= 250);
  });

  it('never overlaps and stays inside the segment for awkward sizes', () => {
    for (const frames of [61, 97, 240, 1001]) {
      for (const samples of [1, 2, 4, 6]) {
        const plan = planSamples({ segmentFrames: frames, frameRate: 23.976, samples, sampleSeconds: 0.5 });
        if (plan.fullPass) continue;
        let end = 0;
        for (const r of plan.ranges) {
          assert.ok(r.startFrame >= end, `${frames}/${samples}: overlap`);
          end = r.startFrame + r.frames;
        }
        assert.ok(end <= frames);
      }
    }
  });

  it('switches to a full pass when the samples would cover at least 85% of the segment', () => {
    // 6 x 2 s of a 12 s segment: 100%.
    assert.deepEqual(planSamples({ segmentFrames: 300, frameRate: 25, samples: 6, sampleSeconds: 2 }), {
      fullPass: true,
      ranges: [{ startFrame: 0, frames: 300 }],
      frames: 300,
    });
    // 85% exactly: full pass; just under: samples.
    assert.equal(planSamples({ segmentFrames: 100, frameRate: 10, samples: 1, sampleSeconds: 8.5 }).fullPass, true);
    assert.equal(planSamples({ segmentFrames: 100, frameRate: 10, samples: 1, sampleSeconds: 8.4 }).fullPass, false);
  });

  it('builds a frame-number select expression', () => {
    assert.equal(
      sampleSelectExpression([
        { startFrame: 25, frames: 50 },
        { startFrame: 100, frames: 1 },
      ]),
      'between(n,25,74)+between(n,100,100)',
    );
  });
});

describe('sample ffmpeg arguments (pure)', () => {
  const settings = {
    crf: 31,
    preset: 12,
    svtParams: 'tune=0',
    keyintFrames: 250,
    pixelFormat: 'yuv420p10le',
    evenCrop: false,
    colour: {},
  };

  it('cuts frame-exactly by decoding (no stream copy), into lossless HuffYUV (fast to decode again), names passed as single arguments', () => {
    const plan = planSamples({ segmentFrames: 250, frameRate: 25, samples: 3, sampleSeconds: 2 });
    const input = "/tmp/a 'b' $c;ü.mkv";
    const args = sampleCutArgs(input, segment, plan, settings, 25, '/w/s.mkv');
    assert.equal(args[args.indexOf('-i') + 1], `file:${input}`);
    assert.ok(!args.includes('copy'));
    assert.equal(args[args.indexOf('-c:v') + 1], 'ffvhuff');
    const vf = args[args.indexOf('-vf') + 1]!;
    assert.match(vf, /select='gte\(t,19\.980000\)\*lt\(t,29\.980000\)'/);
    assert.match(vf, /select='between\(n,25,74\)\+between\(n,100,149\)\+between\(n,175,224\)'/);
    assert.match(vf, /format=yuv420p10le/);
    assert.ok(vf.indexOf('format=') < vf.indexOf('between'), 'segment filter first, then the sample selection');
  });

  it('a full-pass cut keeps the whole segment with the same filter as the segment encode', () => {
    const plan = planSamples({ segmentFrames: 250, frameRate: 25, samples: 6, sampleSeconds: 2 });
    const vf = sampleCutArgs('/in.mkv', segment, plan, settings, 25, '/out.mkv');
    assert.ok(!vf[vf.indexOf('-vf') + 1]!.includes('between'));
  });

  it('encodes a sample with the job settings at the probe CRF', () => {
    const args = sampleEncodeArgs('/s.mkv', settings, '/e.mkv');
    assert.equal(args[args.indexOf('-crf') + 1], '31');
    assert.equal(args[args.indexOf('-preset') + 1], '12');
    assert.equal(args[args.indexOf('-g') + 1], '250');
    assert.equal(args[args.indexOf('-svtav1-params') + 1], 'tune=0');
    assert.equal(args.at(-1), 'file:/e.mkv');
  });
});
