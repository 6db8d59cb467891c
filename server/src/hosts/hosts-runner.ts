import { copyFile, link, mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CancelledError, JobStopError, errorMessage } from '../errors';
import { fileSha256 } from '../job';
import { WORK_DIR_OWN_DIRS } from '../workdir';
import { mergeQualityCache } from './quality-cache-merge';
import { QUALITY_CACHE_FILE, crfMemoryFor, mergeRemoteLearnt, stateForTarget } from '../crf';
import { SegmentValidationError, runSegmentTask, type SegmentTask, type SegmentTaskEnv } from '../job';
import { LOCAL_HOST, type RunnerHost, type SegmentRunResult, type SegmentRunner } from '../job';
import { probeSegment, segmentProblems } from '../validate';
import { REMOTE_DIR, remoteJobFiles, segmentJobArgs } from './parallel-args';
import { runParallelJob, type FinishedJob } from './parallel-runner';
import { Places, type GoneHosts } from './places';
import { REMOTE_TASK_VERSION, parseRemoteResult, type RemoteTask } from './remote-task';
import { parseWorkerReport } from './worker-report';

/**
 * Segments over this machine (`:` in --hosts) and remote hosts (GNU parallel), placed by Places:
 * a free place that has not failed the segment yet, so a retry moves elsewhere when it can.
 *
 * A remote job is held to the local time-out rule: its encoder gets the same time-out on the host
 * (the worker kills it there, like a local one), and the worker, which reports its frames, state
 * and a heartbeat (worker-report.ts), is stopped from here when it falls silent for that long.
 * A host whose ssh connection fails on every try is down; when every host is down and this
 * machine takes no segments, the job stops with one line (JobStopError) and stays resumable.
 *
 * A returned segment is trusted no more than a local one: it is probed and checked against the
 * plan here, hashed here, and only then renamed into encoded/ (the pipeline then marks it done).
 */
export interface RemoteEngine {
  /** GNU parallel's --ssh command. */
  ssh: string;
  /** The worker program's path on the hosts (sent by the host check). */
  worker: string;
  /** Checks hosts again (the start-up check): each host's problem, undefined when it is fine. */
  check?: (hosts: string[]) => Promise<Map<string, string | undefined>>;
  onSpawn?: (pid: number) => void;
  onExit?: (pid: number) => void;
  log?: (line: string) => void;
}

/** Where a remote job was last tried, and its silence watch. */
interface Tried {
  host?: string;
  silence?: SilenceWatch;
}

/** GNU parallel's code for a job whose ssh connection failed. */
const SSH_FAILED = 255;

/** The one line a job stops with when every host is gone and this machine takes no segments. Pure. */
export function hostsGoneMessage(gone: GoneHosts): string {
  const hosts = gone.hosts.map(({ host, cause }) => `host "${host}": ${cause}`).join('; ');
  return `every host is gone (${hosts}) and this machine takes no segments (no ":" in --hosts); the work directory is kept: run the same command again to resume`;
}

export class HostsSegmentRunner implements SegmentRunner {
  readonly workers: number;
  private jobs = 0;
  private readonly places: Places;
  /** The running check of hosts that went down (one at a time, shared by the segments waiting on it). */
  private goneCheck: Promise<Error | undefined> | undefined;

  constructor(
    readonly hosts: RunnerHost[],
    localWorkers: number,
    private readonly engine: RemoteEngine,
    private readonly workDir: string,
  ) {
    this.workers = hosts.reduce((sum, host) => sum + host.workers, 0);
    this.places = new Places(hosts, localWorkers);
  }

  /** The folder the remote jobs' files pass through; emptied at start of the files a job names, and nothing else. */
  static async prepare(workDir: string): Promise<string> {
    const dir = path.join(workDir, REMOTE_DIR);
    await mkdir(dir, { recursive: true });
    const own = WORK_DIR_OWN_DIRS[REMOTE_DIR]?.files;
    for (const name of await readdir(dir)) if (own?.test(name)) await unlink(path.join(dir, name));
    return dir;
  }

  async run(task: SegmentTask, env: SegmentTaskEnv): Promise<SegmentRunResult> {
    const { signal } = env;
    const { segment } = task;
    const place = await this.places.acquire(segment.index, signal, (gone) => this.confirmGone(gone));
    try {
      if (place === LOCAL_HOST) {
        try {
          return { ...(await runSegmentTask(task, env)), host: LOCAL_HOST };
        } catch (error) {
          if (!(error instanceof CancelledError || signal?.aborted)) this.places.failed(segment.index, LOCAL_HOST);
          throw error;
        }
      }
      // The chosen host first; the others in order when ssh fails there (exit 255).
      return await this.runRemote(task, env, this.places.sshloginOrder(place, segment.index));
    } finally {
      this.places.release(place);
    }
  }

