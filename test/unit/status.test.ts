import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCleanCommand } from '../../server/src/cli/clean';
import { runStatusCommand } from '../../server/src/cli/status';
import { acquireJobLock } from '../../server/src/job/lock';
import { formatJobStatus, jobStatus, type JobStatus } from '../../server/src/job/status';
import { manifestSchema, type Manifest } from '../../server/src/job/manifest';
import { defaultOutputPath, defaultWorkDir, workDirLayout } from '../../server/src/workdir/workdir';
import { tempDir } from '../helpers/clips';

function sampleManifest(input: string, output: string, status: Manifest['status'] = 'running'): Manifest {
  const segments = [0, 1, 2].map((index) => ({ index, startFrame: index * 24, frames: 24, state: 'pending' as const, attempts: 0 }));
  return manifestSchema.parse({
    version: 1,
    input: { path: input, size: 1000, mtimeMs: 1, edgeHash: 'x' },
    output,
    settings: { crf: 35, preset: 13, svtParams: '', keyintSeconds: 10, pixelFormat: 'yuv420p10le', segmentSeconds: 1 },
    settingsKey: 'k',
    plan: {
      frames: 72,
      startSeconds: 0,
      endSeconds: 3,
      durationSeconds: 3,
      segments: segments.map((s) => ({
        index: s.index,
        startFrame: s.startFrame,
        frames: 24,
        startSeconds: s.index,
        endSeconds: s.index + 1,
        seekSeconds: s.index,
        keepFromSeconds: s.index,
        keepToSeconds: s.index + 1,
      })),
    },
    segments: [
      { ...segments[0], state: 'done', attempts: 1, crf: 35, bytes: 500, hash: 'h' },
      { ...segments[1], state: 'failed', attempts: 2, lastError: 'Invalid data found when processing input' },
      segments[2],
    ],
    status,
    updatedAt: '2026-11-24T08:00:00.000Z',
  });
}

async function capture(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  const original = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = (chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  };
  try {
    return { code: await run(), out };
  } finally {
    process.stdout.write = original;
  }
}

describe('job status', () => {
  it('derives counts and calls a running manifest without a live run "interrupted"', () => {
    const manifest = sampleManifest('/v/in.mkv', '/v/in.av1.mkv');
    const status = jobStatus(manifest, '/v/.in.av1.mkv.work', (i) => `/enc/${i}.mkv`);
    assert.equal(status.state, 'interrupted');
    assert.deepEqual(
      [status.segmentsDone, status.segmentsFailed, status.segmentsPending, status.framesDone, status.encodedBytes],
      [1, 1, 1, 24, 500],
    );
    assert.equal(status.segments[1]!.error, 'Invalid data found when processing input');
    assert.equal(jobStatus(manifest, '/w', (i) => `${i}`, 1234).state, 'running');
    const text = formatJobStatus(status);
    assert.match(text, /interrupted \(run the same encode command again to resume\)/);
    assert.match(text, /segment 1 failed after 2 attempt\(s\): Invalid data/);
  });

  it('finds the job from its INPUT or its work dir, prints JSON, and says when there is none', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const input = path.join(dir, "my 'clip' $1.mkv");
      writeFileSync(input, 'not really a video');
      const workDir = defaultWorkDir(defaultOutputPath(input));
      await assert.rejects(runStatusCommand([input]), /no chunked-av1 job found/);
      mkdirSync(workDir, { recursive: true });
      writeFileSync(workDirLayout(workDir).manifest, JSON.stringify(sampleManifest(input, defaultOutputPath(input), 'failed')));
      const byInput = await capture(() => runStatusCommand([input, '--json']));
      assert.equal(byInput.code, 0);
      const parsed = JSON.parse(byInput.out) as JobStatus;
      assert.equal(parsed.state, 'failed');
      assert.equal(parsed.segments.length, 3);
      assert.equal(parsed.segments[0]!.file, path.join(workDir, 'encoded', 'segment_000.mkv'));
      const byDir = await capture(() => runStatusCommand([workDir]));
      assert.match(byDir.out, /segments: 1\/3 done, 1 failed, 1 pending/);
    } finally {
      cleanup();
    }
  });
});

describe('clean', () => {
  it('removes a job work dir but refuses foreign directories and running jobs', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const input = path.join(dir, 'in.mkv');
      writeFileSync(input, 'x');
      const workDir = defaultWorkDir(defaultOutputPath(input));
      const nothing = await capture(() => runCleanCommand([input]));
      assert.match(nothing.out, /nothing to clean/);

      mkdirSync(path.join(workDir, 'encoded'), { recursive: true });
      await assert.rejects(runCleanCommand([input]), /not a chunked-av1 work directory/);
      writeFileSync(workDirLayout(workDir).manifest, JSON.stringify(sampleManifest(input, defaultOutputPath(input))));
      writeFileSync(path.join(workDir, 'thesis.docx'), 'precious');
      await assert.rejects(runCleanCommand([input]), /holds files chunked-av1 did not write \(thesis\.docx\)/);
      assert.ok(existsSync(path.join(workDir, 'thesis.docx')));
      rmSync(path.join(workDir, 'thesis.docx'));

      const lock = acquireJobLock(workDir);
      // The lock is ours (same pid), so clean sees a running job only from another process;
      // simulate that by writing another live pid.
      lock.release();
      writeFileSync(path.join(workDir, 'lock'), JSON.stringify({ pid: 1, startTime: '', host: os.hostname(), since: 'now' }));
      await assert.rejects(runCleanCommand([input]), /is using this job/);
      rmSync(path.join(workDir, 'lock'));

      // A target-quality job also keeps its measurement cache there: still ours to remove.
      writeFileSync(path.join(workDir, 'quality-cache.jsonl'), '{}\n');
      const removed = await capture(() => runCleanCommand([input]));
      assert.equal(removed.code, 0);
      assert.match(removed.out, /^removed /);
      assert.equal(existsSync(workDir), false);
      assert.ok(existsSync(input));
    } finally {
      cleanup();
    }
  });
});
