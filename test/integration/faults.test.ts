import assert from 'node:assert/strict';
import { copyFileSync, existsSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { basicClip } from '../helpers/clips';
import type { JobEvent } from '../../common/events';
import { frameCheck, processesMentioning, runCli } from '../helpers/faults';
import {
  CLIP_SECONDS,
  SEGMENTS,
  describeRun,
  encodedFiles,
  makeJob,
  readManifestJson,
  requireBuiltCli,
  tally,
  type Job,
} from '../helpers/resume-fixture';

const ALL = [...Array(SEGMENTS).keys()];

function overwriteMiddle(file: string, bytes: number): void {
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  try {
    const garbage = Buffer.alloc(Math.min(bytes, Math.floor(size / 2)));
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 151 + 7) & 0xff;
    writeSync(fd, garbage, 0, garbage.length, Math.floor(size / 4));
  } finally {
    closeSync(fd);
  }
}

/**
 * An event handler that damages a segment copy as soon as it has been written. Copies run ahead
 * of the encodes, so the copy appears long before its own encode starts; the handler checks on
 * every event (progress events come several times a second) and fails the test if the segment
 * had already started encoding, so a lost race shows up as such and not as a wrong verdict.
 */
function damageOnceWritten(victim: string, index: number, beforeDamage?: () => void): (event: JobEvent) => void {
  let damaged = false;
  return (event) => {
    if (damaged) return;
    if (event.event === 'segment' && event.index === index && event.state === 'encoding') {
      throw new Error(`segment ${index} started encoding before its copy was damaged`);
    }
    if (!existsSync(victim)) return;
    damaged = true;
    beforeDamage?.();
    overwriteMiddle(victim, 4096);
  };
}

function assertFrameExact(job: Job): void {
  const check = frameCheck(job.input, job.output);
  assert.equal(check.outputFrames, check.sourceFrames);
  assert.ok(check.minPsnr > 25, `worst frame PSNR ${check.minPsnr} dB`);
}