  /**
   * Nothing can take segments any more: the hosts that went down are checked once more (a host
   * back on the network takes segments again); when none answers, the job stops with one line.
   */
  private confirmGone(gone: GoneHosts): Promise<Error | undefined> {
    if (!this.goneCheck) {
      const check = this.checkGone(gone);
      const clear = () => {
        if (this.goneCheck === check) this.goneCheck = undefined;
      };
      this.goneCheck = check;
      check.then(clear, clear);
    }
    return this.goneCheck;
  }

  private async checkGone(gone: GoneHosts): Promise<Error | undefined> {
    const problems = this.engine.check ? await this.engine.check(gone.hosts.map((entry) => entry.host)) : undefined;
    const still = gone.hosts.map((entry) => ({ host: entry.host, cause: problems ? problems.get(entry.host) : entry.cause }));
    for (const entry of still) if (!entry.cause) this.places.revive(entry.host);
    const down = still.filter((entry): entry is { host: string; cause: string } => Boolean(entry.cause));
    return down.length === gone.hosts.length ? new JobStopError(hostsGoneMessage({ hosts: down }), this.workDir) : undefined;
  }

  private async runRemote(task: SegmentTask, env: SegmentTaskEnv, order: string[]): Promise<SegmentRunResult> {
    const index = task.segment.index;
    const id = `${index}-${++this.jobs}`;
    const files = remoteJobFiles(id);
    const local = (name: string) => path.join(this.workDir, name);
    // The task goes as it is, with what this job's CRF predictor knows: the host runs (and predicts)
    // what this machine would have run.
    const targetJob = task.crf.kind === 'target' ? stateForTarget(env.crfJob, task.crf) : undefined;
    const job: RemoteTask = {
      version: REMOTE_TASK_VERSION,
      id,
      task,
      ...(targetJob ? { crfMemory: crfMemoryFor(targetJob, index) } : {}),
    };
    const qualityCache = path.join(this.workDir, QUALITY_CACHE_FILE);
    const tried: Tried = {};
    let sentCache = '';
    let finished: FinishedJob | undefined;
    try {
      // The copy goes out under the job's own name; a hard link costs nothing and leaves segments/ alone.
      await link(env.sourceFile, local(files.source)).catch(() => copyFile(env.sourceFile, local(files.source)));
      await writeFile(local(files.job), JSON.stringify(job));
      sentCache = await readFile(qualityCache, 'utf8').catch(() => '');
      await writeFile(local(files.qualityCache), sentCache);
      env.onState?.(task.crf.kind === 'target' ? 'searching' : 'encoding');
      finished = await this.runOnHosts(task, env, id, order, tried);
      if (finished.exitCode !== 0) {
        throw new Error(
          `on ${finished.host}: the remote job failed (exit ${finished.exitCode}${finished.signal ? `, signal ${finished.signal}` : ''})${finished.exitCode === SSH_FAILED ? ' on every host it was tried on' : ''}`,
        );
      }
      const result = parseRemoteResult(
        await readFile(local(files.result), 'utf8').catch(() => {
          throw new Error(`on ${finished!.host}: no result came back`);
        }),
        `on ${finished.host}: the result`,
      );
      await mergeQualityCache(qualityCache, sentCache, await readFile(local(files.qualityCache), 'utf8').catch(() => ''));
      if (!result.ok) {
        if (result.problems)
          throw new SegmentValidationError(
            index,
            result.problems.map((p) => `${p} (on ${finished!.host})`),
          );
        throw new Error(`on ${finished.host}: ${result.error}`);
      }
      for (const probe of result.probes) env.onProbe?.(probe);
      env.onState?.('validating', { crf: result.crf });
      const returned = local(files.output);
      const facts = await probeSegment(env.tools, returned, env.signal);
      const problems = segmentProblems(facts, task.expect);
      if (problems.length)
        throw new SegmentValidationError(
          index,
          problems.map((p) => `${p} (returned by ${finished!.host})`),
        );
      const hash = await fileSha256(returned);
      if (hash !== result.hash) throw new Error(`on ${finished.host}: the segment changed on its way back (sha256 differs)`);
      await rename(returned, env.output);
      // The host's verified segment teaches this job's CRF predictor (its label, with its fingerprint, comes back).
      mergeRemoteLearnt(targetJob ?? env.crfJob, index, result.learnt);
      const bytes = (await stat(env.output)).size;
      const { hostname: _hostname, ok: _ok, version: _version, learnt: _learnt, ...fields } = result;
      return { ...fields, bytes, hash, host: finished.host };
    } catch (error) {
      if (env.signal?.aborted) throw new CancelledError();
      const host = finished?.host ?? tried.host ?? order[0]!;
      this.places.failed(index, host);
      // A failed attempt is this job's to remember, as a local one: the next attempt searches instead of predicting.
      if (task.crf.kind === 'target' && !(error instanceof CancelledError))
        env.crfJob.recordAttempt(index, (n) => `attempt ${n} on ${host}: ${errorMessage(error).split('\n')[0]}`);
      if (tried.silence?.fired)
        throw new Error(
          `on ${host}: the segment worker sent nothing for ${Math.round(tried.silence.limitMs! / 1000)} s (the encode time-out); stopped it there`,
        );
      if (error instanceof CancelledError) throw error;
      // Every host is down and this machine takes no segments: stop the job here, not after the retries.
      if (this.places.allGone) {
        const stop = await this.confirmGone(this.places.downHosts());
        if (stop) throw stop;
      }
      throw error instanceof Error ? error : new Error(errorMessage(error));
    } finally {
      await Promise.all(Object.values(files).map((name) => unlink(local(name)).catch(() => undefined)));
    }
  }

