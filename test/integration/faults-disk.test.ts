import assert from 'node:assert/strict';
import { existsSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { TmpfsNamespace, frameCheck, runCli } from '../helpers/faults';
import { basicClip, tempDir } from '../helpers/clips';
import { describeRun, requireBuiltCli, tally } from '../helpers/resume-fixture';

/** Fills a file system (seen from outside the namespace) until a write fails with ENOSPC. */
function fillUp(file: string): number {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0x55);
  let written = 0;
  try {
    for (;;) {
      try {
        written += writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') return written;
        throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
}

describe('faults: full disk (tmpfs in a private mount namespace, real CLI)', function () {
  this.timeout(240_000);
  const reason = process.platform === 'linux' ? TmpfsNamespace.unavailableReason() : 'needs Linux';

  it('stops with a clear error and no corruption when the work dir fills up, then resumes once space is freed', async function () {
    if (reason) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    requireBuiltCli();
    const { dir, cleanup } = tempDir('chunked-av1-disk-');
    const ns = await TmpfsNamespace.create(16 * 1024 * 1024);
    try {
      const input = path.join(dir, 'clip.mkv');
      basicClip(input, { seconds: 12, size: '160x120', fps: 24, gopFrames: 12 });
      const output = path.join(dir, 'out.mkv');
      const workDir = path.join(ns.mountPoint, 'work');
      const args = [
        'encode',
        input,
        '-o',
        output,
        '--work-dir',
        workDir,
        '--crf',
        '45',
        '--preset',
        '13',
        '--segment-seconds',
        '1',
        '--workers',
        '1',
        '--keep-work-dir',
        '--json',
      ];
      const ballast = ns.outside(path.join(ns.mountPoint, 'ballast'));

      // Fill the disk as soon as the second segment is validated: what follows must hit ENOSPC
      // (or the low-space threshold) in the middle of the job.
      let filled = 0;
      const full = await runCli(args, {
        prefix: ns.prefix,
        strayMarker: dir,
        timeoutMs: 180_000,
        onEvent: (e, _child) => {
          if (!filled && e.event === 'segment' && e.state === 'done' && e.index === 1) filled = fillUp(ballast);
        },
      });
      assert.ok(filled > 0, `never reached the second segment:\n${describeRun(full)}`);
      assert.equal(full.code, 1, describeRun(full));
      const lines = full.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `expected one error line, got:\n${full.stderr}`);
      console.log(`      disk-full report: ${lines[0]}`);
      assert.match(lines[0]!, /space/i);
      assert.match(lines[0]!, new RegExp(ns.mountPoint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.deepEqual(full.strays, []);
      assert.equal(existsSync(output), false);
      const doneBefore = tally(full).done;
      assert.ok(doneBefore.includes(0) && doneBefore.includes(1));
      // The manifest is whole (old or new, never torn) and every segment it calls done verifies on resume.
      JSON.parse(readFileSync(ns.outside(path.join(workDir, 'manifest.json')), 'utf8'));

      rmSync(ballast);
      const resumed = await runCli(args, { prefix: ns.prefix, strayMarker: dir, timeoutMs: 180_000 });
      assert.equal(resumed.code, 0, describeRun(resumed));
      const counts = tally(resumed);
      for (const index of doneBefore) assert.ok(counts.skipped.includes(index), `segment ${index} was re-encoded after the disk-full stop`);
      const check = frameCheck(input, output);
      assert.equal(check.outputFrames, check.sourceFrames);
      assert.ok(check.minPsnr > 25);
    } finally {
      ns.dispose();
      cleanup();
    }
  });
});
