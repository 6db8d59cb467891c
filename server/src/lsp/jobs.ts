/**
 * The language server's job registry: a queue that runs one job at a time (each job's segments run
 * in parallel inside the pipeline), cancellation through an AbortSignal, retry and resume by running
 * the job again in its work directory. It knows nothing of LSP; the server wires its callbacks.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { DoneEvent, JobEvent } from '../../../common/events';
import { describeTarget, qualityTargetOf, type EncodeOptions } from '../../../common/options';
import { CancelledError } from '../errors';
import { applyEvent, newSnapshot } from './job-snapshot';
import type { JobSnapshot, SegmentSnapshot } from '../../../common/protocol';
import { segmentScoreText } from '../../../common/segment-score';

export type RunPipeline = (
  options: EncodeOptions,
  ctx: { jobId: string; signal: AbortSignal; onEvent: (event: JobEvent) => void },
) => Promise<DoneEvent>;

export interface JobRegistryHooks {
  run: RunPipeline;
  onJobState(job: JobSnapshot): void;
  onSegmentState(jobId: string, segment: SegmentSnapshot): void;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

interface Job {
  snapshot: JobSnapshot;
  options?: EncodeOptions;
  controller?: AbortController;
  interrupted?: boolean;
}

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: string[] = [];
  private running = false;

  constructor(private readonly hooks: JobRegistryHooks) {}

  /** Queues a job and returns at once; the job starts when the ones before it finish. */
  start(options: EncodeOptions, presetName: string): string {
    const jobId = randomUUID();
    const snapshot = newSnapshot(jobId, options.input, presetName, options.output);
    snapshot.workDir = options.workDir;
    snapshot.createdAt = Date.now();
    if (options.targetVmaf !== undefined) snapshot.targetVmaf = options.targetVmaf;
    // A searching job's CRF ceiling; its target (metric, value, band) comes with the plan event.
    if (options.crf === undefined) snapshot.maxCrf = options.maxCrf;
    this.jobs.set(jobId, { snapshot, options });
    this.enqueue(jobId);
    return jobId;
  }

  /** Adds jobs known from an earlier server life; a job that was running is now 'interrupted'. */
  restore(jobs: { snapshot: JobSnapshot; options?: EncodeOptions }[]): void {
    for (const { snapshot, options } of jobs) {
      if (this.jobs.has(snapshot.jobId)) continue;
      if (snapshot.status === 'running' || snapshot.status === 'queued') snapshot.status = 'interrupted';
      this.jobs.set(snapshot.jobId, { snapshot, options });
    }
  }

  get(jobId: string): JobSnapshot | undefined {
    return this.jobs.get(jobId)?.snapshot;
  }

  hasOptions(jobId: string): boolean {
    return Boolean(this.jobs.get(jobId)?.options);
  }

  /** Snapshots with the options each was started with, for the known-jobs file. */
  entries(): { snapshot: JobSnapshot; options?: EncodeOptions }[] {
    return [...this.jobs.values()].map(({ snapshot, options }) => ({ snapshot, options }));
  }

  list(): JobSnapshot[] {
    return [...this.jobs.values()].map((job) => job.snapshot);
  }

  /** Forgets a job that is not running or queued; returns the snapshot it forgot. */
  remove(jobId: string): JobSnapshot | undefined {
    const job = this.jobs.get(jobId);
    if (!job || job.snapshot.status === 'running' || job.snapshot.status === 'queued') return undefined;
    this.jobs.delete(jobId);
    return job.snapshot;
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job) return false;
    const queued = this.queue.indexOf(jobId);
    if (queued !== -1) {
      this.queue.splice(queued, 1);
      job.snapshot.status = 'cancelled';
      this.hooks.onJobState(job.snapshot);
      return true;
    }
    job.controller?.abort(new CancelledError('cancelled from the editor'));
    return Boolean(job.controller);
  }

  /** Stops every job because the server is going away; they stay resumable. */
  interruptAll(): void {
    for (const jobId of this.queue.splice(0)) this.jobs.get(jobId)!.snapshot.status = 'interrupted';
    for (const job of this.jobs.values()) {
      if (!job.controller) continue;
      job.interrupted = true;
      job.controller.abort(new CancelledError('the language server stopped'));
    }
  }

  /** Runs the job again in its work directory; the pipeline resumes and re-encodes what is not done. */
  retry(jobId: string, segments?: number[]): void {
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    if (!job.options) throw new Error(`job ${jobId} has no options to run again`);
    if (job.snapshot.status === 'running' || job.snapshot.status === 'queued') throw new Error('the job is still running');
    if (job.snapshot.workDir) job.options = { ...job.options, workDir: job.snapshot.workDir };
    for (const segment of job.snapshot.segments) {
      const wanted = segments ? segments.includes(segment.index) : segment.state === 'failed';
      if (!wanted || segment.state === 'done') continue;
      segment.state = 'queued';
      delete segment.error;
      delete segment.warning;
      this.hooks.onSegmentState(jobId, segment);
    }
    delete job.snapshot.error;
    this.enqueue(jobId);
  }

  private enqueue(jobId: string): void {
    const job = this.jobs.get(jobId)!;
    job.snapshot.status = 'queued';
    this.queue.push(jobId);
    this.hooks.onJobState(job.snapshot);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let jobId = this.queue.shift(); jobId; jobId = this.queue.shift()) await this.runOne(this.jobs.get(jobId)!);
    } finally {
      this.running = false;
    }
  }

  private async runOne(job: Job): Promise<void> {
    const { snapshot } = job;
    const controller = new AbortController();
    job.controller = controller;
    snapshot.status = 'running';
    snapshot.startedAt = Date.now();
    delete snapshot.finishedAt;
    this.hooks.onJobState(snapshot);
    const options = job.options!;
    const tag = `job ${path.basename(snapshot.input)} (${snapshot.jobId.slice(0, 8)})`;
    this.hooks.log('info', `${tag}: start, ${snapshot.input} → ${options.output ?? 'default output'}`);
    this.hooks.log(
      'info',
      `${tag}: settings: preset "${snapshot.preset}", ${options.crf !== undefined ? `crf ${options.crf}` : `target ${targetPhrase(options)}, crf ${options.minCrf}–${options.maxCrf}`}, svt preset ${options.preset}, segments of ${options.segmentSeconds} s, workers ${options.workers ?? 'auto'}, work dir ${options.workDir ?? 'next to the output'}`,
    );
    let lastJobNotice = 0;
    const onEvent = (event: JobEvent): void => {
      if (event.event === 'log') {
        this.hooks.log(event.level, event.message);
        return;
      }
      const change = applyEvent(snapshot, event);
      snapshot.elapsedSeconds = (Date.now() - snapshot.startedAt!) / 1000;
      if (change.kind === 'segment') {
        this.hooks.onSegmentState(snapshot.jobId, change.segment);
        logSegment((level, message) => this.hooks.log(level, message), tag, change.segment, snapshot);
      }
      // Progress events can be frequent; the editor needs a few per second at most.
      const now = Date.now();
      if (change.kind === 'job' && (event.event !== 'progress' || now - lastJobNotice > 250)) {
        lastJobNotice = now;
        this.hooks.onJobState(snapshot);
      }
    };
    try {
      const done = await this.hooks.run(job.options!, { jobId: snapshot.jobId, signal: controller.signal, onEvent });
      applyEvent(snapshot, done);
      this.hooks.log(
        'info',
        `${tag}: done, ${done.output}, ${done.bytes} bytes from ${done.sourceBytes ?? '?'} in ${done.seconds.toFixed(1)} s`,
      );
      for (const segment of snapshot.segments) {
        const warning = done.segments.find((s) => s.index === segment.index)?.warning;
        if (warning && !segment.warning) segment.warning = warning;
      }
    } catch (error) {
      const cancelled = controller.signal.aborted || error instanceof CancelledError;
      snapshot.status = job.interrupted ? 'interrupted' : cancelled ? 'cancelled' : 'failed';
      snapshot.error = cancelled ? snapshot.status : (error as Error).message;
      this.hooks.log(cancelled ? 'info' : 'error', `${tag}: ${snapshot.error}`);
    } finally {
      job.controller = undefined;
      job.interrupted = false;
      snapshot.finishedAt = Date.now();
      snapshot.elapsedSeconds = (snapshot.finishedAt - snapshot.startedAt) / 1000;
      this.hooks.onJobState(snapshot);
    }
  }
}

/** `XPSNR 42 dB (mean)`: the job's resolved target (common/quality-target.ts); `default` for a fixed-CRF default. */
function targetPhrase(options: EncodeOptions): string {
  const target = qualityTargetOf(options);
  return target ? describeTarget(target) : 'default';
}

/** One line per finished segment: info when done, warn with a warning, error when it failed. */
function logSegment(log: JobRegistryHooks['log'], tag: string, segment: SegmentSnapshot, job: JobSnapshot): void {
  const where = `${tag}: segment ${segment.index}`;
  if (segment.state === 'failed') log('error', `${where} failed: ${segment.error ?? 'unknown error'}`);
  else if (segment.state === 'done') {
    const facts = [
      segment.crf !== undefined ? `crf ${segment.crf}` : '',
      segmentScoreText(job, segment) ?? '',
      segment.bytes !== undefined ? `${segment.bytes} bytes` : '',
    ]
      .filter(Boolean)
      .join(', ');
    log(segment.warning ? 'warn' : 'info', `${where} done${facts ? `: ${facts}` : ''}${segment.warning ? `; ${segment.warning}` : ''}`);
  }
}