  /**
   * Runs the job on the first host of `order`, then on the next one each time ssh fails there (that
   * host is down). One sshlogin per GNU parallel run: given several, GNU parallel (20221122) starts
   * a job on them in Perl hash order, which is random, so the place chosen here would not hold.
   */
  private async runOnHosts(task: SegmentTask, env: SegmentTaskEnv, id: string, order: string[], tried: Tried): Promise<FinishedJob> {
    const { signal } = env;
    const joblog = path.join(this.workDir, remoteJobFiles(id).joblog);
    let finished: FinishedJob | undefined;
    for (const host of order) {
      if (host !== order[0] && this.places.isDown(host)) continue;
      const silence = new SilenceWatch(task.timeoutMs);
      const otherLines: string[] = [];
      Object.assign(tried, { host, silence });
      finished = await runParallelJob(
        segmentJobArgs({ ssh: this.engine.ssh, sshlogins: [`1/${host}`], joblog, worker: this.engine.worker, jobId: id }),
        {
          cwd: this.workDir,
          joblog,
          signal: signal ? AbortSignal.any([signal, silence.signal]) : silence.signal,
          onSpawn: this.engine.onSpawn,
          onExit: this.engine.onExit,
          onLine: (line) => {
            const report = parseWorkerReport(line);
            if (!report) {
              otherLines.push(line.slice(line.indexOf('\t') + 1));
              if (otherLines.length > 5) otherLines.shift();
              this.engine.log?.(line);
              return;
            }
            silence.heard(report.kind === 'end');
            if (report.kind === 'frames') env.run?.onFrames?.(report.frames);
            if (report.kind === 'state') env.onState?.(report.state, report.crf === undefined ? undefined : { crf: report.crf });
          },
        },
      ).finally(() => silence.stop());
      if (finished.exitCode !== SSH_FAILED || signal?.aborted) return finished;
      const cause = otherLines[otherLines.length - 1];
      this.places.markDown([host], `ssh failed${cause ? `: ${cause}` : ''}`);
      this.engine.log?.(`${host}: ssh failed; ${host} takes no more segments in this run`);
    }
    return finished!;
  }

  async close(): Promise<void> {}
}

/**
 * Fires when a remote job falls silent for `limitMs` (the encode time-out) before its worker's
 * last report: the worker is hung (stopped, or its host stalled without the connection failing).
 * The clock starts with the job, so a worker that hangs before its first report is caught too;
 * sending the copy counts against it, which the encode time-out dwarfs on any usable link. After
 * the last report GNU parallel brings the result back, under ssh's own keep-alive.
 */
class SilenceWatch {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  readonly signal = this.controller.signal;

  constructor(readonly limitMs: number | undefined) {
    this.heard(false);
  }

  get fired(): boolean {
    return this.signal.aborted;
  }

  /** A report came; `last` when it was the worker's last one. */
  heard(last: boolean): void {
    clearTimeout(this.timer);
    if (last || !this.limitMs || this.fired) return;
    this.timer = setTimeout(() => this.controller.abort(), this.limitMs);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
