import assert from 'node:assert/strict';
import { predictSegmentCrf, predictorError, type CrfLabel } from '../../server/src/crf/crf-predictor';
import { contentWindowArgs, planContentWindow, windowFeature, WINDOW_CRF } from '../../server/src/crf/content-window';
import { matchWindow, sameKind } from '../../server/src/crf/window-match';
import type { PlannedSegment } from '../../server/src/plan';

const range = { minCrf: 10, maxCrf: 55 };
const slope = 1 / 14;

/**
 * Recorded on bench/film's first 2 minutes (960x540, 24 fps, 10 s segments): each segment's 2 s
 * window from its middle, at 480x270, SVT-AV1 preset 12 CRF 35, VMAF by the built-in engine
 * (harmonic mean), bytes of the encode; and the CRF each segment needed for T = 93 at preset 12
 * (docs/notes/bench22.md: 55 ×4 at the top of the range, 39–40, 24–25).
 */
const FILM: { segment: number; kind: string; vmaf: number; bytes: number; crf: number }[] = [
  { segment: 0, kind: 'establishing', vmaf: 97.11, bytes: 16220, crf: 55 },
  { segment: 1, kind: 'establishing', vmaf: 97.0, bytes: 16674, crf: 55 },
  { segment: 2, kind: 'establishing', vmaf: 97.25, bytes: 17198, crf: 55 },
  { segment: 3, kind: 'establishing', vmaf: 97.21, bytes: 17033, crf: 55 },
  { segment: 4, kind: 'action', vmaf: 96.83, bytes: 53793, crf: 39 },
  { segment: 5, kind: 'action', vmaf: 96.65, bytes: 51104, crf: 40 },
  { segment: 6, kind: 'action', vmaf: 95.57, bytes: 46059, crf: 39 },
  { segment: 7, kind: 'action', vmaf: 96.17, bytes: 50548, crf: 40 },
  { segment: 8, kind: 'action', vmaf: 96.24, bytes: 51781, crf: 40 },
  { segment: 9, kind: 'detail', vmaf: 89.88, bytes: 50769, crf: 25 },
  { segment: 10, kind: 'detail', vmaf: 88.45, bytes: 36531, crf: 24 },
  { segment: 11, kind: 'detail', vmaf: 86.22, bytes: 63168, crf: 25 },
];
const plan = { frames: 48, width: 480, height: 270 };
const windowOf = (s: (typeof FILM)[number]) => windowFeature({ vmaf: s.vmaf, bytes: s.bytes, plan });

/** Each segment predicted from the labels verified before it (in order), then labelled. */
function replay(order = FILM) {
  const labels: CrfLabel[] = [];
  const predictions = order.map((s) => {
    const segment = { segment: s.segment, bitsPerPixel: 0.1, window: windowOf(s) };
    const prediction = predictSegmentCrf({ segment, labels, ...range, slope });
    labels.push({ ...segment, crf: s.crf, ...(prediction.source !== 'none' ? { predicted: prediction.crf } : {}) });
    return prediction;
  });
  return { predictions, labels };
}

