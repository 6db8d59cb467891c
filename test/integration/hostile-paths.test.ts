import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { basicClip, countFrames, ffmpegSync, tempDir } from '../helpers/clips';
import { CLI } from '../helpers/cli';
import type { VmafResult } from '../../server/src/vmaf/index';

/**
 * Paths and inputs built to mislead ffmpeg (issue #11, "Paths handed to ffmpeg and ffprobe",
 * "Resource bounds", "--crf", control characters), through the real CLI on clips made here.
 * Each case asserts the exit code and the stderr line, that every file present before is
 * still there byte for byte, and that no process is left mentioning the test folder.
 */

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  lines: string[];
}

function runCli(args: string[], cwd: string): Run {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd, timeout: 180_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, lines: run.stderr.split('\n').filter(Boolean) };
}

/** Every file under `root` with its SHA-256 (relative path -> hash). */
function snapshot(root: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) found.set(path.relative(root, full), createHash('sha256').update(readFileSync(full)).digest('hex'));
    }
  };
  walk(root);
  return found;
}

function assertUnchanged(before: Map<string, string>, root: string): void {
  const after = snapshot(root);
  for (const [file, hash] of before) assert.equal(after.get(file), hash, `${JSON.stringify(file)} is still there, byte for byte`);
}

/** Processes whose command line mentions `text` (a stray ffmpeg/ffprobe of a run). */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(text) && !cmdline.includes('mocha')) found.push(`${pid}: ${cmdline}`);
    } catch {
      /* gone */
    }
  }
  return found;
}

/** ffmpeg's `-report` writes PROGRAM-DATE-TIME.log into its working directory. */
function reportLogs(dir: string): string[] {
  return readdirSync(dir).filter((f) => /^(ffmpeg|ffprobe)-\d{8}-\d{6}\.log$/.test(f));
}

/** A 160x90 H.264 clip of `seconds` at 10 fps (one keyframe a second). */
function clip(file: string, seconds: number): string {
  return basicClip(file, { seconds, size: '160x90', fps: 10, gopFrames: 10 });
}

function framesOf(file: string): number {
  return countFrames(`file:${path.resolve(file)}`);
}

