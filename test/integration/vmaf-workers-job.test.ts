import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseEncodeOptions } from '../../common/options';
import { runEncodeJob } from '../../server/src/pipeline';
import { featureWorkersAllowed, featureWorkersStarted, liveFeatureWorkers } from '../../server/src/vmaf/builtin/worker-pool';
import { basicClip, tempDir } from '../helpers/clips';

/**
 * The VMAF worker threads live as long as the jobs that measure: two target-quality jobs in one
 * process (as the language server runs them) share them, never restart them, and leave none
 * behind once both have ended. Real ffmpeg, SVT-AV1 and the built-in engine on small clips.
 */
describe('VMAF worker threads over whole jobs', function () {
  this.timeout(900_000);
  const { dir, cleanup } = tempDir('chunked-av1-vmaf-workers-');
  after(() => cleanup());

  it('two jobs side by side start at most one set of workers, and none is left when they end', async () => {
    const job = (name: string, source: string) => {
      const input = basicClip(path.join(dir, `${name}.mkv`), { seconds: 2, source: `${source}=s=320x240:r=24`, gopFrames: 24 });
      return runEncodeJob(
        parseEncodeOptions({
          input,
          output: path.join(dir, `${name}-av1.mkv`),
          workDir: path.join(dir, `${name}-work`),
          overwrite: true,
          preset: 13,
          segmentSeconds: 1,
          split: 'keyframe',
          targetVmaf: 90,
          vmafEngine: 'builtin',
        }),
      );
    };
    const startedBefore = featureWorkersStarted();
    const [a, b] = await Promise.all([job('first', 'testsrc2'), job('second', 'mandelbrot')]);
    assert.ok(a.segments.every((s) => typeof s.vmaf === 'number') && b.segments.every((s) => typeof s.vmaf === 'number'), 'both measured');
    const started = featureWorkersStarted() - startedBefore;
    // At most one start per thread the pool may run (an earlier test in this process may have allowed more than the default).
    assert.ok(started <= featureWorkersAllowed(), `${started} workers started for ${featureWorkersAllowed()} threads`);
    for (let waited = 0; liveFeatureWorkers() > 0 && waited < 10_000; waited += 50) await sleep(50);
    assert.equal(liveFeatureWorkers(), 0, 'no VMAF thread outlives the jobs');
  });
});
