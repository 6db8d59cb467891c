import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, truncateSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { basicClip, countFrames, tempDir } from '../helpers/clips';
import { runCli, type CliRun, type RunCliOptions } from '../helpers/faults';
import { requireBuiltCli } from '../helpers/resume-fixture';
import { snapshotTree, type TreeSnapshot } from '../helpers/tree-snapshot';
import type { JobEvent } from '../../common/events';
import { escapeRegExp as escape } from '../helpers/cli';

/**
 * Issue #24 B: the input we read is the input we join. The input is replaced (`cp other.mkv
 * in.mkv`) or appended to while a real CLI run is between its first finished segment and the
 * join, chosen from its --json events, never by a sleep. Each case checks the exit code and the
 * one stderr line, that nothing outside the work dir changed after our own change of the input
 * (no output, no partial), that no ffmpeg of the run is left, that the manifest says why the
 * job stopped, and that the same command resumes once the original input is back.
 */
const FAST = ['--crf', '50', '--preset', '13', '--segment-seconds', '1', '--workers', '1', '--json'];
const changedLine = (input: string, cause: string) =>
  new RegExp(
    `^chunked-av1: ${escape(input)}: the input changed during the run \\(${cause}\\); put the original back and run the same command again to resume, or run it as it is to start over\\n$`,
  );
const firstSegmentDone = (event: JobEvent) => event.event === 'segment' && event.state === 'done';

describe('hostile input: the input changes during a run (real CLI, #24 B)', function () {
  this.timeout(240_000);
  const root = tempDir('chunked-av1-input-');
  let clip = '';
  let other = '';
  let cases = 0;

  before(() => {
    requireBuiltCli();
    // Four 1 s segments, one worker: the first 'done' leaves three segments and the join to go.
    clip = basicClip(path.join(root.dir, 'clip.mkv'), { seconds: 4, size: '160x90', fps: 24, gopFrames: 12, audio: true });
    other = basicClip(path.join(root.dir, 'other.mkv'), {
      seconds: 2,
      size: '160x90',
      fps: 24,
      gopFrames: 12,
      audio: true,
      source: 'smptebars=s=160x90:r=24',
    });
  });
  after(() => root.cleanup());

  function scene(): { dir: string; input: string; output: string; work: string } {
    const dir = path.join(root.dir, `case-${++cases}`);
    mkdirSync(dir);
    const input = path.join(dir, 'in.mkv');
    copyFileSync(clip, input);
    return { dir, input, output: path.join(dir, 'out.mkv'), work: path.join(dir, 'w') };
  }

  async function run(dir: string, args: string[], options: RunCliOptions = {}): Promise<CliRun> {
    const result = await runCli(args, { strayMarker: dir, timeoutMs: 200_000, ...options });
    assert.deepEqual(result.strays, [], 'an ffmpeg naming the test folder is still running');
    return result;
  }

  /** Everything but the work dir: no output, no partial, and the input as our own change left it. */
  const outsideWork = (snapshot: TreeSnapshot) =>
    new Map([...snapshot].filter(([name]) => name !== 'w' && !name.startsWith(`w${path.sep}`)));

  /** Runs the job, changes the input after the first finished segment, and checks the refusal. */
  async function changedMidRun(change: (input: string) => void, cause: string) {
    const { dir, input, output, work } = scene();
    const original = statSync(input);
    let afterChange: TreeSnapshot | undefined;
    const args = ['encode', input, '-o', output, '--work-dir', work, ...FAST];
    const result = await run(dir, args, {
      onEvent: (event) => {
        if (afterChange || !firstSegmentDone(event)) return;
        change(input);
        afterChange = snapshotTree(dir);
      },
    });
    assert.ok(afterChange, `no segment finished: ${result.stderr}`);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, changedLine(input, cause));
    assert.deepEqual([...outsideWork(snapshotTree(dir))], [...outsideWork(afterChange)], 'a file outside the work dir changed');
    assert.ok(!existsSync(output));
    const manifest = JSON.parse(readFileSync(path.join(work, 'manifest.json'), 'utf8')) as {
      status: string;
      lastError?: string;
      segments: { state: string }[];
    };
    assert.equal(manifest.status, 'failed');
    assert.match(manifest.lastError ?? '', /the input changed during the run/);
    const done = manifest.segments.filter((s) => s.state === 'done').length;
    assert.ok(done >= 1, 'the segment finished before the change is recorded');
    return { dir, input, output, work, args, original, done };
  }

  /** The original is back (same bytes and modification time): the same command resumes and writes the output. */
  async function resumes(job: Awaited<ReturnType<typeof changedMidRun>>, restore: (input: string) => void) {
    restore(job.input);
    utimesSync(job.input, job.original.atime, job.original.mtime);
    const again = await run(job.dir, job.args);
    assert.equal(again.code, 0, again.stderr);
    const resumed = again.events.find((e) => e.event === 'resume') as { kept: number } | undefined;
    assert.ok(resumed && resumed.kept >= job.done, `the run did not keep the segments made before the change: ${JSON.stringify(resumed)}`);
    assert.equal(countFrames(job.output), 96);
  }

  it('8. refuses to join when the input was replaced (cp other.mkv in.mkv) after the first segment, and resumes once it is back', async () => {
    const job = await changedMidRun(
      (input) => assert.equal(spawnSync('cp', [other, input]).status, 0),
      `size ${sizeText(statSync(clip).size)} → ${sizeText(statSync(other).size)}`,
    );
    await resumes(job, (input) => assert.equal(spawnSync('cp', [clip, input]).status, 0));
  });

  it('9. refuses to join when the input was appended to mid-run, and resumes once it is cut back', async () => {
    const job = await changedMidRun(
      (input) => appendFileSync(input, readFileSync(other)),
      `size ${sizeText(statSync(clip).size)} → ${sizeText(statSync(clip).size + statSync(other).size)}`,
    );
    await resumes(job, (input) => truncateSync(input, job.original.size));
  });
});

/** The CLI's size wording (sys/disk.ts formatBytes), for sizes of these clips (KiB). */
function sizeText(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
