import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ffmpegSync, ffprobeJson } from '../helpers/clips';
import { processesMentioning, runCli, type CliRun, type RunCliOptions } from '../helpers/faults';
import { caseFolders } from '../helpers/case-folders';
import { assertTreeUnchanged, snapshotTree } from '../helpers/tree-snapshot';
import { errorLine as line, escapeRegExp as escape } from '../helpers/cli';

/**
 * Issue #24 E, the messages that named the wrong cause, against the real CLI: a file name that is
 * not UTF-8 ("no such file" for a file that is there), `vmaf`/`score` given a FIFO, a device or
 * a folder ("no such file" for all three), a source whose timestamps go back or repeat ("segment
 * copy holds 96 of the segment's 48 frames"), and a manifest that no longer loads (the job started
 * over without a word). Each run: the exit code and the one stderr line, nothing outside the work
 * directory changed, no ffmpeg/ffprobe naming the case's folder left running.
 */
const FAST = ['--crf', '50', '--preset', '13', '--segment-seconds', '1'];
const LIBVMAF_FFMPEG = process.env.CHUNKED_AV1_TEST_LIBVMAF_FFMPEG || path.resolve(__dirname, '../../.cache/libvmaf-ffmpeg/ffmpeg');

/**
 * Node passes arguments as UTF-8 strings, so a name that is not UTF-8 cannot be given to the CLI
 * from here: bash's printf %b turns each argument's `\xHH` into the byte (a fixed script; the
 * arguments stay an array).
 */
const RAW_BYTES = ['bash', '-c', 'for a; do set -- "$@" "$(printf %b "$a")"; shift; done; exec "$@"', 'raw-bytes'];