describe('the content window and the predictor on it', () => {
  it('tells the recorded kinds apart, and finds each kind like itself', () => {
    for (const a of FILM) {
      for (const b of FILM) {
        assert.equal(sameKind(windowOf(a), windowOf(b)), a.kind === b.kind, `segments ${a.segment} and ${b.segment}`);
      }
    }
  });

  it('a change of kind mid-job is a warm-up, not the previous run’s CRF; inside a run it is exact', () => {
    const { predictions, labels } = replay();
    for (const i of [0, 4, 9]) assert.equal(predictions[i]!.confident, false, `segment ${i}: first of its kind`);
    for (const i of [1, 2, 3, 5, 6, 7, 8, 10, 11]) {
      assert.equal(predictions[i]!.confident, true, `segment ${i}`);
      assert.ok(Math.abs(predictions[i]!.crf - FILM[i]!.crf) <= 1, `segment ${i}: ${predictions[i]!.crf} for ${FILM[i]!.crf}`);
    }
    const error = predictorError(labels);
    assert.equal(error.count, 9);
    assert.ok(error.worst <= 1, `worst ${error.worst}`);
    // Bits per pixel of the source alone (the earlier predictor) took segment 4 for the establishing run.
    const bppOnly = predictSegmentCrf({
      segment: { segment: 4, bitsPerPixel: 0.1 },
      labels: labels.slice(0, 4).map(({ window: _w, ...l }) => l),
      ...range,
    });
    assert.deepEqual([bppOnly.crf, bppOnly.confident], [55, true]);
  });

  it('a new kind gets a first guess moved along the slope from the nearest kind not held at the range’s end', () => {
    const { predictions } = replay();
    // Segment 9 (detail) from the action labels: within 2 CRF of the 25 it needed.
    assert.ok(Math.abs(predictions[9]!.guess! - 25) <= 2, `guess ${predictions[9]!.guess}`);
    // Segment 4 (action) has only labels at --max-crf to go by: no guess (bisect).
    assert.equal(predictions[4]!.guess, undefined);
  });

  it('returning content is predicted from that kind’s earlier labels, far from its neighbours', () => {
    // The film returns to establishing content after detail (its run order): segment 12 is like 0–3.
    const back = { segment: 12, kind: 'establishing', vmaf: 97.05, bytes: 16500, crf: 55 };
    const { labels } = replay();
    const prediction = predictSegmentCrf({ segment: { segment: 12, bitsPerPixel: 0.1, window: windowOf(back) }, labels, ...range, slope });
    assert.deepEqual([prediction.crf, prediction.source, prediction.confident], [55, 'similar', true]);
  });

  it('same-kind labels that disagree are not trusted together', () => {
    const w = windowFeature({ vmaf: 96, bytes: 50000, plan });
    const match = matchWindow({
      segment: 20,
      window: w,
      labels: [
        { segment: 1, crf: 30, window: w },
        { segment: 8, crf: 38, window: w },
      ],
      ...range,
      slope,
    });
    assert.deepEqual([match.source, match.confident, match.crf], ['similar', false, 34]);
  });

  it('places the window in the middle of the segment, seeks before it, and writes the reference and the tiny encode in one run', () => {
    const segment: PlannedSegment = {
      index: 4,
      startFrame: 960,
      frames: 240,
      startSeconds: 40,
      endSeconds: 50,
      seekSeconds: 38.98,
      keepFromSeconds: 39.98,
      keepToSeconds: 49.98,
    };
    const window = planContentWindow({ segment, frameRate: 24, width: 960, height: 540 });
    assert.deepEqual([window.scaled, window.width, window.height], [true, 480, 270]);
    // SVT-AV1 takes nothing under 64 a side: a small picture is kept as it is.
    const small = planContentWindow({ segment, frameRate: 24, width: 192, height: 108 });
    assert.deepEqual([small.scaled, small.width, small.height], [false, 192, 108]);
    assert.ok(Math.abs(window.startSeconds - 43.98) < 1e-9);
    assert.ok(Math.abs(window.endSeconds - 45.98) < 1e-9);
    assert.equal(window.frames, 48);
    assert.ok(Math.abs(window.seekOffset - 4.5) < 1e-9);
    const short = planContentWindow({ segment: { ...segment, keepToSeconds: 40.98, frames: 24 }, frameRate: 24, width: 480, height: 270 });
    assert.deepEqual([short.frames, short.startSeconds], [24, 39.98]);
    const settings = { preset: 8, svtParams: '', keyintFrames: 240, pixelFormat: 'yuv420p10le', colour: {}, evenCrop: true };
    const args = contentWindowArgs('/seg/segment_004.mkv', segment, window, settings, '/tmp/r.mkv', '/tmp/e.mkv');
    assert.deepEqual(args.slice(args.indexOf('-ss'), args.indexOf('-ss') + 2), ['-ss', '4.5']);
    assert.ok(args.indexOf('-copyts') < args.indexOf('-i'));
    const filter = args[args.indexOf('-filter_complex') + 1]!;
    assert.match(filter, /select='gte\(t,43\.98\d*\)\*lt\(t,45\.98\d*\)'/);
    assert.match(filter, /,scale=trunc\(iw\/4\)\*2:trunc\(ih\/4\)\*2,format=yuv420p10le,split=2\[ref\]\[enc\]$/);
    const unscaled = contentWindowArgs('/seg/segment_004.mkv', segment, small, settings, '/tmp/r.mkv', '/tmp/e.mkv');
    assert.doesNotMatch(unscaled[unscaled.indexOf('-filter_complex') + 1]!, /scale=/);
    assert.equal(args.filter((a) => a === '-frames:v').length, 2);
    assert.equal(args[args.indexOf('-crf') + 1], String(WINDOW_CRF));
    assert.equal(args[args.indexOf('-preset') + 1], '13');
    assert.equal(args.at(-1), 'file:/tmp/e.mkv');
  });
});
