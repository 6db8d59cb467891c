/**
 * Keeps the Problems panel in step with the jobs: each job's diagnostics go on its
 * segment_list.txt, or on its output once a successful job removed the list; a file that no longer
 * has any problem is published empty so the entry clears.
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { jobDiagnostics, outputDiagnostics, segmentListPath } from './job-diagnostics';
import type { JobSnapshot } from '../../../common/protocol';

export interface PublishHooks {
  publish(uri: string, diagnostics: Diagnostic[]): void;
  /** Diagnostics of other origins for the same file (e.g. missing files of an open list). */
  extra(uri: string): Diagnostic[];
}

export class JobDiagnostics {
  private readonly byUri = new Map<string, Diagnostic[]>();

  constructor(private readonly hooks: PublishHooks) {}

  refreshJob(job: JobSnapshot): void {
    const listPath = segmentListPath(job);
    if (!listPath) return;
    const uri = pathToFileURL(listPath).href;
    const listed = existsSync(listPath);
    this.byUri.set(uri, listed ? jobDiagnostics(job, readFileSync(listPath, 'utf8'), listPath) : []);
    this.refreshUri(uri);
    // A successful job removed its work directory, list included: what it still has to say (a
    // segment that stopped at maxCrf above the target) goes on the output video itself.
    if (job.output) {
      const outputUri = pathToFileURL(job.output).href;
      const onOutput = !listed && job.status === 'done' ? outputDiagnostics(job, job.output) : [];
      if (onOutput.length || this.byUri.has(outputUri)) {
        this.byUri.set(outputUri, onOutput);
        this.refreshUri(outputUri);
      }
    }
  }

  /** Clears the Problems entries of a job the user removed (its output's only when it had some). */
  forgetJob(job: JobSnapshot): void {
    for (const file of [segmentListPath(job), job.output]) {
      if (!file) continue;
      const uri = pathToFileURL(file).href;
      if (!this.byUri.delete(uri) && file === job.output) continue;
      this.refreshUri(uri);
    }
  }

  refreshUri(uri: string): void {
    this.hooks.publish(uri, [...(this.byUri.get(uri) ?? []), ...this.hooks.extra(uri)]);
  }
}