describe('hostile inputs: the real cause in one line (real CLI, #24 E)', function () {
  this.timeout(180_000);
  const scene = caseFolders('chunked-av1-causes-', { seconds: 2, size: '160x90', fps: 24, gopFrames: 12 });

  async function run(dir: string, args: string[], options: RunCliOptions = {}): Promise<CliRun> {
    const result = await runCli(args, { strayMarker: dir, timeoutMs: 150_000, ...options });
    assert.deepEqual(result.strays, [], 'an ffmpeg naming the test folder is still running');
    assert.deepEqual(processesMentioning(dir, 'ffprobe'), [], 'an ffprobe naming the test folder is still running');
    return result;
  }

  async function refused(dir: string, args: string[], expected: RegExp, options: RunCliOptions = {}): Promise<void> {
    const before = snapshotTree(dir);
    const result = await run(dir, args, options);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr.trimEnd(), expected);
    assertTreeUnchanged(before, snapshotTree(dir));
  }

  it('a file name that is not UTF-8 is named with its bytes escaped, not "no such file"', async () => {
    const { dir, input, output } = scene();
    const raw = Buffer.concat([Buffer.from(`${dir}/caf`), Buffer.from([0xe9]), Buffer.from('.mkv')]); // Latin-1 "café.mkv"
    writeFileSync(raw, readFileSync(input));
    const shown = `${dir}/caf\\xe9.mkv`;
    const cause = `the file name is not valid UTF-8 \\(each \\\\xHH is a byte that is not\\); chunked-av1 cannot hand it to ffmpeg as it is: rename it first, e.g. mv -- ${escape(`$'${shown}' $'${dir}/caf_.mkv'`)}`;
    for (const args of [
      ['probe', shown],
      ['encode', shown, '-o', output, ...FAST],
      ['vmaf', shown, input],
      ['score', input, shown, '--metric', 'xpsnr'],
    ]) {
      await refused(dir, args, line(shown, cause), { prefix: RAW_BYTES });
    }
    // An output name that is not UTF-8 (no such file yet) is refused the same way.
    await refused(
      dir,
      ['encode', input, '-o', `${dir}/out\\xff.mkv`, ...FAST],
      line(`${dir}/out\\xff.mkv`, 'not valid UTF-8 .*use a UTF-8 name'),
      {
        prefix: RAW_BYTES,
      },
    );
    // A folder given as input that holds such a video: refused with the same line (before: skipped without a word).
    await refused(dir, ['encode', dir, '--output-dir', path.join(dir, 'encoded'), ...FAST], line(shown, cause));
    // A name that holds U+FFFD itself is valid UTF-8 and works.
    const replacement = path.join(dir, 'in\uFFFD.mkv');
    copyFileSync(input, replacement);
    const probed = await run(dir, ['probe', replacement]);
    assert.equal(probed.code, 0, probed.stderr);
  });

  it('vmaf and score given a FIFO, a device or a folder say which, at once', async () => {
    const { dir, input } = scene();
    const fifo = path.join(dir, 'pipe.mkv');
    const made = spawnSync('mkfifo', [fifo], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const folder = path.join(dir, 'folder.mkv');
    mkdirSync(folder);
    const cases: [string[], string, string][] = [
      [['vmaf', input, fifo], `distorted ${fifo}`, 'is a FIFO \\(named pipe\\), not a regular file; the distorted video must be a file'],
      [['vmaf', '/dev/zero', input], 'reference /dev/zero', 'is a device, not a regular file; the reference video must be a file'],
      [['vmaf', folder, input], `reference ${folder}`, 'is a folder, not a regular file; the reference video must be a file'],
      [
        ['score', fifo, input, '--metric', 'ssimulacra2'],
        `reference ${fifo}`,
        'is a FIFO \\(named pipe\\), not a regular file; the reference video must be a file',
      ],
      [
        ['score', input, '/dev/null', '--all'],
        'distorted /dev/null',
        'is a device, not a regular file; the distorted video must be a file',
      ],
      [['vmaf', input, path.join(dir, 'missing.mkv')], `distorted ${path.join(dir, 'missing.mkv')}`, 'no such file'],
    ];
    for (const [args, named, cause] of cases) await refused(dir, args, line(named, cause), { timeoutMs: 60_000 });
  });

  it('timestamps that go back (two MPEG-TS files joined with cat): the cause, and that a remux fixes it', async () => {
    const { dir, output } = scene();
    const part = path.join(dir, 'part.ts');
    ffmpegSync(['-f', 'lavfi', '-i', 'testsrc2=s=160x90:r=24:d=2', '-c:v', 'libx264', '-g', '24', '-pix_fmt', 'yuv420p', part]);
    const joined = path.join(dir, 'joined.ts');
    writeFileSync(joined, Buffer.concat([readFileSync(part), readFileSync(part)]));
    const cause =
      'its video timestamps go back at packet 49 \\(decode time [\\d.]+ s after [\\d.]+ s\\), as in two recordings joined end to end; a remux fixes it \\(ffmpeg -i FILE -map 0 -c copy fixed.mkv: .*\\), then encode fixed.mkv';
    await refused(dir, ['encode', joined, '-o', output, ...FAST], line(joined, cause));
    await refused(dir, ['probe', joined], line(joined, cause));
    // What the line promises: the remux encodes, all 96 frames.
    const fixed = path.join(dir, 'fixed.mkv');
    ffmpegSync(['-i', joined, '-map', '0', '-c', 'copy', fixed]);
    const encoded = await run(dir, ['encode', fixed, '-o', output, ...FAST]);
    assert.equal(encoded.code, 0, encoded.stderr);
    assert.match(encoded.stderr, /\(96 frames\)/);
  });

  it('two frames at one time (Matroska): the cause, and that a remux would not fix it', async () => {
    const { dir, input, output } = scene();
    const doubled = path.join(dir, 'doubled.mkv');
    // Every second packet takes the time of the one before (the setts bitstream filter; no re-encode).
    ffmpegSync(['-i', input, '-c', 'copy', '-bsf:v', 'setts=ts=floor(N/2)*2*DURATION', doubled]);
    const cause =
      'video packets 1 and 2 have the same time \\(0.000 s\\), so its frames cannot be told apart by time; a remux \\(-c copy\\) keeps these timestamps and would not fix it: .*';
    await refused(dir, ['encode', doubled, '-o', output, ...FAST], line(doubled, cause));
  });

  it('a manifest that no longer loads: one warning naming it and the field, then the job starts over', async () => {
    const { dir, input, output } = scene();
    const work = path.join(dir, 'w');
    const args = ['encode', input, '-o', output, '--work-dir', work, '--keep-work-dir', ...FAST];
    const first = await run(dir, args);
    assert.equal(first.code, 0, first.stderr);
    const manifestFile = path.join(work, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { segments: { crf?: number }[] };
    manifest.segments[0]!.crf = 999;
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const status = await run(dir, ['status', work]);
    assert.equal(status.code, 1, status.stderr);
    assert.equal(
      status.stderr,
      `chunked-av1: ${manifestFile}: not a manifest this version can read (segments[0].crf: Too big: expected number to be <=63)\n`,
    );
    const again = await run(dir, [...args, '--overwrite']);
    assert.equal(again.code, 0, again.stderr);
    const warning = `^chunked-av1: ${escape(manifestFile)}: not a manifest this version can resume \\(segments\\[0\\]\\.crf: Too big: expected number to be <=63\\); starting the job over$`;
    assert.match(again.stderr, new RegExp(warning, 'm'));
    assert.doesNotMatch(again.stderr, /resuming/);
    writeFileSync(manifestFile, '{"version": 1, "input": ');
    const third = await run(dir, [...args, '--overwrite']);
    assert.equal(third.code, 0, third.stderr);
    assert.match(
      third.stderr,
      new RegExp(
        `^chunked-av1: ${escape(manifestFile)}: not a manifest this version can resume \\(not JSON \\(.*\\)\\); starting the job over$`,
        'm',
      ),
    );
    // A manifest that loads gives no such line.
    const fourth = await run(dir, [...args, '--overwrite']);
    assert.equal(fourth.code, 0, fourth.stderr);
    assert.doesNotMatch(fourth.stderr, /not a manifest/);
  });

  it('vmaf, score and the report read the main video stream, not a one-frame still ahead of it (#24 C 11)', async () => {
    const { dir, input, output } = scene();
    const still = path.join(dir, 'still.jpg');
    ffmpegSync(['-f', 'lavfi', '-i', 'testsrc2=s=64x64:r=1', '-frames:v', '1', '-c:v', 'mjpeg', still]);
    const stillFirst = path.join(dir, 'still-first.mkv');
    ffmpegSync(['-i', still, '-i', input, '-map', '0:v', '-map', '1:v', '-c', 'copy', stillFirst]);
    const measured = async (args: string[]) => {
      const result = await run(dir, [...args, '--json']);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout) as { score: number; frameCount: number };
    };
    // The same pictures on both sides: 48 frames, a near-perfect score (before: "different resolutions ... 64x64").
    const vmaf = await measured(['vmaf', stillFirst, input]);
    assert.equal(vmaf.frameCount, 48);
    assert.ok(vmaf.score > 99, `VMAF ${vmaf.score}`);
    if (existsSync(LIBVMAF_FFMPEG)) {
      const libvmaf = await measured(['vmaf', input, stillFirst, '--engine', 'libvmaf', '--vmaf-ffmpeg', LIBVMAF_FFMPEG]);
      assert.equal(libvmaf.frameCount, 48);
      assert.ok(libvmaf.score > 99, `libvmaf ${libvmaf.score}`);
    }
    // probe says which stream is the video, as the encode does.
    const probed = await run(dir, ['probe', stillFirst]);
    assert.equal(probed.code, 0, probed.stderr);
    assert.match(
      probed.stdout,
      /^ {2}chosen {5}video stream 1 \(160x90\) is encoded, the largest of 2 video streams; stream 0 is a one-frame still, carried as-is$/m,
    );
    const xpsnr = await measured(['score', input, stillFirst, '--metric', 'xpsnr']);
    assert.equal(xpsnr.frameCount, 48);
    // The report's source bytes are the encoded stream's packets (before: the still's one packet).
    const encoded = await run(dir, ['encode', stillFirst, '-o', output, '--report', `${output}.html`, ...FAST]);
    assert.equal(encoded.code, 0, encoded.stderr);
    const data = JSON.parse(readFileSync(`${output}.report.json`, 'utf8')) as {
      manifest: { videoStream?: number };
      facts: { sourceSegmentBytes?: number[] };
    };
    assert.equal(data.manifest.videoStream, 1);
    const packets = ffprobeJson(stillFirst, ['-select_streams', '1', '-show_entries', 'packet=size']) as unknown as {
      packets: { size: string }[];
    };
    const videoBytes = packets.packets.reduce((sum, p) => sum + Number(p.size), 0);
    assert.equal(
      data.facts.sourceSegmentBytes?.reduce((a, b) => a + b, 0),
      videoBytes,
    );
  });
});
