import assert from 'node:assert/strict';
import { planSegments } from '../../server/src/plan/plan';
import { sceneLimits, splitCuts, type SplitOptions } from '../../server/src/plan/split';
import { buildTimeline, type FrameTimeline } from '../../server/src/probe/frames';
import { parseSceneScores, sceneDetectArgs } from '../../server/src/probe/scene-detect';
import { cropSampleRanges, cropSampleSelect, cropWindowArgs, cropWindowStarts } from '../../server/src/inspect/cropdetect';
import { sceneAndCropArgs } from '../../server/src/inspect/scene-crop-pass';
import { segmentFilter } from '../../server/src/encode/encode-args';

function cfr(frames: number, fps: number, gop: number, start = 0): FrameTimeline {
  return buildTimeline(
    Array.from({ length: frames }, (_, i) => ({ pts: start + i / fps, key: i % gop === 0 })),
    fps,
  );
}

const base: SplitOptions = { split: 'scene', segmentSeconds: 10, minSegmentSeconds: 4, sceneThreshold: 0.3 };

describe('split (pure)', () => {
  it('clamps the scene limits: the minimum never above the target, the maximum twice the target by default', () => {
    assert.deepEqual(sceneLimits({ ...base, segmentSeconds: 2 }), { targetSeconds: 2, minSeconds: 2, maxSeconds: 4, threshold: 0.3 });
    assert.deepEqual(sceneLimits({ ...base, maxSegmentSeconds: 5 }), { targetSeconds: 10, minSeconds: 4, maxSeconds: 10, threshold: 0.3 });
  });

  it('puts scene-split segments on the shot changes, each named for its reason', () => {
    // 24 s at 24 fps, one keyframe at 0; shots change at frames 200 and 390.
    const timeline = cfr(576, 24, 10_000);
    const scores = [
      { frame: 200, score: 0.6 },
      { frame: 390, score: 0.5 },
      { frame: 300, score: 0.05 },
    ];
    const plan = planSegments(timeline, { segmentSeconds: 8, cuts: splitCuts(timeline, { ...base, segmentSeconds: 8 }, scores) });
    assert.deepEqual(
      plan.segments.map((s) => [s.startFrame, s.reason]),
      [
        [0, 'start'],
        [200, 'scene'],
        [390, 'scene'],
      ],
    );
    assert.equal(
      plan.segments.reduce((n, s) => n + s.frames, 0),
      576,
    );
  });

  it('keyframe and fixed splits keep their own cutters and reasons', () => {
    const timeline = cfr(240, 24, 48);
    const keyframe = planSegments(timeline, {
      segmentSeconds: 4,
      cuts: splitCuts(timeline, { ...base, split: 'keyframe', segmentSeconds: 4 }),
    });
    assert.deepEqual(
      keyframe.segments.map((s) => [s.startFrame, s.reason]),
      [
        [0, 'start'],
        [96, 'keyframe'],
        [192, 'keyframe'],
      ],
    );
    const fixed = planSegments(timeline, { segmentSeconds: 3, cuts: splitCuts(timeline, { ...base, split: 'fixed', segmentSeconds: 3 }) });
    assert.deepEqual(
      fixed.segments.map((s) => [s.startFrame, s.reason]),
      [
        [0, 'start'],
        [72, 'fixed'],
        [144, 'fixed'],
      ],
    );
  });

  it('refuses cuts that do not increase', () => {
    assert.throws(
      () =>
        planSegments(cfr(100, 25, 25), {
          segmentSeconds: 1,
          cuts: [
            { frame: 50, reason: 'scene' },
            { frame: 50, reason: 'scene' },
          ],
        }),
      /not after/,
    );
  });
});

describe('scene detection output (pure)', () => {
  it('maps scores to timeline frames by timestamp, drops the floor and frame 0', () => {
    const timeline = cfr(10, 25, 100, 1.4);
    const text = [
      'frame:0    pts:0       pts_time:1.4',
      'lavfi.scene_score=0.000000',
      'frame:1    pts:1       pts_time:1.44',
      'lavfi.scene_score=0.010000',
      // a decoder that dropped a frame: the next one is matched by its time, not its count
      'frame:2    pts:3       pts_time:1.52',
      'lavfi.scene_score=0.720000',
      'frame:3    pts:4       pts_time:1.56',
      'lavfi.scene_score=0.051234',
    ].join('\n');
    assert.deepEqual(parseSceneScores(text, timeline), [
      { frame: 3, score: 0.72 },
      { frame: 4, score: 0.0512 },
    ]);
  });

  it('reads the input as a file: URL with the whitelists, and scores every frame', () => {
    const args = sceneDetectArgs('/a/b #1?.mkv', 0);
    assert.ok(args.includes('file:/a/b #1?.mkv'));
    assert.ok(args.includes('-protocol_whitelist'));
    assert.ok(!args.includes('-skip_frame'));
    assert.match(args[args.indexOf('-vf') + 1]!, /select='gte\(scene\\,0\)'/);
  });
});

