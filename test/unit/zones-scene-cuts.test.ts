import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { buildTimeline } from '../../server/src/probe/frames';
import { knownSceneCuts, manifestMatches, manifestSceneCuts, planSceneCuts } from '../../server/src/lsp/zones-scene-cuts';
import { zonesDiagnostics, zonesHover } from '../../server/src/lsp/zones-features';
import type { ZonesVideo } from '../../server/src/lsp/zones-facts';
import type { JobSnapshot } from '../../common/protocol';

/** A run of 4 s at 24 fps whose second and third segments start at scene changes. */
const job = {
  jobId: 'j1',
  segments: [
    { index: 0, startSeconds: 0, endSeconds: 1.5, reason: 'start' },
    { index: 1, startSeconds: 1.5, endSeconds: 2.5, reason: 'scene' },
    { index: 2, startSeconds: 2.5, endSeconds: 3, reason: 'scene' },
    { index: 3, startSeconds: 3, endSeconds: 4, reason: 'split' },
  ],
} as unknown as JobSnapshot;
const frameOf = (seconds: number) => Math.round(seconds * 24);
const scene = { split: 'scene', sceneThreshold: 0.3 };

describe('zones in the editor: the scene changes to snap to', () => {
  it("reads a manifest's scene detection at the next encode's threshold, without frame 0", () => {
    const detection = { scenes: { floor: 0.1, frames: [0, 30, 50, 70], scores: [1, 0.35, 0.2, 0.9], seconds: 1 } };
    assert.deepEqual(manifestSceneCuts({ detection }, 0.3), [30, 70]);
    assert.deepEqual(manifestSceneCuts({ detection }, 0.15), [30, 50, 70]);
    assert.equal(manifestSceneCuts({ detection: {} }, 0.3), undefined);
    assert.equal(manifestSceneCuts(undefined, 0.3), undefined);
    // Only a manifest of the video as it is now: an edited video's old scene changes are not offered.
    const input = { input: { path: '/v/film.mkv', size: 1000, mtimeMs: 5000.25, edgeHash: 'x' } };
    assert.ok(manifestMatches(input, { size: 1000, mtimeMs: 5000.25 }));
    assert.ok(!manifestMatches(input, { size: 1001, mtimeMs: 5000.25 }));
    assert.ok(!manifestMatches(input, { size: 1000, mtimeMs: 9000 }));
  });

  it("falls back on the run's cuts at scene changes, and says why when there are none or the next encode snaps to none", async () => {
    assert.deepEqual(planSceneCuts(job, frameOf), [36, 60]);
    // The work directory is gone (a finished run): the plan's cuts.
    const gone = { ...job, workDir: '/nonexistent/chunked-av1-zones-test.work' } as JobSnapshot;
    assert.deepEqual(await knownSceneCuts(gone, scene, frameOf), { frames: [36, 60], from: "the last run's cuts at scene changes" });
    const keyframe = await knownSceneCuts(gone, { split: 'keyframe', sceneThreshold: 0.3 }, frameOf);
    assert.match('missing' in keyframe ? keyframe.missing : '', /splits by keyframe \(chunkedAv1\.split\), so it moves no zone boundary/);
    const none = await knownSceneCuts(undefined, scene, frameOf);
    assert.match('missing' in none ? none.missing : '', /no run of this video is known yet/);
    const noScenes = { ...job, segments: job.segments.map((s) => ({ ...s, reason: 'keyframe' })) } as unknown as JobSnapshot;
    const kept = await knownSceneCuts(noScenes, scene, frameOf);
    assert.match('missing' in kept ? kept.missing : '', /kept no scene changes/);
  });

  it('offers the snap fix from the known cuts, and the hover says where they come from or why there are none', () => {
    const timeline = buildTimeline(
      Array.from({ length: 96 }, (_, i) => ({ pts: i / 24, key: i % 24 === 0 })),
      24,
    );
    const facts = { pts: timeline.pts, lastFrameSeconds: timeline.lastFrameSeconds, chapters: [], minSegmentSeconds: 0.5 };
    const known: ZonesVideo = {
      video: '/v/film.mkv',
      facts: { ...facts, sceneCuts: [36, 60] },
      sceneCuts: { frames: [36, 60], from: "the last run's cuts at scene changes" },
    };
    const document = TextDocument.create('file:///v/film.mkv.zones', 'chunked-av1-zones', 1, '34-60 crf=30\n');
    const hint = zonesDiagnostics(document, known).find((d) => d.code === 'near-scene-cut');
    assert.ok(hint, 'a hint at the start two frames from the cut');
    assert.equal((hint.data as { fixes: { edits: { text: string }[] }[] }).fixes[0]!.edits[0]!.text, '36-60');
    const value = (hover: ReturnType<typeof zonesHover>) => (hover!.contents as { value: string }).value;
    assert.match(value(zonesHover(document, { line: 0, character: 1 }, known)), /scene changes: 2 known, from the last run's cuts/);
    const unknown: ZonesVideo = { video: '/v/film.mkv', facts, sceneCuts: { missing: 'no run of this video is known yet' } };
    assert.equal(
      zonesDiagnostics(document, unknown).find((d) => d.code === 'near-scene-cut'),
      undefined,
    );
    assert.match(
      value(zonesHover(document, { line: 0, character: 1 }, unknown)),
      /scene changes: not known here, so no snap is offered \(no run of this video is known yet\)/,
    );
  });
});
