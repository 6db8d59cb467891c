import { copyFile, link, mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CancelledError, errorMessage } from '../errors';
import { fileSha256, inputIdentity, type InputIdentity } from '../job';
import { WORK_DIR_OWN_DIRS } from '../job';
import { mergeQualityCache } from './quality-cache-merge';
import { QUALITY_CACHE_FILE } from '../crf';
import { SegmentValidationError, runSegmentJob, type SegmentJobInput } from '../job';
import { LOCAL_HOST, type RunnerHost, type SegmentRunResult, type SegmentRunner } from '../job';
import { probeSegment, segmentProblems } from '../validate';
import { REMOTE_DIR, remoteJobFiles, segmentJobArgs } from './parallel-args';
import { runParallelJob, type FinishedJob } from './parallel-runner';
import { REMOTE_JOB_VERSION, remoteResultSchema, type RemoteJobInput } from './remote-job';

/**
 * Segments over this machine (`:` in --hosts, the local pool) and remote hosts (one GNU parallel).
 * A free local slot is used first; otherwise the segment goes to GNU parallel, which has as many
 * slots as the hosts have workers. The pipeline's pool never runs more than local + remote
 * workers at once, so a remote job always finds a free slot.
 *
 * A returned segment is trusted no more than a local one: it is probed and checked against the
 * plan here, hashed here, and only then renamed into encoded/ (the pipeline then marks it done).
 */
export interface RemoteEngine {
  /** GNU parallel's --ssh command. */
  ssh: string;
  /** The worker program's path on the hosts (sent by the host check). */
  worker: string;
  onSpawn?: (pid: number) => void;
  onExit?: (pid: number) => void;
  log?: (line: string) => void;
}

/**
 * The order to offer a job to the remote hosts: the one with the most free slots (relative to
 * its workers) first, then the others, which GNU parallel tries when the first fails. Pure.
 */
export function hostOrder(hosts: readonly (RunnerHost & { busy: number })[]): string[] {
  return hosts
    .map((host, position) => ({ host: host.host, load: host.busy / Math.max(1, host.workers), position }))
    .sort((a, b) => a.load - b.load || a.position - b.position)
    .map((entry) => entry.host);
}

/**
 * Where the next segment runs: among the places with a free slot (this machine first, then the
 * hosts in their order), the one that has been given the fewest segments so far, so every place
 * takes its share even when this machine frees up before the next copy is ready. Pure.
 */
export function choosePlace(places: readonly { host: string; workers: number; busy: number; assigned: number }[]): string | undefined {
  let best: (typeof places)[number] | undefined;
  for (const place of places) {
    if (place.busy >= place.workers) continue;
    if (!best || place.assigned < best.assigned) best = place;
  }
  return best?.host;
}

export class HostsSegmentRunner implements SegmentRunner {
  readonly workers: number;
  private localBusy = 0;
  private localAssigned = 0;
  private jobs = 0;
  private readonly remote: (RunnerHost & { busy: number; assigned: number })[];
  private sourceIdentity: Promise<InputIdentity> | undefined;

  constructor(
    readonly hosts: RunnerHost[],
    private readonly localWorkers: number,
    private readonly engine: RemoteEngine,
    private readonly workDir: string,
  ) {
    this.workers = hosts.reduce((sum, host) => sum + host.workers, 0);
    this.remote = hosts.filter((host) => host.host !== LOCAL_HOST).map((host) => ({ ...host, busy: 0, assigned: 0 }));
  }

  /** The folder the remote jobs' files pass through; emptied at start of the files a job names, and nothing else. */
  static async prepare(workDir: string): Promise<string> {
    const dir = path.join(workDir, REMOTE_DIR);
    await mkdir(dir, { recursive: true });
    const own = WORK_DIR_OWN_DIRS[REMOTE_DIR]?.files;
    for (const name of await readdir(dir)) if (own?.test(name)) await unlink(path.join(dir, name));
    return dir;
  }

  async run(input: SegmentJobInput): Promise<SegmentRunResult> {
    const place = choosePlace([
      { host: LOCAL_HOST, workers: this.localWorkers, busy: this.localBusy, assigned: this.localAssigned },
      ...this.remote,
    ]);
    if (place === LOCAL_HOST || !this.remote.length) {
      this.localBusy += 1;
      this.localAssigned += 1;
      try {
        return { ...(await runSegmentJob(input)), host: LOCAL_HOST };
      } finally {
        this.localBusy -= 1;
      }
    }
    // The chosen host first; GNU parallel tries the others, least loaded first, when it fails.
    const chosen = this.remote.find((host) => host.host === place) ?? this.remote.find((host) => host.host === hostOrder(this.remote)[0])!;
    const order = [chosen.host, ...hostOrder(this.remote).filter((host) => host !== chosen.host)];
    chosen.busy += 1;
    chosen.assigned += 1;
    try {
      return await this.runRemote(input, order);
    } finally {
      chosen.busy -= 1;
    }
  }