describe('crop windows (pure)', () => {
  it('spreads about 20 windows over a film, fewer over a short clip, away from the ends of a long one', () => {
    const film = cropWindowStarts(0, 6000);
    assert.equal(film.length, 20);
    assert.ok(film[0]! > 120 && film.at(-1)! < 5880);
    assert.deepEqual(cropWindowStarts(10, 8), [11, 13, 15, 17]);
    assert.equal(cropWindowStarts(0, 1).length, 1);
  });

  it('seeks on the source clock and logs every frame on its own', () => {
    const args = cropWindowArgs('/x.mkv', 2, 12.5);
    assert.deepEqual(args.slice(args.indexOf('-seek_timestamp'), args.indexOf('-seek_timestamp') + 4), [
      '-seek_timestamp',
      '1',
      '-ss',
      '12.500000',
    ]);
    assert.match(args[args.indexOf('-vf') + 1]!, /reset=1/);
    assert.equal(args[args.indexOf('-map') + 1], '0:2');
  });

  it('the encode filter crops exactly, instead of the odd-size crop', () => {
    const segment = planSegments(cfr(50, 25, 25), { segmentSeconds: 10 }).segments[0]!;
    const filter = segmentFilter(segment, { evenCrop: true, pixelFormat: 'yuv420p', crop: { width: 1920, height: 800, x: 0, y: 140 } });
    assert.match(filter, /crop=1920:800:0:140:exact=1,format=yuv420p$/);
    assert.doesNotMatch(filter, /trunc/);
  });
});

describe('scene and crop in one decode (pure)', () => {
  it('samples the frames the crop windows would have decoded, by timestamp', () => {
    const { pts } = cfr(240, 24, 240, 0.5);
    const starts = cropWindowStarts(0.5, 10);
    assert.deepEqual(starts, [1.5, 3.5, 5.5, 7.5, 9.5]);
    const ranges = cropSampleRanges(pts, starts, 6);
    assert.equal(ranges.length, 5);
    assert.deepEqual(ranges[0], [1.5, 1.5 + 5 / 24]);
    assert.deepEqual(ranges[4], [9.5, 9.5 + 5 / 24]);
    // A window that runs out of frames keeps what is there.
    assert.deepEqual(cropSampleRanges(pts, [10.4], 6), [[pts.at(-2), pts.at(-1)]]);
    // Overlapping windows (a start inside the previous window) merge.
    assert.deepEqual(cropSampleRanges(pts, [1.5, 1.6], 6), [[1.5, 1.5 + 8 / 24]]);
    assert.deepEqual(cropSampleRanges(pts, [20], 6), []);
  });

  it('selects those frames with half a frame of slack, nothing when there are none', () => {
    assert.equal(cropSampleSelect([[1, 1.25]], 0.04), 'between(t\\,0.980000\\,1.270000)');
    assert.equal(cropSampleSelect([], 0.04), '0');
  });

  it('splits one decode of every frame into the scene scores (stdout) and the boxes (stderr at info)', () => {
    const args = sceneAndCropArgs('/a/b #1?.mkv', 2, 'between(t\\,1\\,2)');
    assert.ok(args.includes('file:/a/b #1?.mkv'));
    assert.ok(!args.includes('-skip_frame'));
    assert.equal(args[args.indexOf('-loglevel') + 1], 'info');
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    assert.match(graph, /^\[0:2\]split=2/);
    assert.match(graph, /select='gte\(scene\\,0\)',metadata=mode=print:key=lavfi\.scene_score:file=-/);
    assert.match(graph, /select='between\(t\\,1\\,2\)',cropdetect=round=2:reset=1:skip=0/);
    assert.deepEqual(
      args.filter((a) => a === '-map'),
      ['-map', '-map'],
    );
  });
});

describe('scene split on rounded clocks', () => {
  it('makes three 1 s segments of 72 frames whose Matroska clock spans 2.999 s, cut on the keyframes', () => {
    const raw = Array.from({ length: 72 }, (_, i) => ({ pts: Math.round((i / 24) * 1000) / 1000, key: i % 24 === 0 }));
    const timeline = { ...buildTimeline(raw, 24), lastFrameSeconds: 0.041 };
    const plan = planSegments(timeline, { segmentSeconds: 1, cuts: splitCuts(timeline, { ...base, segmentSeconds: 1 }, []) });
    assert.deepEqual(
      plan.segments.map((s) => [s.startFrame, s.reason]),
      [
        [0, 'start'],
        [24, 'keyframe'],
        [48, 'keyframe'],
      ],
    );
  });
});

describe('scene split keeps shots whole', () => {
  it('does not split a shot shorter than the maximum, even when it is far from the target', () => {
    // 23.25 s at 24 fps: shots of 5.5, 7, 4.25 and 6.5 s; target 4, maximum 8.
    const timeline = cfr(558, 24, 240);
    const scores = [
      { frame: 132, score: 0.9 },
      { frame: 300, score: 0.8 },
      { frame: 402, score: 0.7 },
    ];
    const cuts = splitCuts(timeline, { ...base, segmentSeconds: 4, minSegmentSeconds: 2 }, scores);
    assert.deepEqual(cuts, [
      { frame: 132, reason: 'scene' },
      { frame: 300, reason: 'scene' },
      { frame: 402, reason: 'scene' },
    ]);
  });
});
