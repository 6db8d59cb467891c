import assert from 'node:assert/strict';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { TmpfsNamespace, runCli, type CliRun, type RunCliOptions } from '../helpers/faults';
import { caseFolders } from '../helpers/case-folders';
import { assertTreeUnchanged, snapshotTree } from '../helpers/tree-snapshot';
import type { DoneEvent } from '../../common/events';
import { escapeRegExp as escape } from '../helpers/cli';

/**
 * Issue #24 E, the minor items, against the real CLI: the exit code and the one stderr line,
 * nothing left behind by a refused run, no terminal codes on a stderr that is not a terminal,
 * and a hand-edited manifest's out-of-range CRF never reaching the summary.
 */
const FAST = ['--crf', '50', '--preset', '13', '--segment-seconds', '1'];
const TERMINAL_CODES = /\r|\x1b/; // eslint-disable-line no-control-regex

describe('hostile inputs: messages that name the real cause (real CLI, #24 E)', function () {
  this.timeout(180_000);
  const scene = caseFolders('chunked-av1-messages-', { seconds: 3, size: '160x90', fps: 24, gopFrames: 12 });

  async function run(dir: string, args: string[], options: RunCliOptions = {}): Promise<CliRun> {
    const result = await runCli(args, { strayMarker: dir, timeoutMs: 150_000, ...options });
    assert.deepEqual(result.strays, [], 'an ffmpeg naming the test folder is still running');
    assert.doesNotMatch(result.stderr, TERMINAL_CODES, 'terminal codes on a stderr that is a pipe');
    return result;
  }

  it('an empty folder given as input is a failure of the input (exit 1), not of the usage', async () => {
    const { dir } = scene();
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    const before = snapshotTree(dir);
    const result = await run(dir, ['encode', empty]);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stderr, `chunked-av1: ${empty}: no video files to encode\n`);
    assertTreeUnchanged(before, snapshotTree(dir));
  });

  it('a --crop outside the picture is refused before a work directory is made', async () => {
    const { dir, input, output } = scene();
    const before = snapshotTree(dir);
    const result = await run(dir, ['encode', input, '-o', output, '--crop', '999:999:0:0', ...FAST]);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stderr, `chunked-av1: ${input}: --crop 999:999:0:0 is not a W:H:X:Y rectangle inside the 160x90 picture\n`);
    assertTreeUnchanged(before, snapshotTree(dir));
  });

  it('writes no terminal codes to a stderr that is a pipe when stopped', async () => {
    const { dir, input, output } = scene();
    const result = await run(dir, ['encode', input, '-o', output, '--json', ...FAST], {
      killWhen: (event) => event.event === 'segment' && event.state === 'encoding',
      killSignal: 'SIGINT',
    });
    assert.ok(result.killedAfter, result.stderr);
    assert.equal(result.code, 130, result.stderr);
    assert.match(result.stderr, /^chunked-av1: stopping \(the next run resumes\)…$/m);
  });

  it('a broken, non-executable, missing or wrong ffprobe is blamed on the tool, not on the input', async () => {
    const { dir, input, output } = scene();
    const tool = (name: string, text: string, mode: number) => {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      chmodSync(file, mode);
      return file;
    };
    const cases: [string, string][] = [
      [
        tool('broken-ffprobe', '#!/bin/sh\necho "broken: cannot start" >&2\nexit 1\n', 0o755),
        'ffprobe does not run \\(broken: cannot start\\)',
      ],
      [tool('plain-ffprobe', 'not a program', 0o644), 'ffprobe does not run \\(Permission denied\\)'],
      [path.join(dir, 'missing', 'ffprobe'), 'ffprobe does not run \\(No such file or directory\\)'],
      [tool('other-ffprobe', '#!/bin/sh\necho hello\n', 0o755), 'this program is not ffprobe \\(no version banner\\)'],
    ];
    const before = snapshotTree(dir);
    for (const [ffprobe, cause] of cases) {
      const result = await run(dir, ['encode', input, '-o', output, '--ffprobe', ffprobe, ...FAST]);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, new RegExp(`^chunked-av1: ${escape(ffprobe)}: ${cause}; install ffprobe [^\\n]*\\n$`));
    }
    assertTreeUnchanged(before, snapshotTree(dir));
  });

  it('a full disk during the mux is reported as such, with the path (a tmpfs in a private mount namespace)', async function () {
    const reason = TmpfsNamespace.unavailableReason();
    if (reason) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    const { dir, input } = scene();
    const ns = await TmpfsNamespace.create(4 * 1024 * 1024);
    try {
      const output = path.join(ns.mountPoint, 'out.mkv');
      const work = path.join(dir, 'w');
      let filled = false;
      const result = await run(dir, ['encode', input, '-o', output, '--work-dir', work, '--json', ...FAST], {
        prefix: ns.prefix,
        // The partial output exists (it is made just before this event): the disk fills before ffmpeg writes to it.
        onEvent: (event) => {
          if (filled || event.event !== 'phase' || event.phase !== 'mux') return;
          filled = true;
          fillUp(ns.outside(path.join(ns.mountPoint, 'ballast')));
        },
      });
      assert.ok(filled, result.stderr);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, new RegExp(`^chunked-av1: ${escape(ns.mountPoint)}: not enough free disk space[^\\n]*\\n$`));
      assert.doesNotMatch(result.stderr, /validation/);
      console.log(`      mux disk-full report: ${result.stderr.trim()}`);
      assert.deepEqual(readdirSync(ns.outside()), ['ballast'], 'no partial output is left beside the output');
      assert.ok(!existsSync(ns.outside(output)));
    } finally {
      ns.dispose();
    }
  });

  it('a CRF of 999 in a hand-edited manifest is refused on load: the segment is encoded again, the summary shows the real CRF', async () => {
    const { dir, input, output } = scene();
    const work = path.join(dir, 'w');
    const args = ['encode', input, '-o', output, '--work-dir', work, '--keep-work-dir', '--json', ...FAST];
    const first = await run(dir, args);
    assert.equal(first.code, 0, first.stderr);
    const manifestFile = path.join(work, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { segments: { crf?: number }[] };
    manifest.segments[0]!.crf = 999;
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const again = await run(dir, [...args, '--overwrite']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(
      again.events.find((e) => e.event === 'resume'),
      undefined,
      'a segment was kept from the edited manifest',
    );
    const done = again.events.find((e): e is DoneEvent => e.event === 'done');
    assert.deepEqual(
      done?.segments.map((s) => s.crf),
      manifest.segments.map(() => 50),
    );
    assert.doesNotMatch(again.stdout, new RegExp(`"crf":${escape('999')}`));
  });
});

/** Fills a file system (seen from outside the namespace) until a write fails with ENOSPC. */
function fillUp(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0x55);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}
