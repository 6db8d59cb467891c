/**
 * bench/hosts — what going remote costs per segment, and what the host check costs (issue 13).
 *
 *   npm run build && node -r ./test/register.cjs bench/hosts.ts [--size 1920x1080] [--seconds 10] [--preset 8]
 *
 * Needs root (namespace hosts, test/helpers/hosts.ts). Encodes one segment of SECONDS twice, with
 * the same settings: here (no --hosts), then on one namespace host (--hosts 1/HOST). Both run
 * on this machine's cores, so the difference between the two segments' wall times (queued →
 * done) is the remote overhead: GNU parallel and ssh start-up, rsync of the copy out and of the
 * encode back, the remote clean-up, and the local check and hash of the returned file. Also
 * reports the host check time and the bytes sent and returned, and from these a paper model of
 * the speed-up with 2, 4 and 8 equal hosts on gigabit Ethernet.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ffmpegSync } from '../test/helpers/clips';
import { runCli } from '../test/helpers/faults';
import { createTestHosts, unavailableReason } from '../test/helpers/hosts';
import type { JobEvent } from '../common/events';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1920x1080' },
    seconds: { type: 'string', default: '10' },
    preset: { type: 'string', default: '8' },
  },
});
const seconds = Number(values.seconds);

function segmentSeconds(events: { at: number; event: JobEvent }[]): number {
  const start = events.find((e) => e.event.event === 'phase' && e.event.phase === 'encode')!.at;
  const done = events.find((e) => e.event.event === 'segment' && e.event.state === 'done')!.at;
  return (done - start) / 1000;
}

async function main(): Promise<void> {
  const why = unavailableReason();
  if (why) throw new Error(`bench/hosts: ${why}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-bench-hosts-'));
  const hosts = await createTestHosts([{}]);
  try {
    const source = path.join(dir, 'source.mkv');
    ffmpegSync([
      '-f',
      'lavfi',
      '-i',
      `testsrc2=s=${values.size}:r=24`,
      '-t',
      String(seconds),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-g',
      String(24 * seconds * 2),
      source,
    ]);
    const common = ['--crf', '35', '--preset', values.preset, '--segment-seconds', String(seconds * 2), '--json', '--keep-work-dir'];
    const runs: Record<string, { at: number; event: JobEvent }[]> = { local: [], remote: [] };
    const logs: string[] = [];
    for (const where of ['local', 'remote'] as const) {
      const started = Date.now();
      const args = ['encode', source, '-o', path.join(dir, `${where}.mkv`), '--work-dir', path.join(dir, `${where}.work`), ...common];
      if (where === 'remote') args.push('--hosts', `1/${hosts.hosts[0]!.address}`);
      const run = await runCli(args, {
        env: hosts.env,
        timeoutMs: 1_800_000,
        onEvent: (event) => runs[where]!.push({ at: Date.now() - started, event }),
      });
      if (run.code !== 0) throw new Error(`${where} encode failed: ${run.stderr}`);
      for (const e of run.events) if (e.event === 'log') logs.push(e.message);
    }
    const local = segmentSeconds(runs.local!);
    const remote = segmentSeconds(runs.remote!);
    const check = Number(/host check of 1 host\(s\) in ([0-9.]+) s/.exec(logs.join('\n'))?.[1]);
    const sent = statSync(source).size;
    const returned = statSync(path.join(dir, 'remote.work', 'encoded', 'segment_000.mkv')).size;
    const overhead = remote - local;
    // Paper model: N equal hosts each encode `local` seconds per segment plus the overhead; the
    // link carries every copy out and every encode back (gigabit ≈ 110 MB/s of payload).
    const linkSeconds = (sent + returned) / 110e6;
    const model = Object.fromEntries(
      [2, 4, 8].map((n) => {
        const perSegmentWall = Math.max(local + overhead, n * linkSeconds);
        return [`${n} hosts`, Number(((n * local) / perSegmentWall).toFixed(2))];
      }),
    );
    const result = {
      size: values.size,
      seconds,
      preset: Number(values.preset),
      segmentLocalSeconds: local,
      segmentRemoteSeconds: remote,
      remoteOverheadSeconds: Number(overhead.toFixed(2)),
      hostCheckSeconds: check,
      bytesSent: sent,
      bytesReturned: returned,
      gigabitLinkSecondsPerSegment: Number(linkSeconds.toFixed(3)),
      speedupModel: model,
    };
    console.log(JSON.stringify(result, null, 2));
    writeFileSync(path.join(__dirname, 'results', 'hosts.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    hosts.teardown();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 1;
});
