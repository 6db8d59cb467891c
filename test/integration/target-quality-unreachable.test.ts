import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runEncodeJob } from '../../server/src/pipeline';
import { parseEncodeOptions, type EncodeOptionsInput } from '../../common/options';
import type { JobEvent, SegmentEvent } from '../../common/events';
import { ffmpegSync, tempDir } from '../helpers/clips';

/**
 * An unreachable target is an answer (issue 22, item 7): grainy graphics cannot reach VMAF 99 at
 * any CRF the range allows (--min-crf 45), so each segment is kept at its best CRF and marked
 * `unreachable: best X at CRF N` in the done event, the --json segment events and the manifest,
 * and the job finishes; --strict makes the same job fail.
 */
const TARGET = 99;
const RANGE = { minCrf: 45, maxCrf: 55 };

describe('target quality: an unreachable target (integration, real ffmpeg)', function () {
  this.timeout(900_000);
  let dir: string;
  let cleanup: () => void;
  let input: string;
  before(() => {
    ({ dir, cleanup } = tempDir('chunked-av1-tq-unreachable-'));
    input = path.join(dir, 'grain.mkv');
    ffmpegSync(['-f', 'lavfi', '-i', 'testsrc2=s=256x144:r=25,noise=alls=20:allf=t', '-t', '2', '-g', '25', '-c:v', 'ffv1', input]);
  });
  after(() => cleanup());

  const options = (name: string, extra: Partial<EncodeOptionsInput> = {}) =>
    parseEncodeOptions({
      input,
      output: path.join(dir, `${name}.mkv`),
      workDir: path.join(dir, `work-${name}`),
      keepWorkDir: true,
      preset: 13,
      segmentSeconds: 1,
      split: 'keyframe',
      targetVmaf: TARGET,
      samples: 1,
      sampleSeconds: 0.5,
      ...RANGE,
      ...extra,
    });

  it('finishes, each segment kept at its best CRF and marked unreachable everywhere; a lowered target is never reported as met', async () => {
    const events: JobEvent[] = [];
    const done = await runEncodeJob(options('lenient'), { onEvent: (e) => events.push(e) });
    assert.equal(done.segments.length, 2);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'work-lenient', 'manifest.json'), 'utf8')) as {
      segments: { index: number; extra?: { unreachable?: string } }[];
    };
    for (const s of done.segments) {
      assert.ok(s.vmaf! < TARGET - 0.5, `segment ${s.index} really misses: ${s.vmaf}`);
      assert.match(s.unreachable ?? '', /^unreachable: best \d+\.\d at CRF \d+$/, `segment ${s.index}`);
      assert.equal(s.unreachable, `unreachable: best ${s.vmaf!.toFixed(1)} at CRF ${s.crf}`);
      const event = events.find((e): e is SegmentEvent => e.event === 'segment' && e.index === s.index && e.state === 'done');
      assert.equal(event?.unreachable, s.unreachable);
      assert.equal(manifest.segments.find((m) => m.index === s.index)?.extra?.unreachable, s.unreachable);
      // One attempt: no retry rung lowered the target.
      assert.equal(event?.attempt, 1);
    }
  });

  it('--strict: the same job fails', async () => {
    await assert.rejects(runEncodeJob(options('strict', { strict: true }), { onEvent: () => undefined }));
  });
});
