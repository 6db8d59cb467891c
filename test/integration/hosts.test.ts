import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { basicClip, countFrames, decodedFrameCount, ffprobeJson, tempDir } from '../helpers/clips';
import { richMkv } from '../helpers/sources';
import { runCli, segmentEvents } from '../helpers/faults';
import { runCliSync } from '../helpers/cli';
import { createTestHosts, ffmpegIn, unavailableReason, type TestHost, type TestHosts } from '../helpers/hosts';
import type { DoneEvent, LogEvent, PlanEvent, ProgressEvent } from '../../common/events';
import { manifestSchema } from '../../server/src/job/manifest';
import type { JobStatus } from '../../server/src/job/status';
import { SAMPLED, TARGET } from '../helpers/target-quality';

/**
 * --hosts over real ssh to real separate hosts: network + mount namespaces on this machine, each
 * with its own sshd (test/helpers/hosts.ts). Skipped with the reason where namespaces cannot be
 * made; under CI=true they must run.
 */
const why = unavailableReason();
/** Segments at the clip's keyframes: these runs need one segment per host and more (a scene split keeps a one-shot clip in fewer). */
const KEYFRAME_SPLIT = ['--split', 'keyframe'];

const readManifest = (workDir: string) => manifestSchema.parse(JSON.parse(readFileSync(path.join(workDir, 'manifest.json'), 'utf8')));

function waitFor(check: () => boolean, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const tick = () => {
      if (check()) resolve(true);
      else if (Date.now() > deadline) resolve(false);
      else setTimeout(tick, everyMs);
    };
    tick();
  });
}

