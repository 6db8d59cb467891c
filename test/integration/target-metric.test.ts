import assert from 'node:assert/strict';
import path from 'node:path';
import type { DoneEvent, PlanEvent, SegmentEvent } from '../../common/events';
import type { QualityTarget } from '../../common/options';
import { basicClip, ffmpegSync, tempDir } from '../helpers/clips';
import { runCliSync } from '../helpers/cli';

/**
 * --target-metric end to end (issue 25) with the real CLI, ffmpeg and SVT-AV1 on a small generated
 * clip (320x180, 4 s, two 2 s segments): each segment's verified score lies in its band, the same
 * metric recomputed by `chunked-av1 score` on every frame of the joined output's segment windows
 * agrees, --also-score records a second metric, and XPSNR is targeted too.
 */
describe('targets another metric: --target-metric ssimulacra2 / xpsnr (issue 25)', function () {
  this.timeout(900_000);
  let work: ReturnType<typeof tempDir>;
  let clip: string;
  /** The source at the encode's pixel format: what every measurement compares with (issue 23). */
  let reference10: string;

  before(() => {
    work = tempDir('chunked-av1-target-metric-');
    clip = basicClip(path.join(work.dir, 'clip.mkv'), { seconds: 4, size: '320x180', fps: 24, gopFrames: 24 });
    reference10 = path.join(work.dir, 'clip-10bit.mkv');
    ffmpegSync(['-i', clip, '-pix_fmt', 'yuv420p10le', '-c:v', 'ffv1', reference10]);
  });
  after(() => work.cleanup());

  function encode(name: string, flags: string[]) {
    const output = path.join(work.dir, `${name}.mkv`);
    const run = runCliSync(
      ['encode', clip, '-o', output, '--preset', '13', '--segment-seconds', '2', '--split', 'keyframe', '--json', ...flags],
      { timeoutMs: 600_000 },
    );
    assert.equal(run.status, 0, run.stderr);
    const events = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { event: string });
    const plan = events.find((e) => e.event === 'plan') as PlanEvent;
    const done = events.find((e) => e.event === 'done') as DoneEvent;
    const segments = events.filter((e): e is SegmentEvent => e.event === 'segment' && (e as SegmentEvent).state === 'done');
    return { output, plan, done, segments };
  }

  function assertInBand(target: QualityTarget, done: DoneEvent, maxCrf = 55, minCrf = 10): void {
    for (const segment of done.segments) {
      const score = segment.scores?.[target.metric];
      assert.equal(typeof score, 'number', `segment ${segment.index} has its ${target.metric}`);
      const detail = `segment ${segment.index}: CRF ${segment.crf}, ${target.metric} ${score!.toFixed(2)}, band ${target.low}–${target.high}`;
      if (segment.crf! > minCrf) assert.ok(score! >= target.low, `under the band: ${detail}`);
      if (segment.crf! < maxCrf) assert.ok(score! <= target.high, `over the band: ${detail}`);
    }
  }

  it('SSIMULACRA2: every segment in its band, `score` agrees on the output, --also-score vmaf is recorded', () => {
    // Every frame scored (stride 1), so the recorded score and `score`'s are the same frames' mean.
    const { output, plan, done, segments } = encode('ssimulacra2', [
      '--target-metric',
      'ssimulacra2',
      '--target',
      '80',
      '--also-score',
      'vmaf',
      '--vmaf-subsample',
      '1',
      '--vmaf-engine',
      'builtin',
    ]);
    assert.equal(plan.ranges.length, 2);
    const target = plan.target!;
    assert.deepEqual(done.qualityTarget, target);
    assert.equal(target.metric, 'ssimulacra2');
    assert.equal(target.value, 80);
    assert.equal(target.pool, 'mean');
    assertInBand(target, done);
    for (const segment of done.segments) {
      // VMAF scored beside it at verification: `vmaf` is VMAF's own.
      assert.equal(typeof segment.scores?.vmaf, 'number', `segment ${segment.index} has --also-score vmaf`);
      assert.equal(segment.vmaf, segment.scores!.vmaf);
    }
    assert.deepEqual(
      [...segments].sort((a, b) => a.index - b.index).map((s) => s.scores),
      done.segments.map((s) => s.scores),
    );
    // The joined output, every frame, against the source at the encode's pixel format.
    const scored = runCliSync(['score', reference10, output, '--metric', 'ssimulacra2', '--json'], { timeoutMs: 600_000 });
    assert.equal(scored.status, 0, scored.stderr);
    const frames = (JSON.parse(scored.stdout) as { frames: number[] }).frames;
    assert.equal(frames.length, plan.frames);
    for (const range of plan.ranges) {
      const window = frames.slice(range.startFrame, range.startFrame + range.frames);
      const mean = window.reduce((sum, s) => sum + s, 0) / window.length;
      const recorded = done.segments.find((s) => s.index === range.index)!.scores!.ssimulacra2!;
      assert.ok(Math.abs(mean - recorded) <= 0.5, `segment ${range.index}: recorded ${recorded.toFixed(3)}, score ${mean.toFixed(3)}`);
    }
    // status --json carries the target and the scores.
    const status = runCliSync(['status', output, '--json']);
    assert.equal(status.status, 0, status.stderr);
    const json = JSON.parse(status.stdout) as { target?: QualityTarget; segments?: { scores?: Record<string, number> }[] };
    assert.deepEqual(json.target, target);
    assert.ok(
      json.segments?.every((s) => typeof s.scores?.ssimulacra2 === 'number' && typeof s.scores.vmaf === 'number'),
      status.stdout,
    );
  });

  it('XPSNR: every segment in its band, in dB', () => {
    const { done } = encode('xpsnr', ['--target-metric', 'xpsnr', '--target', '38']);
    const target = done.qualityTarget!;
    assert.equal(target.metric, 'xpsnr');
    assertInBand(target, done);
    for (const segment of done.segments) assert.equal(segment.vmaf, undefined, 'no VMAF measured');
  });
});
