import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { countFrames, decodedFrameCount, ffprobeJson, tempDir } from '../helpers/clips';
import { richMkv } from '../helpers/sources';
import { runCli, segmentEvents } from '../helpers/faults';
import { runCliSync } from '../helpers/cli';
import { createTestHosts, ffmpegIn, unavailableReason, type TestHosts } from '../helpers/hosts';
import type { PlanEvent } from '../../common/events';

/**
 * --hosts over real ssh to real separate hosts: network + mount namespaces on this machine, each
 * with its own sshd (test/helpers/hosts.ts). Skipped with the reason where namespaces cannot be
 * made; under CI=true they must run.
 */
const why = unavailableReason();

function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const tick = () => {
      if (check()) resolve(true);
      else if (Date.now() > deadline) resolve(false);
      else setTimeout(tick, 100);
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

  it('encodes over : and two hosts, frame-exact with every stream; the manifest and status name each segment\'s host', async () => {
    const output = path.join(work.dir, 'three.mkv');
    const workDir = path.join(work.dir, 'three.work');
    const [a, b] = hosts.hosts;
    const run = await runCli([
      'encode', source, '-o', output, '--work-dir', workDir, '--keep-work-dir', '--crf', '45', '--preset', '12', '--segment-seconds', '1',
      '--hosts', `1/:,1/${a!.address},1/${b!.address}`, '--json',
    ], { env: hosts.env, timeoutMs: 300_000 });
    assert.equal(run.code, 0, run.stderr);
    const plan = run.events.find((e): e is PlanEvent => e.event === 'plan')!;
    assert.deepEqual(plan.hosts, [{ host: ':', workers: 1 }, { host: a!.address, workers: 1 }, { host: b!.address, workers: 1 }]);
    const done = segmentEvents(run.events).filter((e) => e.state === 'done');
    assert.equal(done.length, 4);
    const madeBy = new Set(done.map((e) => e.host));
    for (const host of [':', a!.address, b!.address]) assert.ok(madeBy.has(host), `${host} made no segment (${[...madeBy].join(', ')})`);
    // Frame-exact, every stream kept.
    assert.equal(decodedFrameCount(output), countFrames(source));
    const kinds = (file: string) => ffprobeJson(file, ['-show_streams']).streams.map((s: { codec_type: string }) => s.codec_type).sort();
    assert.deepEqual(kinds(output), kinds(source));
    assert.equal(ffprobeJson(output, ['-show_chapters']).chapters.length, 2);
    // The manifest (single source of truth) and status --json say who made each segment.
    const manifest = JSON.parse(readFileSync(path.join(workDir, 'manifest.json'), 'utf8'));
    assert.deepEqual(manifest.segments.map((s: { extra?: { host?: string } }) => s.extra?.host), done.sort((x, y) => x.index - y.index).map((e) => e.host));
    const status = runCliSync(['status', workDir, '--json']);
    assert.equal(status.status, 0, status.stderr);
    assert.deepEqual(JSON.parse(status.stdout).segments.map((s: { host?: string }) => s.host), manifest.segments.map((s: { extra?: { host?: string } }) => s.extra?.host));
    assert.deepEqual(ffmpegIn(hosts), []);
  });

  it('Ctrl-C stops the remote encoders: exit 130 and no ffmpeg in any namespace', async () => {
    const [a, b] = hosts.hosts;
    let interrupted = false;
    const run = await runCli([
      'encode', source, '-o', path.join(work.dir, 'cancel.mkv'), '--work-dir', path.join(work.dir, 'cancel.work'), '--crf', '30', '--preset', '4',
      '--segment-seconds', '1', '--hosts', `${a!.address},${b!.address}`, '--json',
    ], {
      env: hosts.env, timeoutMs: 300_000,
      onEvent: (event, child) => {
        if (event.event !== 'segment' || event.state !== 'encoding' || interrupted) return;
        interrupted = true;
        // Ctrl-C once a remote ffmpeg really runs.
        void waitFor(() => ffmpegIn(hosts).length > 0, 60_000).then(() => child.kill('SIGINT'));
      },
    });
    assert.equal(run.code, 130, run.stderr);
    assert.ok(await waitFor(() => ffmpegIn(hosts).length === 0, 15_000), `ffmpeg left on a host: ${JSON.stringify(ffmpegIn(hosts))}`);
  });
});
