/** Helpers for tests running inside the extension host. */
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ChunkedAv1Api } from '../../../client/src/extension';
import { StartJob, type JobSnapshot, type StartJobParams } from '../../../common/protocol';
import { E2E } from '../workspace';

export async function api(): Promise<ChunkedAv1Api> {
  const extension = vscode.extensions.getExtension<ChunkedAv1Api>(E2E.extensionId);
  if (!extension) throw new Error(`extension ${E2E.extensionId} is not loaded`);
  return extension.activate();
}

/** Polls until `probe` returns something other than undefined. */
export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Figures the runner reports (activation time, click → first segment state). */
export function writeFigures(figures: Record<string, number>): void {
  const file = process.env.CHUNKED_AV1_E2E_FIGURES;
  if (file) writeFileSync(file, JSON.stringify(figures, null, 2));
}

/** Starts a job through the server's StartJob request and waits until it is done, failed or cancelled. */
export async function runJob(ext: ChunkedAv1Api, params: StartJobParams, what: string): Promise<JobSnapshot> {
  const { jobId } = await ext.client.sendRequest<{ jobId: string }>(StartJob.method, params);
  return waitFor<JobSnapshot>(
    `${what} to finish`,
    () => {
      const state = ext.store.get(jobId);
      return state && ['done', 'failed', 'cancelled'].includes(state.status) ? state : undefined;
    },
    180_000,
  );
}
