import assert from 'node:assert/strict';
import type { Manifest } from '../../server/src/job/manifest';
import { applyManifest } from '../../server/src/lsp/manifest-sync';
import { newSnapshot } from '../../server/src/lsp/job-snapshot';

function manifest(status: Manifest['status']): Manifest {
  const ranges = [0, 1, 2].map((index) => ({
    index,
    startFrame: index * 24,
    frames: 24,
    startSeconds: index * 2,
    endSeconds: index * 2 + 2,
    seekSeconds: index * 2,
    keepFromSeconds: index * 2,
    keepToSeconds: index * 2 + 2,
  }));
  return {
    version: 1,
    input: { path: '/v/a.ts', size: 1, mtimeMs: 1, edgeHash: 'x' },
    output: '/v/a.av1.mkv',
    settings: { crf: 40, preset: 13, svtParams: '', keyintSeconds: 10, pixelFormat: 'yuv420p', segmentSeconds: 2 },
    settingsKey: 'k',
    plan: { frames: 72, startSeconds: 0, endSeconds: 6, durationSeconds: 6, segments: ranges },
    segments: [
      { index: 0, startFrame: 0, frames: 24, state: 'done', attempts: 1, crf: 40, bytes: 1000 },
      { index: 1, startFrame: 24, frames: 24, state: 'failed', attempts: 2, lastError: 'decoded 13 of 24 frames' },
      { index: 2, startFrame: 48, frames: 24, state: 'pending', attempts: 0 },
    ],
    status,
    updatedAt: 'now',
  };
}

describe('known jobs re-read from their manifest on server start', () => {
  it('takes segment states, sizes, errors and time ranges from the manifest', () => {
    const job = newSnapshot('j', '/v/a.ts', 'e2e');
    job.status = 'failed';
    applyManifest(job, manifest('failed'));
    assert.deepEqual(
      job.segments.map((s) => s.state),
      ['done', 'failed', 'queued'],
    );
    assert.equal(job.segments[1]!.error, 'decoded 13 of 24 frames');
    assert.deepEqual([job.segments[2]!.startSeconds, job.segments[2]!.endSeconds], [4, 6]);
    assert.equal(job.segments[0]!.bytes, 1000);
    assert.equal(job.segmentsDone, 1);
    assert.equal(job.status, 'failed');
  });

  it("keeps the job's target and each segment's scores in its metric (issue 25)", () => {
    const job = newSnapshot('j', '/v/a.ts', 'e2e');
    const xpsnr = manifest('done');
    const target = { metric: 'xpsnr' as const, value: 42, pool: 'mean', low: 41.75, high: 43 };
    xpsnr.settings.target = target;
    xpsnr.segments[0]!.scores = { xpsnr: 42.3, vmaf: 94.1 };
    applyManifest(job, xpsnr);
    assert.deepEqual(job.target, target);
    assert.deepEqual(job.segments[0]!.scores, { xpsnr: 42.3, vmaf: 94.1 });
  });

  it('treats a manifest still marked running as an interrupted job (its process is gone)', () => {
    const job = newSnapshot('j', '/v/a.ts', 'e2e');
    job.status = 'running';
    applyManifest(job, manifest('running'));
    assert.equal(job.status, 'interrupted');
  });

  it('keeps the host that made each segment (chunkedAv1.hosts) from the manifest', () => {
    const job = newSnapshot('j', '/v/a.ts', 'e2e');
    const withHosts = manifest('done');
    withHosts.segments[0]!.extra = { host: 'enc@box:2222' };
    applyManifest(job, withHosts);
    assert.equal(job.segments[0]!.host, 'enc@box:2222');
    assert.equal(job.segments[1]!.host, undefined);
  });
});