describe('encode --hosts (GNU parallel over ssh to namespace hosts)', function () {
  let hosts: TestHosts;
  const work = tempDir('chunked-av1-hosts-');
  let source: string;

  before(async function () {
    if (why) {
      if (process.env.CI === 'true') throw new Error(`namespace hosts are required in CI: ${why}`);
      console.log(`      skipped: ${why}`);
      this.skip();
    }
    hosts = await createTestHosts([{}, {}]);
    source = richMkv(path.join(work.dir, `it's a "src" $x; #1.mkv`), 4);
  });
  after(() => {
    hosts?.teardown();
    work.cleanup();
  });

  it("encodes over : and two hosts, frame-exact with every stream; the manifest and status name each segment's host", async () => {
    const output = path.join(work.dir, 'three.mkv');
    const workDir = path.join(work.dir, 'three.work');
    const [a, b] = hosts.hosts;
    const run = await runCli(
      [
        'encode',
        source,
        '-o',
        output,
        '--work-dir',
        workDir,
        '--keep-work-dir',
        '--crf',
        '45',
        '--preset',
        '12',
        '--segment-seconds',
        '1',
        ...KEYFRAME_SPLIT,
        '--hosts',
        `1/:,1/${a!.address},1/${b!.address}`,
        '--json',
      ],
      { env: hosts.env, timeoutMs: 300_000 },
    );
    assert.equal(run.code, 0, run.stderr);
    const plan = run.events.find((e): e is PlanEvent => e.event === 'plan')!;
    assert.deepEqual(plan.hosts, [
      { host: ':', workers: 1 },
      { host: a!.address, workers: 1 },
      { host: b!.address, workers: 1 },
    ]);
    const done = segmentEvents(run.events).filter((e) => e.state === 'done');
    assert.equal(done.length, 4);
    const madeBy = new Set(done.map((e) => e.host));
    for (const host of [':', a!.address, b!.address]) assert.ok(madeBy.has(host), `${host} made no segment (${[...madeBy].join(', ')})`);
    // Frame-exact, every stream kept.
    assert.equal(decodedFrameCount(output), countFrames(source));
    const kinds = (file: string) =>
      ffprobeJson(file, ['-show_streams'])
        .streams.map((s) => s.codec_type ?? '')
        .sort();
    assert.deepEqual(kinds(output), kinds(source));
    assert.equal(ffprobeJson(output, ['-show_chapters']).chapters?.length, 2);
    // The manifest (single source of truth) and status --json say who made each segment.
    const manifest = manifestSchema.parse(JSON.parse(readFileSync(path.join(workDir, 'manifest.json'), 'utf8')));
    assert.deepEqual(
      manifest.segments.map((s) => s.extra?.host),
      done.sort((x, y) => x.index - y.index).map((e) => e.host),
    );
    const status = runCliSync(['status', workDir, '--json']);
    assert.equal(status.status, 0, status.stderr);
    assert.deepEqual(
      (JSON.parse(status.stdout) as JobStatus).segments.map((s) => s.host),
      manifest.segments.map((s) => s.extra?.host),
    );
    assert.deepEqual(ffmpegIn(hosts), []);
  });

  it('Ctrl-C stops the remote encoders: exit 130 and no ffmpeg in any namespace', async () => {
    const [a, b] = hosts.hosts;
    let interrupted = false;
    const run = await runCli(
      [
        'encode',
        source,
        '-o',
        path.join(work.dir, 'cancel.mkv'),
        '--work-dir',
        path.join(work.dir, 'cancel.work'),
        '--crf',
        '30',
        '--preset',
        '4',
        '--segment-seconds',
        '1',
        ...KEYFRAME_SPLIT,
        '--hosts',
        `${a!.address},${b!.address}`,
        '--json',
      ],
      {
        env: hosts.env,
        timeoutMs: 300_000,
        onEvent: (event, child) => {
          if (event.event !== 'segment' || event.state !== 'encoding' || interrupted) return;
          interrupted = true;
          // Ctrl-C once a remote ffmpeg really runs.
          void waitFor(() => ffmpegIn(hosts).length > 0, 60_000).then(() => child.kill('SIGINT'));
        },
      },
    );
    assert.equal(run.code, 130, run.stderr);
    assert.ok(await waitFor(() => ffmpegIn(hosts).length === 0, 15_000), `ffmpeg left on a host: ${JSON.stringify(ffmpegIn(hosts))}`);
  });

  it('names each host that fails the check in one line (unreachable, no libsvtav1, another SVT-AV1) and goes on without it; --hosts-strict stops', async function () {
    // FAKEs: Debian has one ffmpeg, so these hosts get a wrapper first on their PATH that hides
    // libsvtav1 from the encoder list, or makes SVT-AV1 report another version.
    const broken = await createTestHosts([
      {
        bin: {
          ffmpeg:
            '#!/bin/sh\n# FAKE: an ffmpeg without libsvtav1\nif [ "$2" = -encoders ]; then /usr/bin/ffmpeg "$@" | grep -v libsvtav1; exit 0; fi\nexec /usr/bin/ffmpeg "$@"\n',
        },
      },
      {
        bin: {
          ffmpeg:
            '#!/bin/bash\n# FAKE: SVT-AV1 reports another version\n{ /usr/bin/ffmpeg "$@" 2>&1 1>&3 | sed -e "s/Encoder Lib v[0-9.]*/Encoder Lib v0.9.0/" >&2; } 3>&1\n',
        },
      },
    ]);
    try {
      const [noSvt, otherSvt] = broken.hosts;
      const unreachable = `${noSvt!.address}:2`;
      const args = [
        'encode',
        source,
        '-o',
        path.join(work.dir, 'checked.mkv'),
        '--work-dir',
        path.join(work.dir, 'checked.work'),
        '--crf',
        '45',
        '--preset',
        '12',
        '--segment-seconds',
        '2',
        '--hosts',
        `:,${unreachable},${noSvt!.address},${otherSvt!.address}`,
      ];
      const strict = runCliSync([...args, '--hosts-strict'], { env: broken.env, timeoutMs: 120_000 });
      assert.equal(strict.status, 1, strict.stderr);
      const lines = strict.stderr.trim().split('\n');
      const about = (host: string) => lines.filter((line) => line.includes(`host "${host}"`));
      assert.match(about(unreachable)[0] ?? '', /not reachable over ssh/);
      assert.match(about(noSvt!.address)[0] ?? '', /no libsvtav1/);
      assert.match(about(otherSvt!.address)[0] ?? '', /SVT-AV1 v0\.9\.0 and this machine v\d/);
      assert.match(lines[lines.length - 1]!, /^chunked-av1: --hosts-strict: 3 of 3 host\(s\) failed the check/);
      const lenient = runCliSync(args, { env: broken.env, timeoutMs: 300_000 });
      assert.equal(lenient.status, 0, lenient.stderr);
      assert.equal(lenient.stderr.split('\n').filter((line) => line.includes('going on without it')).length, 3, lenient.stderr);
    } finally {
      broken.teardown();
    }
  });

  it('refuses a hostile host string in one line before any work', () => {
    for (const hostile of ['-oProxyCommand=touch /tmp/pwned', 'box;touch /tmp/pwned', 'box$(id)']) {
      const result = runCliSync(['encode', source, '-o', path.join(work.dir, 'hostile.mkv'), `--hosts=${hostile}`]);
      assert.equal(result.status, 2, result.stderr);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, /^chunked-av1: --hosts: host ".*": /);
    }
  });

  /**
   * Runs an encode over hosts a and b and SIGSTOPs the first process on `stalled` that `pick`
   * chooses (a real hang); returns the run, the stopped pid and the one segment whose first
   * attempt failed with `cause`, which must then be done on the other host.
   */
  async function encodeWithStall(name: string, stalled: TestHost, pick: (argv: string[]) => boolean, cause: RegExp) {
    const [a, b] = hosts.hosts;
    const other = stalled === a ? b! : a!;
    const output = path.join(work.dir, `${name}.mkv`);
    let stopped: number | undefined;
    let watching = false;
    const run = await runCli(
      [
        'encode',
        source,
        '-o',
        output,
        '--work-dir',
        path.join(work.dir, `${name}.work`),
        '--crf',
        '40',
        '--preset',
        '6',
        '--segment-seconds',
        '1',
        '--hosts',
        `1/${a!.address},1/${b!.address}`,
        '--json',
      ],
      {
        // The local rule, made to bite sooner: 60 s, or three times the slowest encode so far (an
        // honest one takes a few seconds here, some 20 s at a load average of 20 on two cores).
        env: {
          ...hosts.env,
          CHUNKED_AV1_ENCODE_TIMEOUT_FLOOR_MS: '60000',
          CHUNKED_AV1_ENCODE_TIMEOUT_ASSUMED_FPS: '1000',
          CHUNKED_AV1_ENCODE_TIMEOUT_SLOWDOWN: '3',
        },
        timeoutMs: 400_000,
        onEvent: (event) => {
          if (event.event !== 'segment' || event.state !== 'encoding' || watching) return;
          watching = true;
          void waitFor(() => hosts.processEntries(stalled).some((p) => pick(p.argv)), 120_000, 20).then(() => {
            const target = hosts.processEntries(stalled).find((p) => pick(p.argv));
            if (!target) return;
            stopped = target.pid;
            process.kill(target.pid, 'SIGSTOP');
          });
        },
      },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.ok(stopped, `nothing to stop was seen on ${stalled.address}`);
    const host = stalled.address.replaceAll('.', '\\.');
    const failed = run.events
      .filter((e): e is LogEvent => e.event === 'log' && e.level === 'warn')
      .map((e) => new RegExp(`^segment (\\d+): attempt 1 failed \\(on ${host}: (.*)\\); trying again$`).exec(e.message))
      .filter((m) => m !== null);
    assert.equal(failed.length, 1, JSON.stringify(run.events.filter((e) => e.event === 'log')));
    assert.match(failed[0]![2]!, cause);
    const index = Number(failed[0]![1]);
    const done = segmentEvents(run.events).filter((e) => e.state === 'done');
    assert.equal(done.length, 4);
    assert.deepEqual(
      done.filter((e) => e.index === index).map((e) => ({ host: e.host, attempt: e.attempt })),
      [{ host: other.address, attempt: 2 }],
    );
    assert.equal(decodedFrameCount(output), countFrames(source));
    // The hung process is gone and nothing is left stopped on the host.
    const left = hosts.processEntries(stalled);
    assert.ok(!left.some((p) => p.pid === stopped), 'the hung process is still there');
    assert.deepEqual(
      left.filter((p) => p.state === 'T'),
      [],
    );
    return run;
  }

  it('a remote encoder that hangs (SIGSTOP on its host) is timed out there by the local rule and only our processes are stopped; the segment moves to the other host', async () => {
    const [a] = hosts.hosts;
    // Someone else's ffmpeg on host a: the time-out's clean-up must leave it alone.
    const stranger = spawn(
      'ip',
      [
        'netns',
        'exec',
        a!.ns,
        'ffmpeg',
        '-nostdin',
        '-v',
        'quiet',
        '-re',
        '-f',
        'lavfi',
        '-i',
        'nullsrc=s=16x16:r=1',
        '-t',
        '900',
        '-f',
        'null',
        '-',
      ],
      { stdio: 'ignore' },
    );
    try {
      const isEncoder = (argv: string[]) => path.basename(argv[0] ?? '') === 'ffmpeg' && argv.includes('libsvtav1');
      await encodeWithStall('stalled-encoder', a!, isEncoder, /ffmpeg timed out after \d+ s$/);
      assert.ok(stranger.exitCode === null && stranger.signalCode === null, 'the stranger ffmpeg was stopped');
      assert.deepEqual(ffmpegIn(hosts).filter(isEncoder), []);
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('a remote segment worker that hangs (SIGSTOP) is stopped from here after the same time-out of silence; the segment moves to the other host', async () => {
    const [, b] = hosts.hosts;
    const isWorker = (argv: string[]) => path.basename(argv[0] ?? '') === 'node' && argv.includes('segment-worker');
    await encodeWithStall('stalled-worker', b!, isWorker, /the segment worker sent nothing for \d+ s/);
    assert.deepEqual(
      hosts.processEntries(b!).filter((p) => isWorker(p.argv)),
      [],
    );
    assert.deepEqual(ffmpegIn(hosts), []);
  });

  it('a remote encode reports its frames as it goes: progress moves during a remote segment', async () => {
    const [a] = hosts.hosts;
    const run = await runCli(
      [
        'encode',
        source,
        '-o',
        path.join(work.dir, 'progress.mkv'),
        '--work-dir',
        path.join(work.dir, 'progress.work'),
        '--crf',
        '40',
        '--preset',
        '2',
        '--segment-seconds',
        '4',
        '--hosts',
        `1/${a!.address}`,
        '--json',
      ],
      { env: hosts.env, timeoutMs: 400_000 },
    );
    assert.equal(run.code, 0, run.stderr);
    const firstDone = run.events.findIndex((e) => e.event === 'segment' && e.state === 'done');
    const before = run.events.slice(0, firstDone);
    const total = run.events.find((e): e is PlanEvent => e.event === 'plan')!.frames;
    // One worker on one host: frames counted before the first segment is done are that remote segment's.
    const frames = before.filter((e): e is ProgressEvent => e.event === 'progress' && e.framesDone > 0).map((e) => e.framesDone);
    assert.ok(new Set(frames).size >= 2, `progress during the remote encode: ${JSON.stringify(frames)}`);
    assert.deepEqual(
      frames,
      [...frames].sort((x, y) => x - y),
    );
    assert.ok(frames.every((n) => n <= total));
    // The host's own state reports come through too: encoding, with the CRF it chose.
    assert.ok(segmentEvents(before).some((e) => e.state === 'encoding' && e.crf === 40));
  });

  // Host a is gone after this test.
  it('a host killed mid-segment: its segment is retried on another host and the output is frame-exact', async () => {
    const [a, b] = hosts.hosts;
    const output = path.join(work.dir, 'killed.mkv');
    let killed = false;
    const run = await runCli(
      [
        'encode',
        source,
        '-o',
        output,
        '--work-dir',
        path.join(work.dir, 'killed.work'),
        '--crf',
        '40',
        '--preset',
        '8',
        '--segment-seconds',
        '1',
        ...KEYFRAME_SPLIT,
        '--hosts',
        `1/${a!.address},1/${b!.address}`,
        '--json',
      ],
      {
        env: hosts.env,
        timeoutMs: 400_000,
        onEvent: (event) => {
          if (event.event !== 'segment' || event.state !== 'encoding' || killed) return;
          killed = true;
          // The host is gone (its sshd and every process in it) while its ffmpeg encodes.
          void waitFor(() => hosts.processes(a!).some((argv) => argv.some((arg) => arg.endsWith('ffmpeg'))), 60_000).then(() =>
            hosts.kill(a!),
          );
        },
      },
    );
    assert.equal(run.code, 0, run.stderr);
    const done = segmentEvents(run.events).filter((e) => e.state === 'done');
    assert.equal(done.length, 4);
    assert.ok(done.some((e) => e.host === b!.address));
    assert.equal(decodedFrameCount(output), countFrames(source));
    assert.deepEqual(ffmpegIn(hosts), []);
  });

  it('SIGKILL of the CLI mid-flight stops the remote jobs; the re-run re-encodes no validated segment', async () => {
    const [a, b] = hosts.hosts;
    const args = [
      'encode',
      source,
      '-o',
      path.join(work.dir, 'sigkill.mkv'),
      '--work-dir',
      path.join(work.dir, 'sigkill.work'),
      '--crf',
      '40',
      '--preset',
      '8',
      '--segment-seconds',
      '1',
      ...KEYFRAME_SPLIT,
      '--hosts',
      `1/${a!.address},1/${b!.address}`,
      '--json',
    ];
    let armed = false;
    const first = await runCli(args, {
      env: hosts.env,
      timeoutMs: 400_000,
      onEvent: (event, child) => {
        if (event.event !== 'segment' || event.state !== 'done' || armed) return;
        armed = true;
        void waitFor(() => ffmpegIn(hosts).length > 0, 60_000).then(() => child.kill('SIGKILL'));
      },
    });
    assert.equal(first.signal, 'SIGKILL', first.stderr);
    assert.ok(await waitFor(() => ffmpegIn(hosts).length === 0, 20_000), `ffmpeg left on a host: ${JSON.stringify(ffmpegIn(hosts))}`);
    const validated = new Set(
      segmentEvents(first.events)
        .filter((e) => e.state === 'done')
        .map((e) => e.index),
    );
    assert.ok(validated.size >= 1);
    const second = await runCli(args, { env: hosts.env, timeoutMs: 400_000 });
    assert.equal(second.code, 0, second.stderr);
    const reencoded = segmentEvents(second.events).filter((e) => e.state === 'encoding' && validated.has(e.index));
    assert.deepEqual(reencoded, []);
    for (const index of validated) assert.ok(segmentEvents(second.events).some((e) => e.index === index && e.state === 'skipped'));
  });

  it("--target-vmaf over two hosts: each segment's verified VMAF is in range, measurements join the local cache, a re-run measures nothing", async () => {
    const [a, b] = hosts.hosts;
    const workDir = path.join(work.dir, 'tq.work');
    const args = [
      'encode',
      source,
      '-o',
      path.join(work.dir, 'tq.mkv'),
      // The re-run writes the same output again.
      '--overwrite',
      '--work-dir',
      workDir,
      '--keep-work-dir',
      '--target-vmaf',
      String(TARGET),
      '--preset',
      '13',
      '--segment-seconds',
      '2',
      ...KEYFRAME_SPLIT,
      '--vmaf-subsample',
      '4',
      ...SAMPLED,
      '--hosts',
      `1/${a!.address},1/${b!.address}`,
      '--json',
    ];
    const first = await runCli(args, { env: hosts.env, timeoutMs: 600_000 });
    assert.equal(first.code, 0, first.stderr);
    const done = first.events.find((e): e is DoneEvent => e.event === 'done')!;
    assert.ok(done.segments.length >= 2);
    for (const segment of done.segments)
      assert.ok(
        segment.vmaf! >= TARGET - 2.5 || segment.crf === 10,
        `segment ${segment.index}: VMAF ${segment.vmaf} at CRF ${segment.crf}`,
      );
    const hostsUsed = new Set(
      segmentEvents(first.events)
        .filter((e) => e.state === 'done')
        .map((e) => e.host),
    );
    assert.ok(!hostsUsed.has(':'), 'no segment was made here');
    assert.ok(
      segmentEvents(first.events).some((e) => e.probe),
      'the remote probes are reported',
    );
    const cached = readFileSync(path.join(workDir, 'quality-cache.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"measurement"'));
    assert.ok(cached.length >= done.segments.length, `remote measurements merged here (${cached.length})`);
    // Each remote segment reports its SVT-AV1 runs (the report's encodes column), as a local one does.
    for (const record of readManifest(workDir).segments)
      assert.ok(Number(record.extra?.encodes) >= 1, `segment ${record.index}: encodes ${String(record.extra?.encodes)}`);
    const second = await runCli(args, { env: hosts.env, timeoutMs: 300_000 });
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(
      segmentEvents(second.events).filter((e) => e.probe || e.state === 'encoding' || e.state === 'searching'),
      [],
    );
  });
  it("--target-vmaf on one host slot: a later segment's CRF is predicted from the job's labels, encoded first at it, and its label comes back", async () => {
    // b: "a host killed mid-segment" above leaves a down for the rest of this file.
    const [, b] = hosts.hosts;
    const workDir = path.join(work.dir, 'predicted.work');
    // One kind of content all along (testsrc2, a keyframe each second): a neighbour's label is a good prediction.
    const uniform = basicClip(path.join(work.dir, 'uniform.mkv'), { seconds: 4, size: '160x120', gopFrames: 24 });
    const run = await runCli(
      [
        'encode',
        uniform,
        '-o',
        path.join(work.dir, 'predicted.mkv'),
        '--work-dir',
        workDir,
        '--keep-work-dir',
        '--target-vmaf',
        String(TARGET),
        '--preset',
        '13',
        '--segment-seconds',
        '1',
        ...KEYFRAME_SPLIT,
        '--vmaf-subsample',
        '4',
        ...SAMPLED,
        // One slot and no ":": the segments go one after another, each after the labels before it.
        '--hosts',
        `1/${b!.address}`,
        '--json',
      ],
      { env: hosts.env, timeoutMs: 600_000 },
    );
    assert.equal(run.code, 0, run.stderr);
    const records = readManifest(workDir).segments;
    assert.ok(records.length >= 3, `${records.length} segments`);
    const seen = records.map((r) => ({
      index: r.index,
      crf: r.crf,
      host: r.extra?.host,
      predictedCrf: r.extra?.predictedCrf as number | undefined,
      encodes: r.extra?.encodes as number | undefined,
      probes: (r.extra?.probes as { crf: number }[] | undefined) ?? [],
    }));
    const text = JSON.stringify(seen);
    for (const segment of seen) {
      assert.equal(segment.host, b!.address, text);
      assert.ok(segment.encodes! >= 1, text);
    }
    // A fresh worker has no labels of its own, and every label of this job was made on the host: a
    // predicted CRF there is a label that came back here (with its fingerprint) and travelled out again.
    const predicted = seen.filter((s) => s.predictedCrf !== undefined);
    assert.ok(predicted.length >= 1, `no remote segment was predicted: ${text}`);
    assert.ok(
      predicted.every((s) => s.index > 0),
      `the first segment has nothing to be predicted from: ${text}`,
    );
    // The host encoded the CRF that travelled first (the final-encode-first path), not a search's probe.
    for (const s of predicted) assert.equal(s.probes[0]?.crf, s.predictedCrf, text);
    // Accepted at its first encode: that encode is the output, one SVT-AV1 run.
    const acceptedFirst = predicted.filter((s) => s.probes.length === 1 && s.probes[0]!.crf === s.predictedCrf && s.crf === s.predictedCrf);
    assert.ok(acceptedFirst.length >= 1, `no predicted segment was accepted at its first encode: ${text}`);
    for (const s of acceptedFirst) assert.equal(s.encodes, 1, text);
    const done = run.events.find((e): e is DoneEvent => e.event === 'done')!;
    for (const segment of done.segments) assert.ok(segment.vmaf! >= TARGET - 2.5 || segment.crf === 10, text);
  });

  it('every host gone mid-job (and no ":"): one line naming each host and its cause, exit 1, and the work directory resumes', async () => {
    const lost = await createTestHosts([{}, {}]);
    try {
      const [c, d] = lost.hosts;
      const output = path.join(work.dir, 'gone.mkv');
      const workDir = path.join(work.dir, 'gone.work');
      const args = [
        'encode',
        source,
        '-o',
        output,
        '--work-dir',
        workDir,
        '--crf',
        '40',
        '--preset',
        '4',
        '--segment-seconds',
        '1',
        '--json',
      ];
      let killed = false;
      const first = await runCli([...args, '--hosts', `1/${c!.address},1/${d!.address}`], {
        env: lost.env,
        timeoutMs: 400_000,
        onEvent: (event) => {
          if (event.event !== 'segment' || event.state !== 'encoding' || killed) return;
          killed = true;
          void waitFor(() => ffmpegIn(lost).length > 0, 120_000).then(() => {
            lost.kill(c!);
            lost.kill(d!);
          });
        },
      });
      assert.equal(first.code, 1, first.stderr);
      const lines = first.stderr.trim().split('\n');
      assert.equal(lines.length, 1, first.stderr);
      assert.match(lines[0]!, /^chunked-av1: every host is gone \(/);
      for (const host of [c!.address, d!.address])
        assert.match(lines[0]!, new RegExp(`host "${host.replaceAll('.', '\\.')}": not reachable over ssh`));
      assert.match(lines[0]!, /run the same command again to resume$/);
      assert.deepEqual(ffmpegIn(lost), []);
      // Consistent: the manifest says failed with that line, no segment is marked failed, and the rest resumes here.
      const manifest = manifestSchema.parse(JSON.parse(readFileSync(path.join(workDir, 'manifest.json'), 'utf8')));
      assert.equal(manifest.status, 'failed');
      assert.match(manifest.lastError ?? '', /^every host is gone/);
      assert.deepEqual(
        manifest.segments.filter((s) => s.state === 'failed'),
        [],
      );
      const kept = manifest.segments.filter((s) => s.state === 'done').map((s) => s.index);
      const second = await runCli([...args, '--hosts', ':'], { timeoutMs: 400_000 });
      assert.equal(second.code, 0, second.stderr);
      for (const index of kept) assert.ok(segmentEvents(second.events).some((e) => e.index === index && e.state === 'skipped'));
      assert.equal(decodedFrameCount(output), countFrames(source));
    } finally {
      lost.teardown();
    }
  });
});
