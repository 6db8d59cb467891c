import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors';
import { planWorkers } from '../job';
import { LocalSegmentRunner, type RunnerHost, type SegmentRunner } from '../job';
import type { Tools } from '../sys';
import { hostKey, parseHostList, type HostSpec } from './host-spec';
import { localSvtVersion, requireGnuParallel, runHostCheck } from './host-check';
import { HostsSegmentRunner } from './hosts-runner';
import { sshCommand } from './parallel-args';

/**
 * Picks where the segments run: this machine only (no --hosts), or this machine and/or remote
 * hosts through GNU parallel after the host check. Each host that fails the check is named with
 * its cause in one line; --hosts-strict then stops the job, otherwise it goes on without it.
 */
export interface RunnerChoice {
  hosts?: readonly string[];
  hostsStrict?: boolean;
  /** Workers this machine would run on its own (planWorkers). */
  localWorkers: number;
  /** Estimated peak memory of one worker at this resolution, for hosts without N/. */
  memoryPerWorkerBytes: number;
  segments: number;
  tools: Tools;
  workDir: string;
  signal?: AbortSignal;
  log: (level: 'debug' | 'info' | 'warn', message: string) => void;
  onSpawn?: (pid: number) => void;
  onExit?: (pid: number) => void;
}

export async function segmentRunnerFor(choice: RunnerChoice): Promise<SegmentRunner> {
  if (!choice.hosts?.length) return new LocalSegmentRunner(choice.localWorkers);
  const specs = parseHostList(choice.hosts.join(','));
  const localSpec = specs.find((spec) => spec.local);
  const localWorkers = localSpec ? (localSpec.workers ?? choice.localWorkers) : 0;
  const remote = specs.filter((spec) => !spec.local);
  if (!remote.length) return new LocalSegmentRunner(localWorkers);

  await requireGnuParallel();
  const ssh = sshCommand(process.env.CHUNKED_AV1_SSH_CONFIG || undefined);
  const worker = await stageWorkerBundle();
  const started = performance.now();
  const svtVersion = await localSvtVersion(choice.tools, choice.signal);
  const check = (specs: HostSpec[]) =>
    runHostCheck(specs, {
      ssh,
      requirements: { svtVersion },
      basefiles: worker,
      signal: choice.signal,
      onSpawn: choice.onSpawn,
      onExit: choice.onExit,
    });
  const checks = await check(remote);
  choice.log('debug', `host check of ${remote.length} host(s) in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  const failed = checks.filter((check) => check.problem);
  for (const check of failed)
    choice.log('warn', `host "${hostKey(check.spec)}": ${check.problem}${choice.hostsStrict ? '' : '; going on without it'}`);
  if (failed.length && choice.hostsStrict) {
    throw new UserError(
      `--hosts-strict: ${failed.length} of ${remote.length} host(s) failed the check (first: host "${hostKey(failed[0]!.spec)}": ${failed[0]!.problem})`,
    );
  }
  const usable = checks.filter((check) => !check.problem);
  const hosts: RunnerHost[] = localWorkers ? [{ host: ':', workers: localWorkers }] : [];
  for (const check of usable) hosts.push({ host: hostKey(check.spec), workers: remoteWorkers(check.spec, check.facts, choice) });
  if (!hosts.length)
    throw new UserError(
      `no host can take segments: every host in --hosts failed the check (${failed.map((c) => `host "${hostKey(c.spec)}": ${c.problem}`).join('; ')}); add ":" to use this machine too`,
    );
  if (!usable.length) return new LocalSegmentRunner(localWorkers);
  await HostsSegmentRunner.prepare(choice.workDir);
  return new HostsSegmentRunner(
    hosts,
    localWorkers,
    {
      ssh,
      worker: worker[0]!,
      // A host that went down mid-job is checked again before the job gives up on it.
      check: async (keys) => {
        const again = await check(usable.filter((c) => keys.includes(hostKey(c.spec))).map((c) => c.spec));
        return new Map(again.map((c) => [hostKey(c.spec), c.problem]));
      },
      onSpawn: choice.onSpawn,
      onExit: choice.onExit,
      log: (line: string) => choice.log('debug', `parallel: ${line}`),
    },
    choice.workDir,
  );
}

/** N/ when given, else what the host's cores and free memory allow (the same rule as here). */
function remoteWorkers(spec: HostSpec, facts: { cores?: number; memoryBytes?: number }, choice: RunnerChoice): number {
  if (spec.workers) return spec.workers;
  return planWorkers({
    cores: facts.cores ?? 1,
    availableMemoryBytes: facts.memoryBytes ?? choice.memoryPerWorkerBytes,
    memoryPerWorkerBytes: choice.memoryPerWorkerBytes,
    segments: choice.segments,
  }).workers;
}

/**
 * The worker program GNU parallel sends to each host (--basefile): this bundle's cli.js and the
 * built-in VMAF engine's worker beside it, copied to a folder named by their content hash, so a
 * changed build never meets an old copy on a host.
 */
async function stageWorkerBundle(): Promise<string[]> {
  const names = ['cli.js', 'vmaf-worker.js'];
  const contents = await Promise.all(
    names.map((name) =>
      readFile(path.join(__dirname, name)).catch(() => {
        throw new UserError(`${path.join(__dirname, name)}: the worker program for --hosts is missing (run the build)`);
      }),
    ),
  );
  const hash = createHash('sha256');
  for (const content of contents) hash.update(content);
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const dir = path.join(os.tmpdir(), `chunked-av1-worker-${uid}-${hash.digest('hex').slice(0, 16)}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await stat(dir);
  if (typeof process.getuid === 'function' && info.uid !== process.getuid())
    throw new UserError(`${dir}: belongs to another user; remove it or set TMPDIR`);
  const files: string[] = [];
  for (const [k, name] of names.entries()) {
    const target = path.join(dir, name);
    const current = await readFile(target).catch(() => undefined);
    if (!current?.equals(contents[k]!)) {
      await copyFile(path.join(__dirname, name), `${target}.tmp`);
      await rename(`${target}.tmp`, target);
    }
    files.push(target);
  }
  return files;
}
