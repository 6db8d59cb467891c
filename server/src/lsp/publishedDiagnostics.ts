/**
 * Keeps the Problems panel in step with the jobs: each job's diagnostics go on its
 * segment_list.txt; a list that no longer has any problem is published empty so the entry clears.
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { jobDiagnostics, segmentListPath } from './jobDiagnostics';
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
    const list = existsSync(listPath) ? jobDiagnostics(job, readFileSync(listPath, 'utf8'), listPath) : [];
    this.byUri.set(uri, list);
    this.refreshUri(uri);
  }

  /** Clears the Problems entries of a job the user removed. */
  forgetJob(job: JobSnapshot): void {
    const listPath = segmentListPath(job);
    if (!listPath) return;
    const uri = pathToFileURL(listPath).href;
    this.byUri.delete(uri);
    this.refreshUri(uri);
  }

  refreshUri(uri: string): void {
    this.hooks.publish(uri, [...(this.byUri.get(uri) ?? []), ...this.hooks.extra(uri)]);
  }
}
