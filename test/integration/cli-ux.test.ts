import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { basicClip, decodedFrameCount, ffmpegSync, tempDir } from '../helpers/clips';
import { CLI, runCliSync } from '../helpers/cli';

/**
 * The command line as a user meets it (#17), through the real CLI (dist/cli.js) on small
 * generated clips: mistakes, --quiet, status after success, the resume line, a closed pipe,
 * search then encode, and a batch with a bad file.
 */
// Keyframe cuts: these tests need several short segments from short clips, whatever the scenes are.
const FAST = ['--preset', '13', '--segment-seconds', '1', '--split', 'keyframe'];

function cli(args: string[]) {
  return runCliSync(args, { timeoutMs: 240_000 });
}

/** Runs the CLI with --json, calls onLine for each event line; onLine may kill or close the pipe. */
function runStreaming(
  args: string[],
  onLine: (event: Record<string, unknown>, child: ReturnType<typeof spawn>) => void,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let buffered = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.trim() && !child.stdout.destroyed) onLine(JSON.parse(line) as Record<string, unknown>, child);
      }
    });
    child.stdout.on('error', () => undefined);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('command line UX (integration, real CLI)', function () {
  this.timeout(300_000);
  let dir: string;
  let cleanup: () => void;
  let clip: string;
  before(() => {
    ({ dir, cleanup } = tempDir('chunked-av1-ux-'));
    clip = basicClip(path.join(dir, 'clip #1.mkv'), { seconds: 3, size: '160x120', audio: true });
  });
  after(() => cleanup());

  it('answers a mistyped flag with one "did you mean" line and exit 2', () => {
    const run = cli(['encode', clip, '--target-vmf', '93']);
    assert.equal(run.status, 2);
    assert.deepEqual(run.stderr.trim().split('\n'), [
      'chunked-av1: unknown option --target-vmf (did you mean --target-vmaf?); see chunked-av1 encode --help',
    ]);
    assert.equal(run.stdout, '');
    // search names its own help, for a wrong INPUT count too.
    const search = cli(['search', clip, clip, '--target-vmaf', '90']);
    assert.equal(search.status, 2);
    assert.equal(search.stderr, 'chunked-av1: search needs exactly one INPUT; see chunked-av1 search --help\n');
  });

  it('prints nothing with --quiet, then status says the job finished, from the INPUT and from the OUTPUT', () => {
    const output = path.join(dir, 'quiet.mkv');
    const run = cli(['encode', clip, '-o', output, '-q', ...FAST]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.ok(existsSync(output));
    for (const target of [[clip, '-o', output], [output]]) {
      const status = cli(['status', ...target]);
      assert.equal(status.status, 0, status.stderr);
      assert.match(status.stdout, new RegExp(`^${output.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: finished `));
      assert.match(status.stdout, /saved|larger/);
      assert.match(status.stdout, /target: +CRF 35/);
      const json = JSON.parse(cli(['status', ...target, '--json']).stdout) as { state: string; output: string; done: { bytes: number } };
      assert.equal(json.state, 'done');
      assert.equal(json.output, output);
      assert.ok(json.done.bytes > 0);
    }
  });

  it('prints every ffmpeg and ffprobe command line with --verbose', () => {
    const output = path.join(dir, 'verbose.mkv');
    const run = cli(['encode', clip, '-o', output, '--verbose', ...FAST]);
    assert.equal(run.status, 0, run.stderr);
    const commands = run.stderr.split('\n').filter((l) => l.startsWith('chunked-av1: $ '));
    assert.ok(
      commands.some((l) => /^chunked-av1: \$ "ffprobe" .*"file:.*clip #1\.mkv"$/.test(l)),
      `no ffprobe of the input:\n${commands.join('\n')}`,
    );
    assert.equal(commands.filter((l) => l.includes('"libsvtav1"')).length, 3, 'one encode per segment');
  });

  it('announces a resume with how many segments were kept', async () => {
    const output = path.join(dir, 'resume.mkv');
    let interrupted = false;
    const first = await runStreaming(['encode', clip, '-o', output, '--workers', '1', '--json', ...FAST], (event, child) => {
      if (!interrupted && event.event === 'segment' && event.state === 'done') {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    assert.equal(first.code, 130, first.stderr);
    const second = cli(['encode', clip, '-o', output, ...FAST]);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /chunked-av1: resuming: [1-2] of 3 segments already done \(kept from the last run\)/);
    assert.match(second.stderr, /wrote .*resume\.mkv\n {2}size: /);
  });

  it('starts the longest segment first, and a run stopped after it resumes to a whole output', async () => {
    // Keyframes at 0, 2 and 5 s of 8 s, cut at most 3 s apart: segments of 48, 72 and 72 frames.
    const input = path.join(dir, 'uneven.mkv');
    ffmpegSync([
      ...['-f', 'lavfi', '-i', 'testsrc2=s=160x120:r=24,format=yuv420p', '-f', 'lavfi', '-i', 'sine=sample_rate=48000'],
      ...['-t', '8', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '1000', '-keyint_min', '1000', '-sc_threshold', '0'],
      ...['-force_key_frames', '0,2,5', '-c:a', 'aac', '-shortest', input],
    ]);
    const output = path.join(dir, 'uneven.av1.mkv');
    const options = ['--preset', '13', '--segment-seconds', '3', '--split', 'keyframe', '--workers', '1'];
    const started: number[] = [];
    let frames: number[] = [];
    const first = await runStreaming(['encode', input, '-o', output, '--json', ...options], (event, child) => {
      if (event.event === 'plan') frames = (event.ranges as { frames: number }[]).map((r) => r.frames);
      if (event.event === 'segment' && event.state === 'encoding') started.push(event.index as number);
      if (event.event === 'segment' && event.state === 'done') child.kill('SIGINT');
    });
    assert.equal(first.code, 130, first.stderr);
    assert.deepEqual(frames, [48, 72, 72]);
    assert.equal(started[0], 1, `the first segment started: ${started.join(', ')}`);
    const second = await runStreaming(['encode', input, '-o', output, '--json', ...options], (event) => {
      if (event.event === 'segment' && event.state === 'encoding') started.push(event.index as number);
    });
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(started.slice(-2), [2, 0], 'the rest, longest first');
    assert.equal(decodedFrameCount(output), 192);
  });

  it('a start whose --json reader goes away before the plan leaves nothing (encode --json | head -3)', async () => {
    const output = path.join(dir, 'pipe-early.mkv');
    let lines = 0;
    let planned = false;
    const run = await runStreaming(['encode', clip, '-o', output, '--json', ...FAST], (event, child) => {
      if (event.event === 'plan') planned = true;
      if (++lines === 3) child.stdout!.destroy();
    });
    assert.ok(run.code === 130 || run.code === 141, `exit ${run.code}: ${run.stderr}`);
    assert.doesNotMatch(run.stderr, /EPIPE|\n\s+at /);
    assert.ok(!planned, 'the reader left before the plan (progress events come from the probe on)');
    assert.ok(!existsSync(output));
    // Nothing to resume and nothing left: no work directory without a manifest.
    assert.ok(!existsSync(path.join(dir, '.pipe-early.mkv.work')));
    assert.match(cli(['status', clip, '-o', output]).stderr, /no chunked-av1 job found/);
  });

  it('stops cleanly when the reader of --json goes away (encode --json | head -3 once the plan is out)', async () => {
    const output = path.join(dir, 'pipe.mkv');
    let lines = 0;
    let planned = false;
    const run = await runStreaming(['encode', clip, '-o', output, '--json', ...FAST], (event, child) => {
      if (event.event === 'plan') planned = true;
      if (planned && ++lines === 3) child.stdout!.destroy();
    });
    assert.ok(run.code === 130 || run.code === 141, `exit ${run.code}: ${run.stderr}`);
    assert.doesNotMatch(run.stderr, /EPIPE|\n\s+at /);
    assert.ok(!existsSync(output));
    const status = JSON.parse(cli(['status', clip, '-o', output, '--json']).stdout) as { state: string; runningPid?: number };
    assert.equal(status.state, 'cancelled');
    assert.equal(status.runningPid, undefined);
  });

  it('stops a search cleanly when the reader of --json goes away (search --json | head -2)', async () => {
    let lines = 0;
    const run = await runStreaming(['search', clip, '--target-vmaf', '90', '--json', ...FAST], (_event, child) => {
      if (++lines === 2) child.stdout!.destroy();
    });
    assert.equal(run.code, 130, run.stderr);
    assert.doesNotMatch(run.stderr, /EPIPE|\n\s+at /);
  });

  it('stops cleanly when the reader of stderr goes away (encode --verbose 2>&1 | head)', async () => {
    const output = path.join(dir, 'stderr-pipe.mkv');
    const child = spawn(process.execPath, [CLI, 'encode', clip, '-o', output, '--verbose', ...FAST], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let seen = '';
    child.stderr.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      // Gone once the first encode's command line shows: the manifest exists by then.
      if (seen.includes('"libsvtav1"')) child.stderr.destroy();
    });
    child.stderr.on('error', () => undefined);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 130, seen);
    assert.ok(!existsSync(output));
    const status = JSON.parse(cli(['status', clip, '-o', output, '--json']).stdout) as { state: string; runningPid?: number };
    assert.equal(status.state, 'cancelled');
    assert.equal(status.runningPid, undefined);
  });

  it('search then encode measures nothing again', () => {
    const input = path.join(dir, 'search.mkv');
    copyFileSync(clip, input);
    const options = ['--target-vmaf', '90', '--vmaf-subsample', '4', ...FAST];
    const search = cli(['search', input, ...options]);
    assert.equal(search.status, 0, search.stderr);
    assert.match(search.stdout, /segment +frames +CRF +VMAF +predicted size/);
    assert.match(search.stdout, /predicted output: .*% of the source file \(.*\): video .* \+ \d+ KiB audio\n/);
    assert.match(search.stdout, /a full encode would take about \d+:\d\d/);
    const encode = cli(['encode', input, ...options, '--json']);
    assert.equal(encode.status, 0, encode.stderr);
    const decisions = encode.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { event: string; message?: string })
      .filter((e) => e.event === 'log' && /^segment \d+: CRF \d+ .* after \d+ probes, \d+ measured/.test(e.message ?? ''));
    assert.equal(decisions.length, 3);
    for (const decision of decisions) assert.match(decision.message!, /after [1-9]\d* probes, 0 measured/);
  });

  it('encodes a batch of two files and a folder, reports the bad one and exits non-zero', () => {
    const folder = path.join(dir, 'batch in');
    mkdirSync(folder);
    const a = basicClip(path.join(dir, 'a.mkv'), { seconds: 2, size: '160x120' });
    const bad = path.join(dir, 'bad.mkv');
    writeFileSync(bad, 'not a video');
    basicClip(path.join(folder, 'c.mp4'), { seconds: 2, size: '160x120' });
    writeFileSync(path.join(folder, 'notes.txt'), 'not an input');
    const out = path.join(dir, 'batch out');
    const run = cli(['encode', a, bad, folder, '--output-dir', out, '--preset', '13']);
    assert.equal(run.status, 1, run.stderr);
    assert.ok(existsSync(path.join(out, 'a.av1.mkv')));
    assert.ok(existsSync(path.join(out, 'c.av1.mkv')));
    assert.ok(!existsSync(path.join(out, 'bad.av1.mkv')));
    assert.match(run.stderr, /batch: 2 of 3 written .*, 1 failed:\n {2}.*bad\.mkv: .*bad\.mkv: /);
  });
});
