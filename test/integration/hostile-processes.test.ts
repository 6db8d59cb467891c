import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JobEvent } from '../../common/events';
import { processesMentioning, runCli, type CliRun } from '../helpers/faults';
import { describeRun, makeJob, requireBuiltCli, type Job } from '../helpers/resume-fixture';

/**
 * Issue #11, processes: a work directory can come from anywhere (a cloned repository ships its
 * `.children/`), so a child record is a claim. Records planted next to a real job name live
 * processes that are not ours; a run, a cancelled run and `clean` must leave every one of them
 * running, drop the records with a debug line, and leave no ffmpeg of their own behind.
 */

interface Stranger {
  label: string;
  pid: number;
  startTime: string;
  /** Processes that must survive with it (members of its group). */
  others: { pid: number; startTime: string }[];
  /** What to write as the record (default: the stranger's own pid and start time). */
  record?: { pid: number; startTime: string };
}

function startTimeOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3]!;
}

/** Same process (pid and start time), still running (not a zombie our test process has yet to reap). */
function stillRunning(pid: number, startTime: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] !== 'Z' && fields[22 - 3] === startTime;
  } catch {
    return false;
  }
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Hash of every file directly in `dir` except the work directory and the finished-job records (ours to change). */
function snapshot(dir: string, skip: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (file !== skip && !name.endsWith('.chunked-av1.json') && lstatSync(file).isFile()) files.set(name, sha256(file));
  }
  return files;
}

function assertUnchanged(before: Map<string, string>, dir: string, skip: string): void {
  const after = snapshot(dir, skip);
  for (const [name, hash] of before) assert.equal(after.get(name), hash, `${name} changed or vanished`);
}

async function waitForStart(child: ChildProcess): Promise<number> {
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return child.pid!;
}

