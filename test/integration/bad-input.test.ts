import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { basicClip, ffmpegSync, tempDir } from '../helpers/clips';
import { HOSTILE_NAME, openGopHevc } from '../helpers/sources';
import { runCliSync } from '../helpers/cli';
import type { JobEvent } from '../../common/events';

/**
 * Bad input through the real CLI (dist/cli.js): one line on stderr naming the file and the
 * cause, exit 1, no output file, no work directory left, no ffmpeg left running. And a hostile
 * file name that must work everywhere.
 */
function runCli(args: string[], env: Record<string, string> = {}) {
  return runCliSync(args, { env, timeoutMs: 180_000 });
}

/** Processes whose command line mentions `text` (stray ffmpeg/ffprobe children of a run). */
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

describe('bad input (integration, real CLI)', function () {
  this.timeout(180_000);
  let dir: string;
  let cleanup: () => void;
  before(() => ({ dir, cleanup } = tempDir('chunked-av1-bad-')));
  after(() => cleanup());

  function expectRefusal(input: string, cause: RegExp, extra: string[] = [], env: Record<string, string> = {}, named = input) {
    const output = path.join(dir, `out-${path.basename(input)}.mkv`);
    const run = runCli(['encode', input, '-o', output, '--preset', '13', ...extra], env);
    const lines = run.stderr.split('\n').filter(Boolean);
    assert.equal(run.status, 1, `exit code; stderr: ${run.stderr}`);
    assert.equal(lines.length, 1, `exactly one line, got: ${run.stderr}`);
    assert.ok(lines[0]!.includes(named), `names ${named}: ${lines[0]}`);
    assert.match(lines[0]!, cause);
    assert.ok(!existsSync(output), 'no output file');
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.work') || f.includes('.partial')),
      [],
      'no work dir or partial output',
    );
    assert.deepEqual(processesMentioning(dir), [], 'no stray processes');
  }

  it('refuses a missing file', () => expectRefusal(path.join(dir, 'missing.mkv'), /no such file/));

  it('refuses an empty file', () => {
    const file = path.join(dir, 'empty.mp4');
    writeFileSync(file, '');
    expectRefusal(file, /empty/);
  });

  it('refuses a text file named .mp4', () => {
    const file = path.join(dir, 'text.mp4');
    writeFileSync(file, 'this is not a video\n'.repeat(100));
    expectRefusal(file, /not a media file/);
  });

  it('refuses a truncated MP4 (index at the end, cut off)', () => {
    const file = basicClip(path.join(dir, 'cut.mp4'), { seconds: 3, size: '160x120' });
    truncateSync(file, Math.floor(statSync(file).size / 2));
    expectRefusal(file, /not a media file|truncated|moov/);
  });

  it('refuses a truncated MKV (header announces more than the file holds)', () => {
    const file = openGopHevc(path.join(dir, 'cut.mkv'), 4);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    expectRefusal(file, /truncated/);
  });

  it('refuses an audio-only file', () => {
    const file = path.join(dir, 'audio.m4a');
    ffmpegSync(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', file]);
    expectRefusal(file, /no video stream \(only audio\)/);
  });

  it('refuses to start when the work directory has less than 1.5x the input free (FAKE free-space reading)', () => {
    // The up-front check only; a real full disk (tmpfs) is exercised by the fault tests (issue 4).
    const file = basicClip(path.join(dir, 'small.mkv'), { seconds: 1, size: '160x120' });
    // The line names the directory that lacks the space.
    expectRefusal(
      file,
      /not enough free disk space .*needed/,
      [],
      { CHUNKED_AV1_FAKE_FREE_BYTES: '1000' },
      path.join(dir, '.out-small.mkv.mkv.work'),
    );
  });

  it('says what to do when ffmpeg is missing', () => {
    const file = basicClip(path.join(dir, 'small2.mkv'), { seconds: 1, size: '160x120' });
    const run = runCli(['encode', file, '--ffmpeg', '/nonexistent/ffmpeg']);
    assert.equal(run.status, 1);
    assert.match(run.stderr.trim(), /^chunked-av1: \/nonexistent\/ffmpeg: ffmpeg was not found .*libsvtav1/);
    assert.equal(run.stderr.trim().split('\n').length, 1);
  });

  it('refuses a --vmaf-ffmpeg that is not ffmpeg, or has no libvmaf, before any work', () => {
    const file = basicClip(path.join(dir, 'vmaf-ffmpeg.mkv'), { seconds: 2, size: '160x120' });
    const notFfmpeg = path.join(dir, `not ffmpeg ${HOSTILE_NAME}`);
    writeFileSync(notFfmpeg, 'text\n');
    expectRefusal(
      file,
      /the VMAF ffmpeg \(--vmaf-ffmpeg\) was not found or is not ffmpeg/,
      ['--target-vmaf', '93', '--vmaf-ffmpeg', notFfmpeg],
      {},
      notFfmpeg,
    );
    // Debian's ffmpeg: it runs, but has no libvmaf.
    if (/\slibvmaf\s/.test(execFileSync('ffmpeg', ['-hide_banner', '-filters'], { encoding: 'utf8' }))) return;
    expectRefusal(
      file,
      /the VMAF ffmpeg \(--vmaf-ffmpeg\) has no libvmaf filter/,
      ['--target-vmaf', '93', '--vmaf-ffmpeg', 'ffmpeg'],
      {},
      'ffmpeg',
    );
  });

  it('refuses an MP4 output for streams MP4 cannot hold, before encoding anything', () => {
    const file = path.join(dir, 'subs.mkv');
    const srt = path.join(dir, 'a.srt');
    writeFileSync(srt, '1\n00:00:00,000 --> 00:00:00,500\nHi\n');
    ffmpegSync([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=160x120:r=24',
      '-i',
      srt,
      '-t',
      '1',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-c:s',
      'srt',
      file,
    ]);
    const output = path.join(dir, 'subs.mp4');
    const run = runCli(['encode', file, '-o', output]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /subs\.mp4: an MP4 file cannot hold subrip subtitles .*use a \.mkv output name/);
    assert.ok(!existsSync(output));
  });

  it('encodes a file with a hostile name (quotes, spaces, $, ;, non-ASCII) to the default output name', () => {
    const sub = path.join(dir, `dir 'with' $x; ü`);
    const file = path.join(dir, HOSTILE_NAME);
    basicClip(file, { seconds: 2, size: '160x120', gopFrames: 12 });
    const run = runCli([
      'encode',
      file,
      '--preset',
      '13',
      '--crf',
      '40',
      '--segment-seconds',
      '1',
      '--split',
      'keyframe',
      '--json',
      '--work-dir',
      sub,
    ]);
    assert.equal(run.status, 0, run.stderr);
    const events = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as JobEvent);
    const done = events.find((e) => e.event === 'done');
    const expected = path.join(dir, `${path.parse(HOSTILE_NAME).name}.av1.mkv`);
    assert.equal(done?.output, expected);
    assert.ok(existsSync(expected));
    assert.ok(events.filter((e) => e.event === 'segment' && e.state === 'done').length >= 2);
    assert.ok(!existsSync(sub), 'work dir removed after success');
  });
});
