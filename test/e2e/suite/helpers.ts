/** Helpers for tests running inside the extension host. */
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ChunkedAv1Api } from '../../../client/src/extension';
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
