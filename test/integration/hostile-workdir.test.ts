import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { basicClip, tempDir } from '../helpers/clips';
import { runCli, type CliRun, type RunCliOptions } from '../helpers/faults';
import { requireBuiltCli } from '../helpers/resume-fixture';
import { assertTreeKept, assertTreeUnchanged, snapshotTree } from '../helpers/tree-snapshot';
import { errorLine as line, escapeRegExp as escape } from '../helpers/cli';

/**
 * Issue #11, work directory and output: chunked-av1 only deletes or replaces what it made, and
 * says so in one line naming the path and the cause. Each case runs the real CLI in its own
 * folder and checks the exit code and stderr line, that every file that was there is still
 * there byte for byte (a hash of the whole tree before and after) and that no ffmpeg naming the
 * folder is left running. Successful runs use a 1 s 160x90 clip.
 */
const FAST = ['--crf', '50', '--preset', '13', '--segment-seconds', '1'];

describe('hostile work directories and outputs (real CLI)', function () {
  this.timeout(120_000);
  const root = tempDir('chunked-av1-hostile-');
  let clip = '';
  let cases = 0;
  const mounts: string[] = [];

  before(() => {
    requireBuiltCli();
    clip = basicClip(path.join(root.dir, 'clip.mkv'), { seconds: 1, size: '160x90', fps: 24, gopFrames: 12 });
  });
  after(() => {
    for (const mount of mounts.reverse()) spawnSync('umount', ['-l', mount]);
    root.cleanup();
  });

  /** A folder of its own for one case, with the input `in.mkv` in it. */
  function scene(): { dir: string; input: string } {
    const dir = path.join(root.dir, `case-${++cases}`);
    mkdirSync(dir);
    const input = path.join(dir, 'in.mkv');
    copyFileSync(clip, input);
    return { dir, input };
  }

  /** A tmpfs at DIR (root only); undefined when mounting is refused here, with the reason. */
  function mountTmpfs(dir: string, options: string): string | undefined {
    mkdirSync(dir, { recursive: true });
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
    if (mounted.status !== 0) return `mount -t tmpfs refused here: ${(mounted.stderr || mounted.error?.message || '').trim()}`;
    mounts.push(dir);
    return undefined;
  }

  async function run(dir: string, args: string[], options: RunCliOptions = {}): Promise<CliRun> {
    const result = await runCli(args, { strayMarker: dir, timeoutMs: 100_000, ...options });
    assert.deepEqual(result.strays, [], 'an ffmpeg naming the test folder is still running');
    return result;
  }

  /** Runs ARGS, expects exit 1 with exactly the one stderr line, and the folder untouched. */
  async function refused(
    dir: string,
    args: string[],
    expected: RegExp,
    options: RunCliOptions & { unchanged?: boolean } = {},
  ): Promise<void> {
    const before = snapshotTree(dir);
    const result = await run(dir, args, options);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr.trimEnd(), expected);
    if (options.unchanged === false) assertTreeKept(before, snapshotTree(dir));
    else assertTreeUnchanged(before, snapshotTree(dir));
  }

  async function succeeds(dir: string, args: string[], options: RunCliOptions = {}): Promise<CliRun & { kept: () => void }> {
    const before = snapshotTree(dir);
    const result = await run(dir, args, options);
    assert.equal(result.code, 0, result.stderr);
    return Object.assign(result, { kept: () => assertTreeKept(before, snapshotTree(dir)) });
  }

  describe('--work-dir', () => {
    it('refuses a folder holding a stranger file', async () => {
      const { dir, input } = scene();
      mkdirSync(path.join(dir, 'v'));
      writeFileSync(path.join(dir, 'v', 'notes.txt'), 'not yours');
      const work = path.join(dir, 'v');
      await refused(
        dir,
        ['encode', input, '--work-dir', work, ...FAST],
        line(
          work,
          'cannot be the work directory: it is not empty and was not made by chunked-av1 \\(holds notes\\.txt\\); give a new or empty folder',
        ),
      );
    });

    it('refuses ".", the folder of the input', async () => {
      const { dir } = scene();
      await refused(
        dir,
        ['encode', 'in.mkv', '-o', 'out.mkv', '--work-dir', '.', ...FAST],
        line('.', "cannot be the work directory: it is the input's folder; give a dedicated folder"),
        { prefix: ['env', '-C', dir] },
      );
    });

    it('refuses an ancestor of the input', async () => {
      const { dir, input } = scene();
      mkdirSync(path.join(dir, 'films'));
      const nested = path.join(dir, 'films', 'in.mkv');
      copyFileSync(input, nested);
      mkdirSync(path.join(dir, 'out'));
      await refused(
        dir,
        ['encode', nested, '-o', path.join(dir, 'out', 'x.mkv'), '--work-dir', dir, ...FAST],
        line(dir, `cannot be the work directory: it contains the input \\(${escape(nested)}\\); give a dedicated folder`),
      );
    });

    it('refuses the home folder', async () => {
      const { dir, input } = scene();
      const home = path.join(dir, 'home');
      mkdirSync(home);
      writeFileSync(path.join(home, '.bashrc'), 'export PS1=x\n');
      await refused(
        dir,
        ['encode', input, '--work-dir', home, ...FAST],
        line(home, 'cannot be the work directory: it is your home folder; give a dedicated folder'),
        { env: { HOME: home } },
      );
    });

    it('refuses /', async () => {
      const { dir, input } = scene();
      await refused(
        dir,
        ['encode', input, '--work-dir', '/', ...FAST],
        line('/', 'cannot be the work directory: it is the root folder; give a dedicated folder'),
      );
    });

    it('reuses a folder it made, and after success removes only what it wrote', async () => {
      const { dir, input } = scene();
      const work = path.join(dir, 'w');
      const output = path.join(dir, 'out.mkv');
      await succeeds(dir, ['encode', input, '-o', output, '--work-dir', work, '--keep-work-dir', ...FAST]);
      writeFileSync(path.join(work, 'notes.txt'), 'mine');
      const again = await succeeds(dir, ['encode', input, '-o', output, '--work-dir', work, '-y', ...FAST]);
      assert.match(
        again.stderr,
        new RegExp(`chunked-av1: ${escape(work)}: kept, it holds files chunked-av1 did not write \\(notes\\.txt\\)`),
      );
      assert.equal(readFileSync(path.join(work, 'notes.txt'), 'utf8'), 'mine');
      assert.deepEqual(readdirSync(work).sort(), ['chunked-av1-workdir.json', 'notes.txt']);
    });
  });

  describe('input and output identity', () => {
    it('refuses the input as the output when the input is given through a symlink, even with --overwrite', async () => {
      const { dir, input } = scene();
      symlinkSync(input, path.join(dir, 'link.mkv'));
      const expected = line(
        input,
        `is the input ${escape(path.join(dir, 'link.mkv'))} \\(the same file, through a link or another path\\); choose another -o`,
      );
      await refused(dir, ['encode', path.join(dir, 'link.mkv'), '-o', input, ...FAST], expected);
      await refused(dir, ['encode', path.join(dir, 'link.mkv'), '-o', input, '--overwrite', ...FAST], expected);
    });

    it('refuses a hard link of the input as the output, even with -y', async () => {
      const { dir, input } = scene();
      const hard = path.join(dir, 'hard.mkv');
      linkSync(input, hard);
      await refused(dir, ['encode', input, '-o', hard, '-y', ...FAST], line(hard, `is the input ${escape(input)} .*; choose another -o`));
    });

    it('refuses the input reached through ..', async () => {
      const { dir, input } = scene();
      mkdirSync(path.join(dir, 'sub'));
      await refused(
        dir,
        ['encode', input, '-o', path.join(dir, 'sub', '..', 'in.mkv'), '-y', ...FAST],
        line(input, 'is the input .*; choose another -o'),
      );
    });

    it('refuses to replace an existing output without --overwrite', async () => {
      const { dir, input } = scene();
      const output = path.join(dir, 'out.mkv');
      writeFileSync(output, 'an earlier film');
      await refused(dir, ['encode', input, '-o', output, ...FAST], line(output, 'already exists; pass --overwrite \\(-y\\) to replace it'));
    });

    for (const flag of ['--overwrite', '-y']) {
      it(`replaces an existing output with ${flag}`, async () => {
        const { dir, input } = scene();
        const output = path.join(dir, 'out.mkv');
        writeFileSync(output, 'an earlier film');
        const before = snapshotTree(dir);
        const result = await run(dir, ['encode', input, '-o', output, flag, ...FAST]);
        assert.equal(result.code, 0, result.stderr);
        const after = snapshotTree(dir);
        before.delete('out.mkv');
        assertTreeKept(before, after);
        assert.notEqual(readFileSync(output, 'utf8').slice(0, 15), 'an earlier film');
        assert.equal(existsSync(path.join(dir, '.out.mkv.work')), false);
      });
    }

    it('does not replace an output that appeared during the encode', async () => {
      const { dir, input } = scene();
      const output = path.join(dir, 'out.mkv');
      let planted = false;
      const before = snapshotTree(dir);
      const result = await run(dir, ['encode', input, '-o', output, '--json', ...FAST], {
        onEvent: (event) => {
          if (!planted && event.event === 'phase' && event.phase === 'mux') {
            writeFileSync(output, 'arrived meanwhile');
            planted = true;
          }
        },
      });
      assert.ok(planted, 'no mux phase seen');
      assert.equal(result.code, 1, result.stderr);
      assert.match(
        result.stderr.trimEnd(),
        line(output, 'a file appeared there during the encode; not replacing it \\(pass --overwrite \\(-y\\) to replace it\\)'),
      );
      assert.equal(readFileSync(output, 'utf8'), 'arrived meanwhile');
      assert.deepEqual(
        readdirSync(dir).filter((name) => name.includes('.partial')),
        [],
        'partial output left behind',
      );
      assertTreeKept(before, snapshotTree(dir));
    });

    it('refuses an output path that is a folder', async () => {
      const { dir, input } = scene();
      mkdirSync(path.join(dir, 'out.mkv'));
      await refused(
        dir,
        ['encode', input, '-o', path.join(dir, 'out.mkv'), '-y', ...FAST],
        line(path.join(dir, 'out.mkv'), "is a folder; give the output's file name with -o"),
      );
    });
  });

  describe('errno lines', () => {
    it('EROFS: an output in a read-only folder is refused before any work', async function () {
      const { dir, input } = scene();
      const ro = path.join(dir, 'ro');
      const why = mountTmpfs(ro, 'size=1m,ro');
      if (why) this.skip();
      await refused(dir, ['encode', input, '-o', path.join(ro, 'out.mkv'), ...FAST], line(ro, 'the file system is read-only \\(EROFS\\)'));
    });

    it('EROFS: a work directory on a read-only file system', async function () {
      const { dir, input } = scene();
      const ro = path.join(dir, 'ro');
      if (mountTmpfs(ro, 'size=1m,ro')) this.skip();
      await refused(
        dir,
        ['encode', input, '-o', path.join(dir, 'out.mkv'), '--work-dir', path.join(ro, 'work'), ...FAST],
        line(path.join(ro, 'work'), 'the file system is read-only \\(EROFS\\)'),
      );
    });

    it('ENOSPC: a full output folder is refused before any work', async function () {
      const { dir, input } = scene();
      const small = path.join(dir, 'small');
      if (mountTmpfs(small, 'size=16k')) this.skip();
      await refused(
        dir,
        ['encode', input, '-o', path.join(small, 'out.mkv'), ...FAST],
        new RegExp(`^chunked-av1: ${escape(path.join(small, '.out.mkv.work'))}: .*free`),
      );
    });

    it('ENAMETOOLONG: a 300-byte output name', async () => {
      const { dir, input } = scene();
      const output = path.join(dir, `${'n'.repeat(296)}.mkv`);
      await refused(
        dir,
        ['encode', input, '-o', output, ...FAST],
        line(output, 'a name in this path is too long for the file system \\(ENAMETOOLONG\\)'),
      );
    });

    it('a name too long for the default work directory falls back to a short hashed one that status and clean find', async () => {
      const { dir, input } = scene();
      const output = path.join(dir, `${'n'.repeat(246)}.mkv`); // 250 bytes: the output fits, ".NAME.work" would not
      const result = await succeeds(dir, ['encode', input, '-o', output, '--keep-work-dir', ...FAST]);
      result.kept();
      const work = readdirSync(dir).filter((name) => /^\.chunked-av1-[0-9a-f]{16}\.work$/.test(name));
      assert.equal(work.length, 1, readdirSync(dir).join(', '));
      const status = await run(dir, ['status', input, '-o', output]);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /done/);
      const clean = await run(dir, ['clean', input, '-o', output]);
      assert.equal(clean.code, 0, clean.stderr);
      assert.equal(existsSync(path.join(dir, work[0]!)), false);
      assert.ok(existsSync(output));
    });

    it('ENOTDIR: a file as a folder in the output path', async () => {
      const { dir, input } = scene();
      writeFileSync(path.join(dir, 'file.txt'), 'text');
      const output = path.join(dir, 'file.txt', 'out.mkv');
      await refused(
        dir,
        ['encode', input, '-o', output, ...FAST],
        line(output, 'a part of this path is a file, not a folder \\(ENOTDIR\\)'),
      );
    });

    it('ELOOP: a symlink loop in the output path', async () => {
      const { dir, input } = scene();
      symlinkSync('loop', path.join(dir, 'loop'));
      const output = path.join(dir, 'loop', 'out.mkv');
      await refused(
        dir,
        ['encode', input, '-o', output, ...FAST],
        line(output, 'too many symbolic links \\(a symlink loop\\?\\) \\(ELOOP\\)'),
      );
    });

    it('EISDIR: a folder where the manifest of its own work directory should be', async () => {
      const { dir, input } = scene();
      const work = path.join(dir, 'w');
      mkdirSync(path.join(work, 'manifest.json'), { recursive: true });
      writeFileSync(
        path.join(work, 'chunked-av1-workdir.json'),
        JSON.stringify({ format: 'chunked-av1 work directory', version: 1, output: path.join(dir, 'out.mkv'), createdAt: 'then' }),
      );
      await refused(
        dir,
        ['encode', input, '-o', path.join(dir, 'out.mkv'), '--work-dir', work, ...FAST],
        line(path.join(work, 'manifest.json'), 'is a folder, not a file \\(EISDIR\\)'),
        { unchanged: false },
      );
      assert.equal(existsSync(path.join(dir, 'out.mkv')), false);
    });

    it('EMFILE: too few file descriptors to start ffmpeg', async function () {
      if (spawnSync('prlimit', ['--version']).status !== 0) this.skip(); // util-linux's prlimit is missing
      const { dir, input } = scene();
      await refused(
        dir,
        ['encode', input, '-o', path.join(dir, 'out.mkv'), ...FAST],
        /^chunked-av1: ffmpeg: too many open files \(raise the limit: ulimit -n\) \(EMFILE\)$/,
        {
          prefix: ['prlimit', '--nofile=24', '--'],
        },
      );
    });

    it('EACCES: an output folder another user cannot write (run as nobody)', async function () {
      const { dir, input } = scene();
      const closed = path.join(dir, 'closed');
      mkdirSync(closed, { mode: 0o555 });
      spawnSync('chmod', ['0755', root.dir, dir]);
      spawnSync('chmod', ['0644', input]);
      const probe = spawnSync('setpriv', [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        '-e',
        `require('fs').accessSync(${JSON.stringify(input)})`,
      ]);
      if (probe.status !== 0) this.skip(); // no setpriv, or the test folder is not readable by nobody
      await refused(dir, ['encode', input, '-o', path.join(closed, 'out.mkv'), ...FAST], line(closed, 'permission denied \\(EACCES\\)'), {
        prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
      });
    });
  });

  describe('clean', () => {
    it('never removes a file at a partial-looking name it did not record creating (#24)', async () => {
      const { dir, input } = scene();
      const work = path.join(dir, 'w');
      const output = path.join(dir, 'out.mkv');
      await succeeds(dir, ['encode', input, '-o', output, '--work-dir', work, '--keep-work-dir', ...FAST]);
      const partial = path.join(dir, '.out.partial.mkv');
      writeFileSync(partial, 'partial');
      const byDir = await run(dir, ['clean', work]);
      assert.equal(byDir.code, 0, byDir.stderr);
      assert.ok(existsSync(partial), 'clean WORK_DIR removed a partial named by the manifest');
      assert.equal(existsSync(work), false);
      const byInput = await run(dir, ['clean', input, '-o', output, '--work-dir', work]);
      assert.equal(byInput.code, 0, byInput.stderr);
      assert.ok(existsSync(partial), 'clean INPUT removed a user file named like the partial output');
      assert.ok(existsSync(output) && existsSync(input));
    });

    it('refuses a folder it did not make', async () => {
      const { dir } = scene();
      const work = path.join(dir, 'v');
      mkdirSync(path.join(work, 'encoded'), { recursive: true });
      writeFileSync(path.join(work, 'encoded', 'segment_000.mkv'), 'someone else’s');
      await refused(dir, ['clean', work], line(work, 'not a chunked-av1 work directory \\(no marker or manifest\\); not removing it'));
    });
  });
});
