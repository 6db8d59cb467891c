import assert from 'node:assert/strict';
import { chooseCuts, planSegments } from '../../server/src/plan/plan';
import { buildTimeline } from '../../server/src/probe/frames';
import type { FrameTimeline } from '../../server/src/probe/frames';

function cfr(frames: number, fps: number, gop: number, start = 0): FrameTimeline {
  const raw = Array.from({ length: frames }, (_, i) => ({ pts: start + i / fps, key: i % gop === 0 }));
  return buildTimeline(raw, fps);
}

describe('plan', () => {
  it('cuts at keyframes nearest each multiple of the segment length', () => {
    const plan = planSegments(cfr(240, 24, 24), { segmentSeconds: 3 });
    // 10 s at 3 s: cuts at 3 and 6 s; a cut at 9 s would leave 1 s (< half a segment), so none.
    assert.deepEqual(
      plan.segments.map((s) => s.startFrame),
      [0, 72, 144],
    );
    assert.equal(
      plan.segments.reduce((n, s) => n + s.frames, 0),
      240,
    );
    assert.equal(plan.frames, 240);
    assert.ok(Math.abs(plan.durationSeconds - 10) < 1e-9);
  });

  it('merges a short tail into the last segment and covers every frame once', () => {
    const plan = planSegments(cfr(250, 25, 25), { segmentSeconds: 4.5 });
    // 10 s at 4.5 s: the keyframe at 4 s; a cut near 8.5 s would leave 1.5 s (< half), so none.
    const starts = plan.segments.map((s) => s.startFrame);
    assert.deepEqual(starts, [0, 100]);
    assert.equal(plan.segments[1]!.frames, 150);
  });

  it('cuts between keyframes when the GOP is longer than the segment', () => {
    const timeline = cfr(300, 30, 1000);
    const cuts = chooseCuts(timeline, 2);
    assert.deepEqual(cuts, [60, 120, 180, 240]);
    const plan = planSegments(timeline, { segmentSeconds: 2 });
    // With a single keyframe every copy starts at it.
    assert.ok(plan.segments.every((s) => s.seekSeconds === 0));
  });

  it('starts a copy cut between keyframes at the keyframe of the GOP its first frame is in', () => {
    // Keyframes every 40 frames (at 0, 1.333, 2.667 s...), cuts every 1 s fall inside GOPs.
    const timeline = cfr(180, 30, 40);
    const plan = planSegments(timeline, { segmentSeconds: 1 });
    for (const segment of plan.segments.slice(1)) {
      const ownKey = Math.floor(segment.startFrame / 40) * 40;
      // Half a frame before that keyframe: the copy's first keyframe at or after -ss is it.
      assert.ok(Math.abs(segment.seekSeconds - (ownKey - 0.5) / 30) < 1e-9, `segment ${segment.index} seeks to ${segment.seekSeconds}`);
      assert.ok(segment.seekSeconds < segment.startSeconds);
    }
  });

  it('starts each copy just before its own keyframe and keeps frames by midpoints between timestamps', () => {
    const plan = planSegments(cfr(96, 24, 24), { segmentSeconds: 1 });
    const second = plan.segments[2]!;
    assert.equal(second.startFrame, 48);
    // Its own keyframe (2 s), less half a frame: no GOP before it is copied or decoded.
    assert.ok(Math.abs(second.seekSeconds - 47.5 / 24) < 1e-9);
    assert.ok(Math.abs(second.keepFromSeconds - 47.5 / 24) < 1e-9);
    assert.ok(Math.abs(second.keepToSeconds - 71.5 / 24) < 1e-9);
    assert.ok(second.copyEndSeconds! >= second.endSeconds + 1);
    assert.equal(plan.segments[3]!.copyEndSeconds, undefined);
  });

  it('follows a variable frame rate and a non-zero start time', () => {
    const pts = [1.4, 1.45, 1.5, 1.6, 1.9, 2.0, 2.05, 2.4, 2.5, 2.9, 3.0, 3.3, 3.4];
    const timeline = buildTimeline(
      pts.map((p, i) => ({ pts: p, key: i % 4 === 0 })),
      20,
    );
    assert.equal(timeline.variableFrameRate, true);
    const plan = planSegments(timeline, { segmentSeconds: 0.6 });
    assert.equal(plan.startSeconds, 1.4);
    assert.equal(
      plan.segments.reduce((n, s) => n + s.frames, 0),
      pts.length,
    );
    for (let i = 1; i < plan.segments.length; i++) {
      assert.equal(plan.segments[i]!.startSeconds, plan.segments[i - 1]!.endSeconds);
      assert.equal(plan.segments[i]!.keepFromSeconds, plan.segments[i - 1]!.keepToSeconds);
    }
  });

  it('plans a one-frame source as one segment', () => {
    const plan = planSegments(buildTimeline([{ pts: 0, key: true }], 25), { segmentSeconds: 10 });
    assert.equal(plan.segments.length, 1);
    assert.equal(plan.segments[0]!.frames, 1);
  });
});
