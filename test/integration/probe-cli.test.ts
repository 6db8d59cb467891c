import assert from 'node:assert/strict';
import path from 'node:path';
import { tempDir } from '../helpers/clips';
import { hdr10Hevc } from '../helpers/sources';
import { runCliSync } from '../helpers/cli';
import { basicClip } from '../helpers/clips';

/** The part of `probe --json` (server/src/cli/probe.ts) this test reads. */
interface ProbeSummary {
  video: {
    frames: number;
    keyframeSeconds: number[];
    bitDepth: number;
    timelineMethod: string;
    colour: { transfer?: string };
    contentLight: { maxCll: number }; // present: the source is HDR10
  };
  plan: { split: string; segments: { index: number; startFrame: number; frames: number; startSeconds: number; endSeconds: number }[] };
}

describe('chunked-av1 probe (integration, real CLI)', function () {
  this.timeout(120_000);
  let dir: string;
  let cleanup: () => void;
  before(() => ({ dir, cleanup } = tempDir('chunked-av1-probe-')));
  after(() => cleanup());

  it('reports frames, keyframes, scenes, crop, colour and HDR10 metadata as JSON and as text', () => {
    const file = hdr10Hevc(path.join(dir, "hdr 'ten'.mkv"), 2);
    const json = runCliSync(['probe', file, '--json']);
    assert.equal(json.status, 0, json.stderr);
    const info = JSON.parse(json.stdout) as ProbeSummary;
    assert.equal(info.video.frames, 48);
    assert.deepEqual(info.video.keyframeSeconds, [0, 1]);
    assert.equal(info.video.bitDepth, 10);
    assert.equal(info.video.timelineMethod, 'packets');
    assert.equal(info.video.colour.transfer, 'smpte2084');
    assert.equal(info.video.contentLight.maxCll, 1000);
    const text = runCliSync(['probe', file]);
    assert.equal(text.status, 0);
    assert.match(text.stdout, /frames {5}48 in (1\.999|2\.000) s, constant frame rate/);
    assert.match(text.stdout, /HDR10 {6}mastering display L\(1000,0\.005\), MaxCLL 1000, MaxFALL 400/);
    // What the default --split scene and --crop auto would find.
    assert.match(text.stdout, /\n {2}scenes {5}\d+ \(\d+ change\(s\) at scene score 0\.3 or more\)\n/);
    assert.match(text.stdout, /\n {2}crop {7}\S/);
  });

  it('shows the segment plan (times and frames) and names each long step on stderr as it starts', () => {
    const file = basicClip(path.join(dir, 'plan.mkv'), { seconds: 3, size: '160x120' });
    const json = runCliSync(['probe', file, '--json']);
    assert.equal(json.status, 0, json.stderr);
    const { plan, video } = JSON.parse(json.stdout) as ProbeSummary;
    assert.equal(plan.split, 'scene');
    // Contiguous: each segment starts where the previous one ended, and together they hold every frame.
    assert.equal(
      plan.segments.reduce((sum, s) => sum + s.frames, 0),
      video.frames,
    );
    plan.segments.forEach((s, i) =>
      assert.equal(s.startFrame, i === 0 ? 0 : plan.segments[i - 1]!.startFrame + plan.segments[i - 1]!.frames),
    );
    const text = runCliSync(['probe', file]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(
      text.stdout,
      /\n {2}segments {3}\d+, as an encode with the defaults plans them \(--split scene, --segment-seconds \d+\):\n/,
    );
    for (const s of plan.segments)
      assert.match(
        text.stdout,
        new RegExp(`\\n {4}${s.index} +${s.startSeconds.toFixed(3)}–${s.endSeconds.toFixed(3)} s +${s.frames} frames`),
      );
    assert.deepEqual(text.stderr.trim().split('\n'), [
      `chunked-av1: scene detection (decoding ${video.frames} frames)…`,
      'chunked-av1: crop detection…',
    ]);
  });

  it('fails with one line for a missing file and exit 2 for a usage error', () => {
    const missing = runCliSync(['probe', path.join(dir, 'nope.mkv')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^chunked-av1: .*nope\.mkv: no such file\n$/);
    assert.equal(runCliSync(['probe']).status, 2);
  });
});
