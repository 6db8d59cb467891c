import assert from 'node:assert/strict';
import path from 'node:path';
import { runEncodeJob } from '../../server/src/pipeline';
import { parseEncodeOptions } from '../../common/options';
import { CrfJobState } from '../../server/src/crf';
import { ffmpegSync, tempDir } from '../helpers/clips';

/**
 * Two --target-vmaf jobs at once in one process, as the language server runs them: each has its
 * own CrfJobState, and neither sees the other's segments, verified pairs or described inputs.
 * Both clips have two 1 s segments numbered 0 and 1, so a shared map would mix them.
 */
describe('target quality: two jobs in one process share no state (integration, real ffmpeg)', function () {
  this.timeout(600_000);
  let dir: string;
  let cleanup: () => void;
  before(() => ({ dir, cleanup } = tempDir('chunked-av1-tq-jobs-')));
  after(() => cleanup());

  function clip(name: string, source: string): string {
    const file = path.join(dir, name);
    ffmpegSync([
      '-f',
      'lavfi',
      '-i',
      `${source}=s=192x108:r=25`,
      '-t',
      '2',
      '-pix_fmt',
      'yuv420p',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-qp',
      '0',
      '-g',
      '25',
      file,
    ]);
    return file;
  }

  it("runs both to their own answers; each job's state holds its own segments only", async () => {
    const inputs = { a: clip('a.mkv', 'testsrc2'), b: clip('b.mkv', 'mandelbrot') };
    const states = { a: new CrfJobState(), b: new CrfJobState() };
    const run = (name: 'a' | 'b') =>
      runEncodeJob(
        parseEncodeOptions({
          input: inputs[name],
          output: path.join(dir, `out-${name}.mkv`),
          workDir: path.join(dir, `work-${name}`),
          preset: 13,
          segmentSeconds: 1,
          // Two 1 s segments at the keyframes of these one-shot clips (a scene split keeps 2 s whole).
          split: 'keyframe',
          targetVmaf: 90,
          samples: 1,
          sampleSeconds: 0.5,
          vmafSubsample: 2,
          minCrf: 10,
          maxCrf: 55,
        }),
        { crfJob: states[name] },
      );
    const [a, b] = await Promise.all([run('a'), run('b')]);
    for (const [name, done] of [
      ['a', a],
      ['b', b],
    ] as const) {
      const state = states[name];
      // A miss is recorded too (then retried), so a segment may appear more than once; its last entry is its answer.
      assert.deepEqual([...new Set(state.verified.map((v) => v.segment))].sort(), [0, 1], `job ${name} verified its own two segments only`);
      for (const s of done.segments) {
        const mine = state.verified.filter((v) => v.segment === s.index).at(-1)!;
        assert.equal(mine.crf, s.crf, `job ${name} segment ${s.index}: its state holds its own CRF`);
        assert.equal(mine.vmaf, s.vmaf, `job ${name} segment ${s.index}: its state holds its own verified VMAF`);
      }
      assert.equal(state.described.size, 1, `job ${name} described only its own source's intermediates`);
      assert.equal(state.attemptHistory.size, 0, 'verified segments leave no history behind');
    }
    assert.notDeepEqual([...states.a.described.keys()], [...states.b.described.keys()], 'the two sources are described separately');
  });
});
