import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ffmpegSync, tempDir } from '../helpers/clips';
import { CLI, runCliSync } from '../helpers/cli';

/**
 * `chunked-av1 score` end to end with real ffmpeg on small lavfi clips, through the bundle
 * (dist/cli.js): the built-in XPSNR and SSIMULACRA2, their pools, and the one-line errors.
 */
function score(args: string[]) {
  return runCliSync(['score', ...args], { timeoutMs: 300_000 });
}

describe('chunked-av1 score (built-in SSIMULACRA2 and XPSNR)', function () {
  const { dir, cleanup } = tempDir('chunked-av1-score-cli-');
  // Awkward names on purpose: quotes, spaces, $, ;, non-ASCII.
  const ref = path.join(dir, `ref it's "q" $x;.mkv`);
  const dist = path.join(dir, 'dïst ü.mkv');
  const small = path.join(dir, 'small.mkv');

  before(function () {
    if (!existsSync(CLI)) this.skip();
    ffmpegSync(['-f', 'lavfi', '-i', 'testsrc2=s=96x64:r=24', '-frames:v', '4', '-pix_fmt', 'yuv420p', '-c:v', 'ffv1', ref]);
    ffmpegSync(['-i', ref, '-vf', 'noise=alls=12:allf=t', '-c:v', 'ffv1', dist]);
    ffmpegSync(['-f', 'lavfi', '-i', 'testsrc2=s=80x64:r=24', '-frames:v', '4', '-pix_fmt', 'yuv420p', '-c:v', 'ffv1', small]);
  });
  after(() => cleanup());

  it('XPSNR: per-plane values and the filter minimum; a percentile of the weighted per-frame values with --pool', () => {
    const run = score([ref, dist, '--metric', 'xpsnr', '--json']);
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout) as {
      score: number;
      frameCount: number;
      planes: { pooled: { y: number; u: number; v: number; minimum: number } };
    };
    assert.equal(result.frameCount, 4);
    const { y, u, v, minimum } = result.planes.pooled;
    assert.equal(result.score, minimum);
    assert.equal(minimum, Math.min(y, u, v));
    assert.ok(minimum > 20 && minimum < 60, `${minimum}`);
    const p5 = JSON.parse(score([ref, dist, '--metric', 'xpsnr', '--pool', 'p5', '--json']).stdout) as { score: number; frames: number[] };
    assert.ok(p5.score <= Math.max(...p5.frames) && p5.score >= Math.min(...p5.frames));
  });

  it('SSIMULACRA2: 100 for identical inputs, lower for the noisy copy; mean and harmonic', () => {
    const same = score([ref, ref, '--metric', 'ssimulacra2']);
    assert.equal(same.status, 0, same.stderr);
    assert.match(same.stdout, /^SSIMULACRA2 100\.000000 \(mean of 4 frames\)\n$/);
    const noisy = JSON.parse(score([ref, dist, '--metric', 'ssimulacra2', '--json']).stdout) as { score: number; frames: number[] };
    assert.equal(noisy.frames.length, 4);
    assert.ok(noisy.score < 95, `${noisy.score}`);
    const harmonic = JSON.parse(score([ref, dist, '--metric', 'ssimulacra2', '--pool', 'harmonic', '--json']).stdout) as { score: number };
    assert.ok(harmonic.score <= noisy.score + 1e-9);
  });

  it('--all: VMAF, SSIMULACRA2 and XPSNR side by side for one pair; score --metric vmaf is chunked-av1 vmaf', () => {
    const all = score([ref, dist, '--all']);
    assert.equal(all.status, 0, all.stderr);
    const lines = all.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3, all.stdout);
    assert.match(lines[0]!, /^VMAF /);
    assert.match(lines[1]!, /^SSIMULACRA2 /);
    assert.match(lines[2]!, /^XPSNR /);
    const json = JSON.parse(score([ref, dist, '--all', '--json']).stdout) as { scores: { metric: string; score: number }[] };
    assert.deepEqual(
      json.scores.map((s) => s.metric),
      ['vmaf', 'ssimulacra2', 'xpsnr'],
    );
    const ssimulacra2 = JSON.parse(score([ref, dist, '--metric', 'ssimulacra2', '--json']).stdout) as { score: number };
    assert.equal(json.scores[1]!.score, ssimulacra2.score);
    const alias = runCliSync(['vmaf', ref, dist, '--json'], { timeoutMs: 300_000 });
    const viaScore = score([ref, dist, '--metric', 'vmaf', '--json']);
    assert.equal(alias.status, 0, alias.stderr);
    assert.equal(viaScore.status, 0, viaScore.stderr);
    const strip = (out: string) => JSON.stringify({ ...(JSON.parse(out) as object), elapsedMs: undefined });
    assert.equal(strip(viaScore.stdout), strip(alias.stdout));
  });

  it('bad input: one line naming the file or the flag, non-zero exit', () => {
    const missing = score([ref, path.join(dir, 'nope.mkv'), '--metric', 'xpsnr']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^chunked-av1: distorted .*nope\.mkv: no such file\n$/);
    const sizes = score([ref, small, '--metric', 'ssimulacra2']);
    assert.equal(sizes.status, 1);
    assert.match(sizes.stderr, /different resolutions/);
    const metric = score([ref, dist, '--metric', 'psnr']);
    assert.equal(metric.status, 2);
    assert.match(metric.stderr, /--metric must be vmaf, ssimulacra2, xpsnr/);
    const pool = score([ref, dist, '--metric', 'xpsnr', '--pool', 'median']);
    assert.equal(pool.status, 2);
  });
});