describe('faults: damaged segments, settings changes, cancellation, failures (real CLI)', function () {
  this.timeout(240_000);
  let job: Job;

  before(() => {
    requireBuiltCli();
    job = makeJob();
  });
  after(() => job?.cleanup());

  it('re-encodes exactly the finished segment that was truncated', async () => {
    const first = await job.run();
    assert.equal(first.code, 0, describeRun(first));
    assert.deepEqual(tally(first).done, ALL);
    const victim = path.join(job.workDir, 'encoded', 'segment_003.mkv');
    assert.ok(existsSync(victim), `no ${victim}; encoded/ holds ${encodedFiles(job).join(',')}`);
    truncateSync(victim, Math.floor(statSync(victim).size / 2));

    const again = await job.run();
    assert.equal(again.code, 0, describeRun(again));
    const counts = tally(again);
    assert.deepEqual(counts.encoded, [3]);
    const rss = again.events.find((e) => e.event === 'segment' && e.state === 'done');
    assert.ok(rss && rss.event === 'segment' && (rss.peakRssBytes ?? 0) > 4 * 1024 * 1024, `no peak RSS in ${JSON.stringify(rss)}`);
    assert.deepEqual(
      counts.skipped,
      ALL.filter((i) => i !== 3),
    );
    assertFrameExact(job);
  });

  it('re-encodes nothing when nothing changed, everything when --crf changed (with --pin-workers)', async () => {
    const same = await job.run();
    assert.equal(same.code, 0, describeRun(same));
    assert.deepEqual(tally(same).encoded, []);
    assert.deepEqual(tally(same).skipped, ALL);

    // While it runs, read the CPU affinity of the encoders (argv names libsvtav1) from /proc.
    const affinities = new Set<string>();
    const sampler = setInterval(() => {
      for (const proc of processesMentioning(job.dir)) {
        if (!proc.argv.includes('libsvtav1') || proc.argv.some((a) => /setpriv|taskset/.test(a))) continue;
        try {
          const cpus = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'))?.[1];
          if (cpus) affinities.add(cpus);
        } catch {
          /* exited */
        }
      }
    }, 50);
    const changed = await job.run(['--crf', '47', '--pin-workers']).finally(() => clearInterval(sampler));
    assert.equal(changed.code, 0, describeRun(changed));
    assert.deepEqual(tally(changed).encoded, ALL);
    assert.deepEqual(tally(changed).skipped, []);
    assertFrameExact(job);
    if (spawnSync('sh', ['-c', 'command -v taskset']).status === 0) {
      assert.ok(affinities.size > 0, 'never saw an encoder running');
      for (const cpus of affinities) assert.match(cpus, /^\d+$/, `an encoder ran on CPUs ${cpus}, not one pinned CPU`);
    }
  });

  it('starts over, saying why, when the input changed', async () => {
    basicClip(job.input, { seconds: CLIP_SECONDS, size: '160x120', fps: 24, gopFrames: 12, source: 'testsrc=s=160x120:r=24' });
    const run = await job.run(['--crf', '47']);
    assert.equal(run.code, 0, describeRun(run));
    assert.deepEqual(tally(run).encoded, ALL);
    assert.ok(
      run.events.some((e) => e.event === 'log' && /input changed/.test(e.message)),
      'no message about the changed input',
    );
    assertFrameExact(job);
  });

  it('stops on SIGINT during encoding: exit 130, no ffmpeg left, consistent manifest, then resumes', async () => {
    rmSync(job.workDir, { recursive: true, force: true });
    rmSync(job.output, { force: true });
    const interrupted = await job.run([], {
      killSignal: 'SIGINT',
      killWhen: (e, h) =>
        e.event === 'segment' && e.state === 'encoding' && h.filter((x) => x.event === 'segment' && x.state === 'encoding').length === 3,
    });
    assert.equal(interrupted.code, 130, describeRun(interrupted));
    assert.deepEqual(interrupted.strays, []);
    assert.match(interrupted.stderr, /cancel/i);
    assert.equal(existsSync(job.output), false);
    assert.deepEqual(
      encodedFiles(job).filter((f) => /tmp|partial/.test(f)),
      [],
      'temp files left in encoded/',
    );
    const manifest: unknown = readManifestJson(job); // parses: not torn
    assert.ok(manifest);
    const doneBefore = tally(interrupted).done;
    for (const index of doneBefore) assert.ok(encodedFiles(job).some((f) => f.includes(`segment_${String(index).padStart(3, '0')}`)));

    const status = await runCli(['status', job.workDir, '--json']);
    assert.equal(status.code, 0, status.stderr);
    const report = JSON.parse(status.stdout) as { segments: { index: number; state: string }[] };
    assert.equal(report.segments.length, SEGMENTS);
    assert.deepEqual(
      report.segments.filter((s) => s.state === 'done').map((s) => s.index),
      doneBefore,
    );
    assert.ok(!report.segments.some((s) => s.state === 'encoding'), 'the manifest still says a segment is encoding');

    const resumed = await job.run();
    assert.equal(resumed.code, 0, describeRun(resumed));
    assert.deepEqual(tally(resumed).skipped, doneBefore);
    assertFrameExact(job);
  });

  it('retries a segment whose source copy is corrupt, reports it and exits 1; a re-run retries only that segment', async () => {
    rmSync(job.workDir, { recursive: true, force: true });
    rmSync(job.output, { force: true });
    const victim = path.join(job.workDir, 'segments', 'segment_005.mkv');
    const saved = path.join(job.dir, 'segment_005.saved.mkv');
    const failed = await job.run([], {
      onEvent: damageOnceWritten(victim, 5, () => copyFileSync(victim, saved)),
    });
    assert.ok(existsSync(saved), `never saw the copy of segment 5:\n${describeRun(failed)}`);
    assert.equal(failed.code, 1, describeRun(failed));
    const counts = tally(failed);
    assert.deepEqual(counts.failed, [5]);
    assert.deepEqual(
      counts.done,
      ALL.filter((i) => i !== 5),
      'the other segments did not carry on',
    );
    const failedEvent = failed.events.find((e) => e.event === 'segment' && e.index === 5 && e.state === 'failed');
    assert.equal(failedEvent && failedEvent.event === 'segment' && failedEvent.attempt, 2, 'a fixed-CRF segment is retried once');
    assert.ok(
      failed.events.some((e) => e.event === 'log' && /segment 5: attempt 1 failed .*trying again/.test(e.message)),
      'no retry was logged',
    );
    const error = failed.events.find((e) => e.event === 'error');
    assert.ok(
      error && error.event === 'error' && error.failedSegments?.some((f) => f.index === 5 && f.error.length > 0),
      describeRun(failed),
    );
    const stderrLines = failed.stderr.trim().split('\n');
    assert.ok(
      stderrLines.some((l) => /segment.*5/i.test(l)),
      failed.stderr,
    );
    assert.equal(existsSync(job.output), false);

    copyFileSync(saved, victim);
    const again = await job.run();
    assert.equal(again.code, 0, describeRun(again));
    assert.deepEqual(tally(again).encoded, [5]);
    assertFrameExact(job);
  });

  it('kills an encoder that runs past its time-out and counts it as a failed attempt', async () => {
    // The time-out is real (the encoder is killed by runProcess's timer); only its length is
    // shrunk through the environment so that every encode overruns it.
    rmSync(job.workDir, { recursive: true, force: true });
    rmSync(job.output, { force: true });
    const run = await job.run(['--fail-fast', '--workers', '1'], {
      env: { CHUNKED_AV1_ENCODE_TIMEOUT_FLOOR_MS: '1', CHUNKED_AV1_ENCODE_TIMEOUT_ASSUMED_FPS: '100000' },
    });
    assert.equal(run.code, 1, describeRun(run));
    assert.deepEqual(run.strays, []);
    const failedEvent = run.events.find((e) => e.event === 'segment' && e.state === 'failed');
    assert.ok(failedEvent && failedEvent.event === 'segment', describeRun(run));
    assert.match(failedEvent.error ?? '', /timed out/);
    assert.equal(failedEvent.attempt, 2);
    assert.deepEqual(
      encodedFiles(job).filter((f) => /tmp/.test(f)),
      [],
      'temp files left by killed encoders',
    );
  });

  it('stops at the first failure with --fail-fast (one worker)', async () => {
    rmSync(job.workDir, { recursive: true, force: true });
    rmSync(job.output, { force: true });
    const victim = path.join(job.workDir, 'segments', 'segment_002.mkv');
    const run = await job.run(['--fail-fast', '--workers', '1'], { onEvent: damageOnceWritten(victim, 2) });
    assert.equal(run.code, 1, describeRun(run));
    const counts = tally(run);
    assert.deepEqual(counts.failed, [2]);
    assert.deepEqual(counts.done, [0, 1]);
    assert.ok(
      counts.encoded.every((i) => i <= 2),
      `segments started after the failure: ${counts.encoded.join(',')}`,
    );
    assert.match(run.stderr, /segment|#2/);
    assert.ok(readFileSync(path.join(job.workDir, 'manifest.json'), 'utf8').length > 0);
  });
});
