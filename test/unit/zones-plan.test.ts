import assert from 'node:assert/strict';
import { buildTimeline } from '../../server/src/probe/frames';
import { parseEncodeOptions } from '../../common/options';
import {
  checkZones,
  describeSnap,
  importAv1anZones,
  optionsForSegment,
  planWithZones,
  zoneOptionProblems,
  type ZoneFacts,
} from '../../server/src/zones';

/** 24 fps, 60 s, a keyframe every 2 s, scene changes where the test says. */
function video(seconds = 60) {
  const timeline = buildTimeline(
    Array.from({ length: seconds * 24 }, (_, i) => ({ pts: i / 24, key: i % 48 === 0 })),
    24,
  );
  const facts: ZoneFacts = { pts: timeline.pts, lastFrameSeconds: timeline.lastFrameSeconds, chapters: [] };
  return { timeline, facts };
}

const options = parseEncodeOptions({ input: 'in.mkv', targetVmaf: 93, svtParams: 'tune=0:enable-qm=1' });
const scenes = (frames: number[]) => frames.map((frame) => ({ frame, score: 0.9 }));

describe('zones: the plan', () => {
  it('cuts at every zone boundary, snaps to a near scene change, and gives each segment its zone', () => {
    const { timeline, facts } = video();
    const { zones } = checkZones('300-700 crf=30\n1000-1200 target-vmaf=85 film-grain=8', facts);
    // A scene change 7 frames after 300 (0.29 s: snapped) and one 20 frames after 1200 (0.83 s: not).
    const scores = scenes([307, 600, 1220]);
    const { plan, snaps } = planWithZones(timeline, { ...options, split: 'scene' }, scores, zones);
    assert.deepEqual(
      snaps.map(({ seconds, ...snap }) => ({ ...snap, seconds: Number(seconds.toFixed(6)) })),
      [{ zone: 0, line: 0, edge: 'start', from: 300, to: 307, seconds: Number((7 / 24).toFixed(6)) }],
    );
    assert.equal(describeSnap(snaps[0]!), 'zone 0 (line 1): start moved from frame 300 to the scene cut at frame 307 (+0.29 s)');
    const starts = plan.segments.map((s) => s.startFrame);
    for (const boundary of [307, 700, 1000, 1200]) assert.ok(starts.includes(boundary), `a cut at ${boundary}: ${starts.join(',')}`);
    // No segment spans two zones, or a zone and the rest.
    for (const segment of plan.segments) {
      const end = segment.startFrame + segment.frames;
      const inside = (from: number, to: number) => segment.startFrame >= from && end <= to;
      const zone = segment.zone?.index;
      if (zone === 0) assert.ok(inside(307, 700), `segment ${segment.index} in zone 0`);
      else if (zone === 1) assert.ok(inside(1000, 1200), `segment ${segment.index} in zone 1`);
      else
        assert.ok(
          end <= 307 || (segment.startFrame >= 700 && end <= 1000) || segment.startFrame >= 1200,
          `segment ${segment.index} outside`,
        );
    }
    assert.deepEqual(plan.segments.find((s) => s.startFrame === 1000)!.zone, {
      index: 1,
      overrides: { targetVmaf: 85, svtParams: 'film-grain=8' },
    });
    assert.equal(plan.segments.find((s) => s.startFrame === 307)!.reason, 'zone');
    assert.equal(
      plan.segments.reduce((n, s) => n + s.frames, 0),
      timeline.pts.length,
    );
  });

  it('keeps the boundaries where they are with --split keyframe (no scene scores)', () => {
    const { timeline, facts } = video();
    const { zones } = checkZones('301-699 crf=30', facts);
    const { plan, snaps } = planWithZones(timeline, { ...options, split: 'keyframe' }, undefined, zones);
    assert.deepEqual(snaps, []);
    const zoned = plan.segments.filter((s) => s.zone);
    assert.equal(zoned[0]!.startFrame, 301);
    assert.equal(zoned.at(-1)!.startFrame + zoned.at(-1)!.frames, 699);
  });

  it("gives a segment its zone's effective options", () => {
    const fixed = optionsForSegment(options, { zone: { index: 0, overrides: { crf: 30 } } });
    assert.equal(fixed.crf, 30);
    assert.equal(fixed.targetVmaf, undefined);
    const grain = optionsForSegment(options, { zone: { index: 1, overrides: { targetVmaf: 85, svtParams: 'film-grain=8:tune=2' } } });
    assert.equal(grain.targetVmaf, 85);
    assert.equal(grain.svtParams, 'tune=2:enable-qm=1:film-grain=8');
    assert.equal(optionsForSegment(options, {}), options);
  });

  it('names a zone whose overrides do not fit the job', () => {
    const { facts } = video();
    const { zones } = checkZones('0-100 min-crf=60', facts);
    const [problem] = zoneOptionProblems(options, zones);
    assert.match(problem!.message, /this zone gives min-crf must not exceed max-crf/);
  });
});

describe('zones import (Av1an)', () => {
  it('maps what maps and names what does not', () => {
    const { text, notes, zones } = importAv1anZones(
      [
        '0 240 svt-av1 --crf 40 --preset 6 --film-grain 8 --tune 0',
        '240 -1 svt-av1 reset --crf=30 --lp 2 --passes 2',
        '100 200 aom --cq-level=32 --photon-noise=4',
        'garbage',
      ].join('\n'),
      'av1an.txt',
    );
    assert.equal(zones, 3);
    assert.equal(
      text,
      [
        '# imported from av1an.txt (Av1an zones) by chunked-av1 zones import',
        '0-240 crf=40 preset=6 film-grain=8 svt-params=tune=0',
        "240-end crf=30 svt-params=lp=2  # not mapped: reset (a zone's keys always apply on top of the job's options), --passes 2",
        '100-200  # not mapped: aom arguments (we encode with SVT-AV1), --cq-level=32, --photon-noise=4',
        '# not imported: garbage',
        '',
      ].join('\n'),
    );
    assert.deepEqual(notes, [
      "av1an.txt:2: not mapped: reset (a zone's keys always apply on top of the job's options)",
      'av1an.txt:2: not mapped: --passes 2',
      'av1an.txt:3: not mapped: aom arguments (we encode with SVT-AV1)',
      'av1an.txt:3: not mapped: --cq-level=32',
      'av1an.txt:3: not mapped: --photon-noise=4',
      'av1an.txt:4: not an Av1an zone (START END ENCODER ...): garbage',
    ]);
    // What it prints is a zones file our checks read (the aom line sets nothing: a warning).
    const { timeline } = video(20);
    const checked = checkZones(text, { pts: timeline.pts, lastFrameSeconds: timeline.lastFrameSeconds, chapters: [] });
    assert.deepEqual(
      checked.problems.map((p) => [p.line, p.code]),
      [
        [3, 'no-overrides'],
        [3, 'overlap'],
      ],
    );
  });
});