describe('hostile paths and inputs (integration, real CLI)', function () {
  this.timeout(300_000);
  let dir: string;
  let cleanup: () => void;
  let source: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('chunked-av1-hostile-'));
    source = clip(path.join(dir, 'in.mkv'), 2);
  });
  afterEach(() => cleanup());

  /** A full encode whose work directory and output sit in `folder`; the output must hold the source's frames. */
  function encodeInto(folder: string): void {
    mkdirSync(folder, { recursive: true });
    const output = path.join(folder, 'out.mkv');
    const before = snapshot(dir);
    const run = runCli(
      ['encode', source, '-o', output, '--work-dir', path.join(folder, 'work'), '--preset', '13', '--segment-seconds', '1'],
      dir,
    );
    assert.equal(run.status, 0, run.stderr);
    // The summary: the output on its own line, then its figures (the video line counts the frames).
    assert.ok(
      run.lines.some((l) => /^chunked-av1: wrote .*out\.mkv$/.test(l)),
      run.lines.join('\n'),
    );
    assert.ok(
      run.lines.some((l) => /^ {2}video: .*\(20 frames\)/.test(l)),
      run.lines.join('\n'),
    );
    assert.equal(run.lines.filter((l) => l.startsWith('chunked-av1: wrote')).length, 1, 'the output name stays on one line');
    assert.equal(framesOf(output), 20, 'the output is the source, not another video');
    assertUnchanged(before, dir);
    assert.deepEqual(processesMentioning(dir), []);
  }

  it('encodes in a work directory whose path holds #, ? and % (the URL parser cut there), ignoring a planted encoded/segment_000.mkv one level up', () => {
    // Before: the join resolved encoded/segment_000.mkv against ".../C", i.e. this planted one.
    mkdirSync(path.join(dir, 'encoded'));
    clip(path.join(dir, 'encoded', 'segment_000.mkv'), 3);
    encodeInto(path.join(dir, 'C# projects?x=%41%'));
  });

  it("encodes in a work directory whose path holds ', \\, a newline, a tab and non-ASCII", () => {
    encodeInto(path.join(dir, "it's \\ a\nnew\tline ü 日本"));
  });

  function expectRefusal(run: Run, status: number, names: string, cause: RegExp, before: Map<string, string>, output?: string): void {
    assert.equal(run.status, status, run.stderr);
    assert.equal(run.lines.length, 1, `one line: ${run.stderr}`);
    assert.ok(run.lines[0]!.includes(names), `names ${names}: ${run.lines[0]}`);
    assert.match(run.lines[0]!, cause);
    if (output) assert.ok(!existsSync(output), 'no output');
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.work')),
      [],
      'no work directory',
    );
    assertUnchanged(before, dir);
    assert.deepEqual(processesMentioning(dir), []);
  }

  /** `encode`, `probe` and `vmaf` on a disguised input each refuse it, naming the detected format. */
  function expectContainerRefused(input: string, format: string): void {
    const before = snapshot(dir);
    const name = path.basename(input);
    const cause = new RegExp(`detected format "${format}" .* is refused; accepted containers: Matroska/WebM`);
    const output = path.join(dir, 'out.mkv');
    expectRefusal(runCli(['encode', input, '-o', output, '--preset', '13'], dir), 1, name, cause, before, output);
    expectRefusal(runCli(['probe', input], dir), 1, name, cause, before);
    expectRefusal(runCli(['vmaf', input, source], dir), 1, name, cause, before);
  }

  it('refuses an HLS playlist disguised as .mkv, which named another local file', () => {
    clip(path.join(dir, 'private-file.mkv'), 1);
    const playlist = path.join(dir, 'video.mkv');
    writeFileSync(playlist, '#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.00,\nprivate-file.mkv\n#EXT-X-ENDLIST\n');
    assert.equal(statSync(playlist).size, 78);
    expectContainerRefused(playlist, 'hls');
  });

  it('refuses a concat list (ffconcat) disguised as .mkv', () => {
    clip(path.join(dir, 'private.mkv'), 1);
    const list = path.join(dir, 'video.mkv');
    writeFileSync(list, "ffconcat version 1.0\nfile 'private.mkv'\n");
    expectContainerRefused(list, 'concat');
  });

  it('refuses an image-sequence pattern name (it would read frame001.png, frame002.png, ...)', () => {
    ffmpegSync(['-f', 'lavfi', '-i', 'testsrc=s=160x90:r=10:d=1', path.join(dir, 'frame%03d.png')]);
    const pattern = path.join(dir, 'frame%03d.png');
    copyFileSync(path.join(dir, 'frame001.png'), pattern);
    expectContainerRefused(pattern, 'image2');
  });

  for (const name of ['concat:a.mkv|b.mkv', '-report']) {
    it(`treats ${JSON.stringify(name)} as a plain file name in encode, probe, vmaf, status and clean`, () => {
      // a.mkv + b.mkv would be 40 frames through the concat protocol; the file itself has 10.
      clip(path.join(dir, 'a.mkv'), 2);
      clip(path.join(dir, 'b.mkv'), 2);
      // Made under a tame name: ffmpeg would read the hostile one as an option or a protocol.
      copyFileSync(clip(path.join(dir, 'one-second.mkv'), 1), path.join(dir, name));
      const before = snapshot(dir);

      const probe = runCli(['probe', '--json', '--', name], dir);
      assert.equal(probe.status, 0, probe.stderr);
      assert.equal((JSON.parse(probe.stdout) as { video: { frames: number } }).video.frames, 10);

      const vmaf = runCli(['vmaf', '--json', '--', name, name], dir);
      assert.equal(vmaf.status, 0, vmaf.stderr);
      assert.equal((JSON.parse(vmaf.stdout) as VmafResult).frameCount, 10);

      const status = runCli(['status', '--', name], dir);
      assert.equal(status.status, 1, status.stderr);
      assert.equal(status.lines.length, 1);
      assert.ok(status.lines[0]!.startsWith(`chunked-av1: ${name}: no chunked-av1 job found`), status.lines[0]);
      const clean = runCli(['clean', '--', name], dir);
      assert.equal(clean.status, 0, clean.stderr);
      assert.match(clean.stdout, /^nothing to clean: /);

      const output = path.join(dir, 'out.mkv');
      const encode = runCli(['encode', '--preset', '13', '-o', output, '--', name], dir);
      assert.equal(encode.status, 0, encode.stderr);
      assert.equal(framesOf(output), 10);

      assert.deepEqual(reportLogs(dir), [], 'no ffmpeg -report log');
      assertUnchanged(before, dir);
      assert.deepEqual(processesMentioning(dir), []);
    });
  }

  it('prints control characters of a stream title and of a file name as visible escapes in probe', () => {
    const name = 'tit\x1b[2Jle\x07.mkv';
    const file = path.join(dir, name);
    ffmpegSync([
      '-i',
      source,
      '-f',
      'lavfi',
      '-i',
      'sine=d=2',
      '-map',
      '0:v',
      '-map',
      '1:a',
      '-c:v',
      'copy',
      '-c:a',
      'aac',
      '-metadata:s:a:0',
      'title=evil\x1b]0;pwned\x07\x1b[31mred\x9b',
      `file:${file}`,
    ]);
    const before = snapshot(dir);
    const run = runCli(['probe', file], dir);
    assert.equal(run.status, 0, run.stderr);
    // eslint-disable-next-line no-control-regex -- the assertion is that no control character is printed
    assert.doesNotMatch(run.stdout, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/, 'no control character but the line ends');
    assert.ok(run.stdout.includes('(evil\\x1b]0;pwned\\x07\\x1b[31mred\\x9b)'), run.stdout);
    assert.ok(run.stdout.includes('tit\\x1b[2Jle\\x07.mkv'), run.stdout);
    assertUnchanged(before, dir);
  });

  /** A y4m file that declares a picture size and holds 1 kB of data: tiny on disk, huge to decode. */
  function declaredY4m(name: string, size: string, chroma: string): string {
    const [w, h] = size.split('x');
    const file = path.join(dir, name);
    writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F25:1 Ip A1:1 C${chroma}\nFRAME\n`), Buffer.alloc(1000)]));
    return file;
  }

  it('refuses, before decoding, a source larger than SVT-AV1 can encode, naming the limit', () => {
    const file = declaredY4m('big.y4m', '16400x8800', '420jpeg');
    const before = snapshot(dir);
    const output = path.join(dir, 'out.mkv');
    expectRefusal(
      runCli(['encode', file, '-o', output], dir),
      1,
      file,
      /the video is 16400x8800, larger than SVT-AV1's maximum frame of 16384x8704$/,
      before,
      output,
    );
  });

  it('refuses, before decoding, a source whose one worker would need more memory than there is', function () {
    // 16384x8704 4:4:4 at 10 bits: the estimate is about 138 GB.
    if (os.totalmem() > 138e9) this.skip();
    const file = declaredY4m('huge.y4m', '16384x8704', '444p');
    const before = snapshot(dir);
    const output = path.join(dir, 'out.mkv');
    expectRefusal(
      runCli(['encode', file, '-o', output], dir),
      1,
      file,
      /one encode worker for 16384x8704 at 10 bits needs about [\d.]+ GB of memory and [\d.]+ GB is available$/,
      before,
      output,
    );
  });

  it('exits 2 on --crf 30.5, which SVT-AV1 1.4 would encode at 30', () => {
    const before = snapshot(dir);
    const output = path.join(dir, 'out.mkv');
    expectRefusal(
      runCli(['encode', source, '-o', output, '--crf', '30.5'], dir),
      2,
      '--crf 30.5',
      /whole CRFs only .*use 30 or 31$/,
      before,
      output,
    );
  });
});