describe('hostile child records: planted .children entries never get a stranger killed (real CLI)', function () {
  this.timeout(240_000);
  let job: Job;
  const started: ChildProcess[] = [];
  let strangers: Stranger[] = [];

  /** Starts the strangers a planted record can name; all run as us, which is the dangerous case. */
  async function startStrangers(): Promise<Stranger[]> {
    const spawnStranger = async (file: string, args: string[], argv0?: string) => {
      const child = spawn(file, args, { detached: true, stdio: 'ignore', argv0 });
      started.push(child);
      const pid = await waitForStart(child);
      // Until the exec has happened /proc shows our own command line; wait for the stranger's.
      const ownCmdline = readFileSync('/proc/self/cmdline', 'utf8');
      for (let i = 0; i < 200 && readFileSync(`/proc/${pid}/cmdline`, 'utf8') === ownCmdline; i++)
        await new Promise((r) => setTimeout(r, 10));
      return { pid, startTime: startTimeOf(pid) };
    };
    const sleeper = await spawnStranger('sleep', ['300']);
    // argv[0] says "ffmpeg" and the arguments name the work directory: only the kernel's exe tells it apart.
    const impostor = await spawnStranger(
      process.execPath,
      ['-e', 'setInterval(() => {}, 1000)', path.join(job.workDir, 'segments', 'segment_000.mkv')],
      'ffmpeg',
    );
    // A group leader with a member: the record names the group (its leader's pid).
    const leader = await spawnStranger(process.execPath, [
      '-e',
      "require('child_process').spawn('sleep', ['300'], { stdio: 'ignore' }); setInterval(() => {}, 1000)",
    ]);
    let member: number | undefined;
    for (let i = 0; i < 200 && member === undefined; i++) {
      member = readFileSync(`/proc/${leader.pid}/task/${leader.pid}/children`, 'utf8')
        .trim()
        .split(' ')
        .map(Number)
        .find((p) => p > 0);
      if (member === undefined) await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(member, 'the group member did not start');
    const init = { pid: 1, startTime: startTimeOf(1) };
    return [
      { label: 'sleep 300 (not ffmpeg)', ...sleeper, others: [] },
      { label: 'impostor with argv[0] "ffmpeg" naming the work dir', ...impostor, others: [] },
      { label: 'a process group not ours', ...leader, others: [{ pid: member, startTime: startTimeOf(member) }] },
      { label: 'pid 1', ...init, others: [] },
    ];
  }

  function plantRecords(): void {
    const dir = path.join(job.workDir, '.children');
    mkdirSync(dir, { recursive: true });
    for (const s of strangers) {
      const record = s.record ?? { pid: s.pid, startTime: s.startTime };
      writeFileSync(path.join(dir, String(record.pid)), JSON.stringify(record));
    }
  }

  function assertStrangersAlive(when: string): void {
    for (const s of strangers) {
      assert.ok(stillRunning(s.pid, s.startTime), `${when}: ${s.label} (pid ${s.pid}) was killed`);
      for (const other of s.others)
        assert.ok(stillRunning(other.pid, other.startTime), `${when}: a member (pid ${other.pid}) of ${s.label} was killed`);
    }
  }

  /** No ffmpeg of ours left; the impostor (argv[0] "ffmpeg", naming the job) is not one. */
  async function assertNoStrays(run: CliRun): Promise<void> {
    const ours = (list: { pid: number }[]) => list.filter((p) => !strangers.some((s) => s.pid === p.pid));
    assert.deepEqual(ours(run.strays), [], `strays right after the run: ${JSON.stringify(run.strays)}`);
    let left = ours(processesMentioning(job.dir));
    for (let i = 0; i < 30 && left.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = ours(processesMentioning(job.dir));
    }
    assert.deepEqual(left, [], `ffmpeg processes left: ${JSON.stringify(left)}`);
  }

  function droppedLines(run: CliRun): string[] {
    return run.events.flatMap((e: JobEvent) =>
      e.event === 'log' && e.level === 'debug' && /^child record \d+: not killed/.test(e.message) ? [e.message] : [],
    );
  }

  before(async function () {
    if (process.platform !== 'linux') this.skip();
    requireBuiltCli();
    job = makeJob('hostile in.mkv', 3);
    writeFileSync(path.join(job.dir, "someone else's notes.txt"), 'not ours\n');
    // A first run makes the work directory (ours, with its manifest); the records are planted into it.
    const first = await job.run();
    assert.equal(first.code, 0, describeRun(first));
    strangers = await startStrangers();
  });

  after(() => {
    for (const child of started) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    job?.cleanup();
  });

  it('a run reaps none of them, says why for each in a debug line, and drops the records', async () => {
    plantRecords();
    rmSync(job.output, { force: true }); // the first run's output: this run writes it again
    const before = snapshot(job.dir, job.workDir);
    // A changed --crf makes this run encode every segment again, so real encoders run beside the strangers.
    const run = await job.run(['--crf', '46']);
    assert.equal(run.code, 0, describeRun(run));
    assertStrangersAlive('after a run');
    const lines = droppedLines(run);
    assert.match(lines.find((l) => l.startsWith(`child record ${strangers[0]!.pid}:`)) ?? '', /"sleep" is not this job's ffmpeg/);
    assert.match(lines.find((l) => l.startsWith(`child record ${strangers[1]!.pid}:`)) ?? '', /runs .*node.*, not this job's ffmpeg/);
    assert.match(lines.find((l) => l.startsWith(`child record ${strangers[2]!.pid}:`)) ?? '', /is not this job's ffmpeg/);
    assert.match(lines.find((l) => l.startsWith('child record 1:')) ?? '', /never ours to signal/);
    assert.ok(
      !run.events.some((e) => e.event === 'log' && /killed \d+ encoder process/.test(e.message)),
      'a run claimed to have killed something',
    );
    assert.deepEqual(existsSync(path.join(job.workDir, '.children')) ? readdirSync(path.join(job.workDir, '.children')) : [], []);
    assertUnchanged(before, job.dir, job.workDir);
    await assertNoStrays(run);
  });

  it('a cancelled run (SIGINT while encoding) leaves them running too', async () => {
    plantRecords();
    rmSync(job.output, { force: true });
    const before = snapshot(job.dir, job.workDir);
    const run = await job.run(['--crf', '47'], {
      killWhen: (event) => event.event === 'segment' && event.state === 'encoding',
      killSignal: 'SIGINT',
    });
    assert.ok(run.killedAfter, `never reached an encode: ${describeRun(run)}`);
    assert.equal(run.code, 130, describeRun(run));
    assert.match(run.stderr, /stopping/);
    assertStrangersAlive('after a cancelled run');
    assertUnchanged(before, job.dir, job.workDir);
    await assertNoStrays(run);
  });

  it('clean removes the job but signals none of them', async () => {
    plantRecords();
    const before = snapshot(job.dir, job.workDir);
    const run = await runCli(['clean', job.input, '-o', job.output, '--work-dir', job.workDir], {
      strayMarker: job.dir,
      timeoutMs: 60_000,
    });
    assert.equal(run.code, 0, describeRun(run));
    assertStrangersAlive('after clean');
    assertUnchanged(before, job.dir, job.workDir);
    await assertNoStrays(run);
  });
});
