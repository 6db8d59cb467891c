import assert from 'node:assert/strict';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { basicClip, tempDir } from '../helpers/clips';
import { runCli, type CliRun, type RunCliOptions } from '../helpers/faults';
import { requireBuiltCli } from '../helpers/resume-fixture';
import { snapshotTree, type TreeSnapshot } from '../helpers/tree-snapshot';
import { errorLine as line, escapeRegExp as escape } from '../helpers/cli';

/**
 * Issue #24 A: data loss around our own temporary files. Each case plants what a hostile (or
 * unlucky) user would at the names chunked-av1 used to predict (the partial output, the work
 * dir's folders, its state files) and runs the real CLI. Each checks the exit code and the
 * stderr line, that every file outside the work directory is unchanged byte for byte unless it
 * is our output, and that no ffmpeg naming the case's folder is left running.
 */
const FAST = ['--crf', '50', '--preset', '13', '--segment-seconds', '1'];
/** What a successful encode prints last on stderr. */
const wrote = (output: string) => new RegExp(`^chunked-av1: wrote ${escape(output)}$`, 'm');

describe('hostile partial outputs and state files (real CLI, #24 A)', function () {
  this.timeout(180_000);
  const root = tempDir('chunked-av1-partials-');
  let clip = '';
  let longClip = '';
  let cases = 0;

  before(() => {
    requireBuiltCli();
    clip = basicClip(path.join(root.dir, 'clip.mkv'), { seconds: 1, size: '160x90', fps: 24, gopFrames: 12 });
    longClip = basicClip(path.join(root.dir, 'clip2.mkv'), { seconds: 3, size: '160x90', fps: 24, gopFrames: 12 });
  });
  after(() => root.cleanup());

  function scene(source = clip): { dir: string; input: string; output: string } {
    const dir = path.join(root.dir, `case-${++cases}`);
    mkdirSync(dir);
    const input = path.join(dir, 'in.mkv');
    copyFileSync(source, input);
    return { dir, input, output: path.join(dir, 'out.mkv') };
  }

  async function run(dir: string, args: string[], options: RunCliOptions = {}): Promise<CliRun> {
    const result = await runCli(args, { strayMarker: dir, timeoutMs: 150_000, ...options });
    assert.deepEqual(result.strays, [], 'an ffmpeg naming the test folder is still running');
    return result;
  }

  /** The snapshot without our own things: the work dirs, the output and its finished record. */
  function outside(snapshot: TreeSnapshot, ours: string[]): TreeSnapshot {
    const mine = (name: string) => ours.some((own) => name === own || name.startsWith(`${own}${path.sep}`));
    return new Map([...snapshot].filter(([name]) => !mine(name)));
  }
  const OUTPUT_FILES = ['out.mkv', '.out.mkv.chunked-av1.json'];

  function assertOutsideUnchanged(before: TreeSnapshot, after: TreeSnapshot, ours: string[]): void {
    assert.deepEqual([...outside(after, ours)], [...outside(before, ours)], 'a file outside the work dir changed, appeared or went');
  }

  it('1. writes nothing through a symlink at the old partial name (to another file, or to the input)', async () => {
    for (const target of ['victim/secret.txt', 'in.mkv']) {
      const { dir, input, output } = scene();
      mkdirSync(path.join(dir, 'victim'));
      writeFileSync(path.join(dir, 'victim', 'secret.txt'), 'secret');
      symlinkSync(target, path.join(dir, '.out.partial.mkv'));
      const before = snapshotTree(dir);
      const result = await run(dir, ['encode', input, '-o', output, ...FAST]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, wrote(output));
      assert.ok(lstatSync(output).isFile(), 'the output is a file of its own, not the planted link');
      assertOutsideUnchanged(before, snapshotTree(dir), OUTPUT_FILES);
    }
  });

  it('2. keeps a plain file at the old partial name', async () => {
    const { dir, input, output } = scene();
    writeFileSync(path.join(dir, '.out.partial.mkv'), 'a user file');
    const before = snapshotTree(dir);
    const result = await run(dir, ['encode', input, '-o', output, ...FAST]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, wrote(output));
    assert.equal(readFileSync(path.join(dir, '.out.partial.mkv'), 'utf8'), 'a user file');
    assertOutsideUnchanged(before, snapshotTree(dir), OUTPUT_FILES);
  });

  it('3. never removes an input named like the partial output', async () => {
    const { dir, input, output } = scene();
    const named = path.join(dir, '.out.partial.mkv');
    renameSync(input, named);
    const before = snapshotTree(dir);
    const result = await run(dir, ['encode', named, '-o', output, ...FAST]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, wrote(output));
    assertOutsideUnchanged(before, snapshotTree(dir), OUTPUT_FILES);
  });

  it('4. clean keeps a user file that merely has a partial-looking name', async () => {
    const { dir, input } = scene();
    writeFileSync(path.join(dir, '.in.av1.partial.mkv'), 'a user file');
    const before = snapshotTree(dir);
    const result = await run(dir, ['clean', input]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, `nothing to clean: ${path.join(dir, '.in.av1.mkv.work')} does not exist\n`);
    assertOutsideUnchanged(before, snapshotTree(dir), []);
  });

  it('4b. clean removes the partial output a killed run recorded creating, and only that', async () => {
    const { dir, input, output } = scene();
    const work = path.join(dir, 'w');
    writeFileSync(path.join(dir, '.out.partial.mkv'), 'a user file');
    const before = snapshotTree(dir);
    const killed = await run(dir, ['encode', input, '-o', output, '--work-dir', work, '--json', ...FAST], {
      killWhen: (event) => event.event === 'phase' && event.phase === 'mux',
      killSignal: 'SIGKILL',
    });
    assert.ok(killed.killedAfter, `the run was not interrupted in the mux: ${killed.stderr}`);
    const partials = () => readdirSync(dir).filter((name) => /^\.out\.partial-[0-9a-f]{16}\.mkv$/.test(name));
    const [partial] = partials();
    assert.ok(partial, 'the killed run left no partial of its own');
    const result = await run(dir, ['clean', input, '-o', output, '--work-dir', work]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, `removed ${work}, ${path.join(dir, partial)}\n`);
    assert.deepEqual(partials(), []);
    assertOutsideUnchanged(before, snapshotTree(dir), ['w']);
  });

  it('5. refuses a resumed job whose encoded/ became a symlink, before writing through it', async () => {
    const { dir, input, output } = scene(longClip);
    const work = path.join(dir, 'w');
    const first = await run(dir, ['encode', input, '-o', output, '--work-dir', work, '--json', ...FAST], {
      killWhen: (event) => event.event === 'segment' && event.state === 'encoding',
      killSignal: 'SIGKILL',
    });
    assert.ok(first.killedAfter, `the first run was not interrupted: ${first.stderr}`);
    const elsewhere = path.join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(path.join(elsewhere, 'segment_000.mkv'), 'not a segment');
    writeFileSync(path.join(elsewhere, 'segment_000.tmp.mkv'), 'not a segment either');
    renameSync(path.join(work, 'encoded'), path.join(dir, 'old-encoded'));
    symlinkSync(elsewhere, path.join(work, 'encoded'));
    const before = snapshotTree(dir);
    const result = await run(dir, ['encode', input, '-o', output, '--work-dir', work, ...FAST]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr.trimEnd(),
      line(
        path.join(work, 'encoded'),
        'is a symbolic link, not the folder chunked-av1 wrote there; not following it \\(remove it, or start the job again with `chunked-av1 clean`\\)',
      ),
    );
    assert.deepEqual([...snapshotTree(dir)], [...before], 'the refused resume changed something');
  });

  it('6. report refuses the job’s own state files as its output, even with --overwrite and through a hard link', async () => {
    const { dir, input, output } = scene();
    const work = path.join(dir, 'w');
    const done = await run(dir, ['encode', input, '-o', output, '--work-dir', work, '--keep-work-dir', ...FAST]);
    assert.equal(done.code, 0, done.stderr);
    linkSync(path.join(work, 'segment_list.txt'), path.join(dir, 'list-link.txt'));
    for (const [target, cause] of [
      [path.join(work, 'manifest.json'), `is inside the job's work directory ${escape(work)}`],
      [path.join(work, 'chunked-av1-workdir.json'), `is inside the job's work directory ${escape(work)}`],
      [path.join(dir, 'list-link.txt'), `is the job's segment_list\\.txt \\(in ${escape(work)}\\) under another name`],
    ] as const) {
      const before = snapshotTree(dir);
      const result = await run(dir, ['report', work, '-o', target, '--overwrite']);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr.trimEnd(), line(target, `${cause}; choose another report path`));
      assert.deepEqual([...snapshotTree(dir)], [...before], `report -o ${target} changed something`);
    }
  });

  it('7. two runs with the same -o and different work dirs do not share a partial file', async () => {
    const { dir, input, output } = scene();
    // A real ffmpeg that lingers 3 s after the mux (a FAKE delay only: the join itself is real), so
    // the two runs' joins overlap on any machine instead of by luck.
    const bin = path.join(dir, 'slow-mux');
    mkdirSync(bin);
    const wrapper = path.join(bin, 'ffmpeg');
    writeFileSync(wrapper, '#!/bin/sh\nffmpeg "$@"; code=$?\ncase "$*" in *segment_list.txt*) sleep 3 ;; esac\nexit $code\n');
    chmodSync(wrapper, 0o755);
    const env = { CHUNKED_AV1_FFMPEG: wrapper };
    const before = snapshotTree(dir);
    const runs = await Promise.all(
      ['w1', 'w2'].map((work) => run(dir, ['encode', input, '-o', output, '-y', '--work-dir', path.join(dir, work), ...FAST], { env })),
    );
    for (const result of runs) {
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, wrote(output));
    }
    assert.ok(lstatSync(output).isFile());
    assert.equal(existsSync(path.join(dir, 'w1')) || existsSync(path.join(dir, 'w2')), false, 'a work dir was left');
    assertOutsideUnchanged(before, snapshotTree(dir), OUTPUT_FILES);
  });
});
