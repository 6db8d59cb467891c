import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { basicClip, tempDir } from '../helpers/clips';
import { CLI, runCli, type CliRun } from '../helpers/faults';
import { requireBuiltCli } from '../helpers/resume-fixture';
import { assertTreeUnchanged, snapshotTree } from '../helpers/tree-snapshot';
import { errorLine as line, escapeRegExp as escape } from '../helpers/cli';

/**
 * Issue #24 D13 and D14: a FIFO, a device or a folder where chunked-av1 reads a file (a VMAF model, a job
 * manifest, a hosts file) is refused at once with one line naming it, instead of blocking on the
 * open, reading /dev/zero until memory runs out, or a message that names no file. Each run gets
 * 60 s (the old behaviour: blocked for good, or about 3 minutes until std::bad_alloc), must exit
 * 1 with the one line, change nothing, and leave no ffmpeg naming the case's folder. D14: an
 * ffmpeg that never answers (a script whose child sleeps) is timed out, and one Ctrl-C ends it
 * with its whole process group.
 */

describe('hostile files where a regular file is read (real CLI, #24 D13)', function () {
  this.timeout(120_000);
  const root = tempDir('chunked-av1-files-');
  let clip = '';
  let cases = 0;

  before(() => {
    requireBuiltCli();
    clip = basicClip(path.join(root.dir, 'clip.mkv'), { seconds: 1, size: '160x90', fps: 24, gopFrames: 12 });
  });
  after(() => root.cleanup());

  function scene(): { dir: string; input: string } {
    const dir = path.join(root.dir, `case-${++cases}`);
    mkdirSync(dir);
    const input = path.join(dir, 'in.mkv');
    copyFileSync(clip, input);
    return { dir, input };
  }

  function fifo(file: string): string {
    const made = spawnSync('mkfifo', [file], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    return file;
  }

  async function refused(dir: string, args: string[], expected: RegExp): Promise<CliRun> {
    const before = snapshotTree(dir);
    const result = await runCli(args, { strayMarker: dir, timeoutMs: 60_000 });
    assert.deepEqual(result.strays, [], 'an ffmpeg naming the test folder is still running');
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr.trimEnd(), expected);
    assertTreeUnchanged(before, snapshotTree(dir));
    return result;
  }

  it('vmaf --model: a device, a FIFO and a folder', async () => {
    const { dir, input } = scene();
    const model = (file: string, what: string) =>
      line(
        `model ${file}`,
        `cannot be read as a JSON VMAF model \\(${escape(file)}: is ${what}, not a regular file; a VMAF model must be a file\\)`,
      );
    await refused(dir, ['vmaf', input, input, '--model', '/dev/zero'], model('/dev/zero', 'a device'));
    const pipe = fifo(path.join(dir, 'model.json'));
    await refused(dir, ['vmaf', input, input, '--model', pipe], model(pipe, 'a FIFO \\(named pipe\\)'));
    await refused(dir, ['vmaf', input, input, '--model', dir], model(dir, 'a folder'));
  });

  it('status and encode on a work directory whose manifest.json is a FIFO', async () => {
    const { dir, input } = scene();
    const work = path.join(dir, 'w');
    mkdirSync(work);
    writeFileSync(
      path.join(work, 'chunked-av1-workdir.json'),
      JSON.stringify({ format: 'chunked-av1 work directory', version: 1, output: path.join(dir, 'out.mkv'), createdAt: 'then' }),
    );
    const manifest = fifo(path.join(work, 'manifest.json'));
    const expected = line(manifest, 'is a FIFO \\(named pipe\\), not a regular file; a job manifest must be a file');
    await refused(dir, ['status', work], expected);
    await refused(
      dir,
      ['encode', input, '-o', path.join(dir, 'out.mkv'), '--work-dir', work, '--crf', '50', '--preset', '13'],
      line(manifest, 'is a special file \\(FIFO, device or socket\\), not the file chunked-av1 wrote there; not following it .*'),
    );
  });

  /** Running `sleep SECONDS` processes (the hanging ffmpeg script's child), by their exact argv. */
  function sleepers(seconds: string): number[] {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
          const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
          return argv.length === 2 && path.basename(argv[0]!) === 'sleep' && argv[1] === seconds && state !== 'Z';
        } catch {
          return false;
        }
      })
      .map(Number);
  }

  async function until(what: string, condition: () => boolean, ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** An "ffmpeg" that never answers: a script whose child sleeps (so a kill of the script alone leaves the sleep). */
  function hangingFfmpeg(dir: string, seconds: string): string {
    const script = path.join(dir, 'ffmpeg');
    writeFileSync(script, `#!/bin/sh\nsleep ${seconds}\n`);
    chmodSync(script, 0o755);
    return script;
  }

  it('D14: one Ctrl-C during a tool check that never answers ends its whole process group', async () => {
    const { dir, input } = scene();
    const ffmpeg = hangingFfmpeg(dir, '301');
    const before = snapshotTree(dir);
    const child = spawn(process.execPath, [CLI, 'encode', input, '-o', path.join(dir, 'out.mkv'), '--crf', '50'], {
      env: { ...process.env, CHUNKED_AV1_FFMPEG: ffmpeg },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await until('the script to start its sleep', () => sleepers('301').length > 0, 30_000);
      child.kill('SIGINT');
      const code = await Promise.race([exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 20_000))]);
      assert.equal(code, 130, `one SIGINT did not end the run: ${stderr}`);
      await until('no sleep of the script left', () => sleepers('301').length === 0, 5_000);
      assertTreeUnchanged(before, snapshotTree(dir));
    } finally {
      child.kill('SIGKILL');
      for (const pid of sleepers('301')) process.kill(pid, 'SIGKILL');
    }
  });

  it('D14: a tool check that never answers times out with one line', async function () {
    this.timeout(150_000);
    const { dir, input } = scene();
    const ffmpeg = hangingFfmpeg(dir, '302');
    const before = snapshotTree(dir);
    const result = await runCli(['encode', input, '-o', path.join(dir, 'out.mkv'), '--crf', '50'], {
      env: { CHUNKED_AV1_FFMPEG: ffmpeg },
      timeoutMs: 120_000,
    });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr.trimEnd(), line(ffmpeg, 'did not answer `-hide_banner -version` within 30 s; is it ffmpeg\\?'));
    assert.deepEqual(sleepers('302'), [], "the script's sleep is still running");
    assertTreeUnchanged(before, snapshotTree(dir));
  });

  it('encode --hosts-file: a FIFO', async () => {
    const { dir, input } = scene();
    const hosts = fifo(path.join(dir, 'hosts.txt'));
    await refused(
      dir,
      ['encode', input, '-o', path.join(dir, 'out.mkv'), '--hosts-file', hosts, '--crf', '50'],
      line(hosts, 'is a FIFO \\(named pipe\\), not a regular file; a hosts file must be a file'),
    );
  });
});