  private async runRemote(input: SegmentJobInput, order: string[]): Promise<SegmentRunResult> {
    const { crfContext } = input;
    const index = crfContext.segment.index;
    const id = `${index}-${++this.jobs}`;
    const files = remoteJobFiles(id);
    const local = (name: string) => path.join(this.workDir, name);
    const job: RemoteJobInput = {
      version: REMOTE_JOB_VERSION,
      id,
      options: crfContext.options,
      segment: crfContext.segment,
      media: crfContext.media,
      settings: input.settings,
      expectation: input.expectation,
      ...(crfContext.attempt ? { rung: crfContext.attempt } : {}),
      sourceIdentity: await (this.sourceIdentity ??= inputIdentity(crfContext.options.input)),
    };
    const qualityCache = path.join(this.workDir, QUALITY_CACHE_FILE);
    let sentCache = '';
    try {
      // The copy goes out under the job's own name; a hard link costs nothing and leaves segments/ alone.
      await link(crfContext.sourceFile, local(files.source)).catch(() => copyFile(crfContext.sourceFile, local(files.source)));
      await writeFile(local(files.job), JSON.stringify(job));
      sentCache = await readFile(qualityCache, 'utf8').catch(() => '');
      await writeFile(local(files.qualityCache), sentCache);
      input.onState?.(crfContext.options.targetVmaf !== undefined ? 'searching' : 'encoding');
      // One host per GNU parallel run: given several sshlogins it starts a job on whichever comes
      // first in a Perl hash (random order), not on the one chosen. When the job fails there (a host
      // gone, ssh's exit 255, a crashed worker), the next host in `order` gets it.
      let finished: FinishedJob | undefined;
      for (const host of order) {
        if (finished) this.engine.log?.(`segment ${index}: failed on ${finished.host} (exit ${finished.exitCode}); trying ${host}`);
        finished = await runParallelJob(
          segmentJobArgs({
            ssh: this.engine.ssh,
            sshlogins: [`1/${host}`],
            joblog: local(files.joblog),
            worker: this.engine.worker,
            jobId: id,
          }),
          {
            cwd: this.workDir,
            joblog: local(files.joblog),
            signal: crfContext.signal,
            onSpawn: this.engine.onSpawn,
            onExit: this.engine.onExit,
            log: this.engine.log,
          },
        );
        if (crfContext.signal?.aborted) throw new CancelledError();
        if (finished.exitCode === 0) break;
      }
      if (!finished) throw new Error('no host to run the segment on');
      if (finished.exitCode !== 0) {
        throw new Error(
          `on ${finished.host}: the remote job failed (exit ${finished.exitCode}${finished.signal ? `, signal ${finished.signal}` : ''}) on every host it was tried on`,
        );
      }
      const result = remoteResultSchema.parse(
        JSON.parse(
          await readFile(local(files.result), 'utf8').catch(() => {
            throw new Error(`on ${finished.host}: no result came back`);
          }),
        ),
      );
      await mergeQualityCache(qualityCache, sentCache, await readFile(local(files.qualityCache), 'utf8').catch(() => ''));
      if (!result.ok) {
        if (result.problems)
          throw new SegmentValidationError(
            index,
            result.problems.map((p) => `${p} (on ${finished.host})`),
          );
        throw new Error(`on ${finished.host}: ${result.error}`);
      }
      for (const probe of result.probes) crfContext.onProbe?.(probe);
      input.onState?.('validating', { crf: result.crf });
      const returned = local(files.output);
      const facts = await probeSegment(crfContext.tools, returned, crfContext.signal);
      const problems = segmentProblems(facts, input.expectation);
      if (problems.length)
        throw new SegmentValidationError(
          index,
          problems.map((p) => `${p} (returned by ${finished.host})`),
        );
      const hash = await fileSha256(returned);
      if (hash !== result.hash) throw new Error(`on ${finished.host}: the segment changed on its way back (sha256 differs)`);
      await rename(returned, input.output);
      const bytes = (await stat(input.output)).size;
      const { hostname: _hostname, ok: _ok, ...fields } = result;
      return { ...fields, bytes, hash, host: finished.host };
    } catch (error) {
      if (error instanceof CancelledError || crfContext.signal?.aborted) throw new CancelledError();
      throw error instanceof Error ? error : new Error(errorMessage(error));
    } finally {
      await Promise.all(Object.values(files).map((name) => unlink(local(name)).catch(() => undefined)));
    }
  }

  async close(): Promise<void> {}
}
