/** The client's copy of every job, fed by the server's jobState/segmentState notifications. */
import * as vscode from 'vscode';
import type { JobSnapshot, SegmentStateParams } from '../../common/protocol';

export class JobStore implements vscode.Disposable {
  private readonly jobs = new Map<string, JobSnapshot>();
  private readonly changed = new vscode.EventEmitter<JobSnapshot | undefined>();
  /** Fires with the job that changed, or undefined when the whole list was replaced. */
  readonly onDidChange = this.changed.event;
  /** Time of the first segment state seen per job (for the "click to first segment" figure). */
  readonly firstSegmentAt = new Map<string, number>();

  list(): JobSnapshot[] {
    return [...this.jobs.values()];
  }

  get(jobId: string): JobSnapshot | undefined {
    return this.jobs.get(jobId);
  }

  replaceAll(jobs: JobSnapshot[]): void {
    this.jobs.clear();
    for (const job of jobs) this.jobs.set(job.jobId, job);
    this.changed.fire(undefined);
  }

  updateJob(job: JobSnapshot): void {
    this.jobs.set(job.jobId, job);
    this.changed.fire(job);
  }

  updateSegment({ jobId, segment }: SegmentStateParams): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    if (!this.firstSegmentAt.has(jobId)) this.firstSegmentAt.set(jobId, Date.now());
    const at = job.segments.findIndex((s) => s.index === segment.index);
    if (at === -1) job.segments.push(segment);
    else job.segments[at] = segment;
    job.segmentsDone = job.segments.filter((s) => s.state === 'done' || s.state === 'skipped').length;
    this.changed.fire(job);
  }

  failedSegments(): number {
    return this.list().reduce((sum, job) => sum + job.segments.filter((s) => s.state === 'failed').length, 0);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
