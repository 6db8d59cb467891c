import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { basicClip, tempDir } from '../helpers/clips';
import { CLI } from '../helpers/cli';
import type { JobEvent, ProgressEvent } from '../../common/events';

/**
 * The live progress line as a terminal shows it (#17): the real CLI runs in a tmux pane, the
 * test reads the screen twice a second and asserts the line keeps changing during a
 * target-quality search (the running segments' last probe, the elapsed time) and that the tail
 * steps (joining, muxing, checking) show as their own steps. Needs tmux (scripts/setup.sh --e2e).
 */
const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** Our own tmux server (its own socket), so no user's or other test's session is touched. */
const SOCKET = `chunked-av1-test-${process.pid}`;

function tmux(args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

function sessionAlive(name: string): boolean {
  return spawnSync('tmux', ['-L', SOCKET, 'has-session', '-t', name]).status === 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('progress line in a terminal (integration, tmux)', function () {
  this.timeout(300_000);
  let dir: string;
  let cleanup: () => void;
  const session = `chunked-av1-progress-${process.pid}`;
  before(function () {
    if (!hasTmux) this.skip();
    ({ dir, cleanup } = tempDir('chunked-av1-progress-'));
  });
  after(() => {
    if (hasTmux && sessionAlive(session)) tmux(['kill-server']);
    cleanup?.();
  });

  /** Runs the CLI in a tmux pane until it ends; returns the pane's last line as read every 500 ms. */
  /** Reads the pane every `everyMs` (twice a second by default) until the CLI ends. */
  async function watch(name: string, cliArgs: string[], everyMs = 500): Promise<string[]> {
    const times: number[] = [];
    const done = path.join(dir, `${name}.exit-code`);
    // The pane's command writes the CLI's exit code to a file once it ends; the pane stays to be read.
    tmux([
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '80',
      '-y',
      '30',
      'sh',
      '-c',
      'exit_file=$1; shift; node "$@"; echo $? > "$exit_file"; sleep 30',
      'sh',
      done,
      CLI,
      ...cliArgs,
    ]);
    const lines: string[] = [];
    const started = Date.now();
    try {
      while (!existsSync(done) && sessionAlive(session) && Date.now() - started < 280_000) {
        const screen = tmux(['capture-pane', '-p', '-t', session])
          .split('\n')
          .map((l) => l.trimEnd())
          .filter(Boolean);
        lines.push(screen[screen.length - 1] ?? '');
        times.push(Date.now());
        await sleep(everyMs);
      }
      assert.ok(existsSync(done), `the CLI did not end; screen:\n${lines.slice(-10).join('\n')}`);
    } finally {
      if (sessionAlive(session)) tmux(['kill-session', '-t', session]);
    }
    const isLive = (l: string) => /elapsed \d+:\d\d/.test(l);
    const live = lines.filter(isLive);
    // Never frozen: the same line is not read for more than 2 s (the line redraws every second;
    // reads are 500 ms apart, later on a loaded machine).
    let since = 0;
    for (let i = 1; i < lines.length; i++) {
      if (lines[i] !== lines[since] || !isLive(lines[i]!)) since = i;
      else assert.ok(times[i]! - times[since]! <= 2000, `frozen for ${times[i]! - times[since]!} ms at "${lines[i]}":\n${live.join('\n')}`);
    }
    return live;
  }

  it('redraws during a target-quality search, its percent moving, within the terminal width', async () => {
    const input = basicClip(path.join(dir, 'search.mkv'), { seconds: 6, size: '160x120', audio: true });
    const live = await watch('search', [
      'encode',
      input,
      '-o',
      path.join(dir, 'search.av1.mkv'),
      '--target-vmaf',
      '90',
      '--vmaf-subsample',
      '4',
      '--preset',
      '13',
      '--segment-seconds',
      '2',
      '--workers',
      '1',
    ]);
    const searching = live.filter((l) => /searching \d/.test(l));
    assert.ok(searching.length >= 2, `search lines seen: ${searching.length}\n${live.join('\n')}`);
    // Issue 23: the percent moves during the search, and the line fits the terminal (80 columns).
    const percents = new Set(searching.map((l) => /\s(\d+)%/.exec(l)?.[1]));
    assert.ok(percents.size >= 2, `the percent stood still during the search:\n${live.join('\n')}`);
    assert.ok(
      live.every((l) => l.length < 80),
      `a line wider than the terminal:\n${live.join('\n')}`,
    );
  });

  /** The --json events of an encode of a 20 s clip, and the progress events before its plan. */
  function planningEvents(
    name: string,
    flags: string[],
  ): { events: JobEvent[]; progress: ProgressEvent[]; before: ProgressEvent[]; planAt: number } {
    const input = basicClip(path.join(dir, `${name}.mkv`), { seconds: 20, size: '640x360' });
    const run = spawnSync(
      process.execPath,
      [CLI, 'encode', input, '-o', path.join(dir, `${name}.av1.mkv`), '--preset', '13', '--segment-seconds', '10', '--json', ...flags],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    assert.equal(run.status, 0, run.stderr);
    const events = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as JobEvent);
    const progress = events.filter((e): e is ProgressEvent => e.event === 'progress');
    const planAt = events.findIndex((e) => e.event === 'plan');
    const before = events.slice(0, planAt).filter((e): e is ProgressEvent => e.event === 'progress');
    return { events, progress, before, planAt };
  }

  function assertStepRuns(before: ProgressEvent[], step: string): void {
    const shares = before.filter((e) => e.step === step).map((e) => e.stepPercent);
    assert.ok(shares.length >= 2, `${step}: ${JSON.stringify(shares)}`);
    assert.equal(shares[0], 0, `${step} is named as it starts`);
    assert.equal(shares.at(-1), 100, `${step} ends at 100`);
    assert.ok(
      shares.every((p, i) => i === 0 || p! >= shares[i - 1]!),
      `${step} never goes back: ${JSON.stringify(shares)}`,
    );
  }

  it('--json names the planning steps with their own percent: scene and crop detection (one decode), then the segment copies', () => {
    const { events, progress, before, planAt } = planningEvents('steps', []);
    assertStepRuns(before, 'scene and crop detection');
    assert.deepEqual(
      [...new Set(before.map((e) => e.step).filter(Boolean))],
      ['scene and crop detection'],
      'the defaults (--split scene, --crop auto) decode the source once for both',
    );
    const copies = events.slice(planAt).filter((e): e is ProgressEvent => e.event === 'progress' && e.step === 'segment copies');
    assert.ok(copies.length > 0, 'the segment copies are named after the plan');
    // With the share of copies made (until a segment starts, the copies run on beside it), and the plan's totals.
    const shares = copies.flatMap((e) => (e.stepPercent === undefined ? [] : [e.stepPercent]));
    assert.ok(
      shares.length > 0 && shares.every((p, i) => p >= 0 && p <= 100 && (i === 0 || p >= shares[i - 1]!)),
      `copies ${shares.join(' ')}`,
    );
    assert.ok(copies.every((e) => e.segmentsTotal > 0 && e.framesTotal > 0));
    assert.ok(
      progress.every((e, i) => e.percent !== undefined && (i === 0 || e.percent >= progress[i - 1]!.percent!)),
      'percent in every progress event, never backwards',
    );
  });

  it('--json names crop detection with its own percent when it runs alone (--split keyframe)', () => {
    const { before } = planningEvents('crop-steps', ['--split', 'keyframe']);
    assertStepRuns(before, 'crop detection');
    assert.ok(!before.some((e) => e.step?.startsWith('scene')), 'no scene pass with --split keyframe');
  });

  it('shows the tail steps (joining, muxing, checking) as their own lines, and a size estimate that counts the audio', async () => {
    const input = basicClip(path.join(dir, 'tail.mkv'), { seconds: 20, size: '640x360', audio: true });
    const output = path.join(dir, 'tail.av1.mkv');
    // Read twenty times a second: the tail steps take about 0.3 s together on a quiet machine.
    const live = await watch(
      'tail',
      ['encode', input, '-o', output, '--preset', '13', '--segment-seconds', '10', '--split', 'keyframe'],
      50,
    );
    assert.ok(
      live.some((l) => /^(joining|muxing|checking) {2}\d+%/.test(l)),
      `no tail step shown:\n${live.join('\n')}`,
    );
    // Once every segment is done the estimate is the video's bytes plus the copied audio's: the
    // output is that and the container's own few bytes.
    const last = live.filter((l) => /^(segments 2\/2|joining|muxing|checking)/.test(l)).pop() ?? '';
    const estimate = / size ~(\d+(?:\.\d+)?) (KiB|MiB) \(video \+ \d+(?:\.\d+)? (?:KiB|MiB) audio\)/.exec(last);
    assert.ok(estimate, `no size estimate with the audio in the last line: "${last}"`);
    const estimated = Number(estimate[1]) * (estimate[2] === 'MiB' ? 1024 ** 2 : 1024);
    const written = statSync(output).size;
    assert.ok(Math.abs(estimated - written) / written < 0.05, `estimated ${estimated} bytes, wrote ${written}: "${last}"`);
  });
});
