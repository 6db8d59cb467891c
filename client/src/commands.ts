/** Every command of the extension: encode (one file, many, with a preset) and the tree item actions. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CancelJob, ResumeJob, RetrySegments, StartJob } from '../../common/protocol';
import { describePreset, presetNames, VIDEO_EXTENSIONS } from './config';
import { request } from './languageClient';
import type { JobStore } from './jobStore';
import type { JobTreeNode } from './tree';

export interface CommandContext {
  client: LanguageClient;
  store: JobStore;
  reveal(): Promise<void>;
  /** Wall-clock time of the last "Encode to AV1" click, for the click → first segment figure. */
  lastEncodeAt: Map<string, number>;
}

/** The Explorer passes the clicked item and the whole selection; a multi-selection queues every video. */
function selectedVideos(clicked?: vscode.Uri, selection?: vscode.Uri[]): vscode.Uri[] {
  const all = selection?.length ? selection : clicked ? [clicked] : [];
  return all.filter((uri) => uri.scheme === 'file' && VIDEO_EXTENSIONS.test(uri.path));
}

async function pickVideos(): Promise<vscode.Uri[]> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: true, openLabel: 'Encode to AV1',
    filters: { Videos: ['mkv', 'mp4', 'mov', 'webm', 'avi', 'm2ts', 'ts', 'm4v'] },
  });
  return picked ?? [];
}

async function pickPreset(scope?: vscode.Uri): Promise<string | undefined> {
  const { names, defaultPreset, presets } = presetNames(scope);
  const picked = await vscode.window.showQuickPick(
    names.map((name) => ({ label: name, description: describePreset(presets[name]!), picked: name === defaultPreset })),
    { title: 'Encode to AV1 with preset', placeHolder: 'Preset (edit them in the chunkedAv1.presets setting)' },
  );
  return picked?.label;
}

async function encode(ctx: CommandContext, files: vscode.Uri[], preset?: string): Promise<string[]> {
  const jobIds: string[] = [];
  for (const file of files) {
    const clickedAt = Date.now();
    try {
      const { jobId } = await request(ctx.client, StartJob, { input: file.fsPath, preset });
      ctx.lastEncodeAt.set(jobId, clickedAt);
      jobIds.push(jobId);
    } catch (error) {
      void vscode.window.showErrorMessage(`Chunked AV1: ${(error as Error).message}`);
    }
  }
  if (jobIds.length) void ctx.reveal();
  return jobIds;
}

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const job = (node?: JobTreeNode) => (node ? ctx.store.get(node.jobId) : undefined);
  const segment = (node?: JobTreeNode) => (node?.kind === 'segment' ? job(node)?.segments.find((s) => s.index === node.index) : undefined);
  const register = (id: string, run: (...args: any[]) => unknown) => vscode.commands.registerCommand(id, run);
  return [
    register('chunkedAv1.encode', async (clicked?: vscode.Uri, selection?: vscode.Uri[]) => {
      const files = selectedVideos(clicked, selection);
      const targets = files.length ? files : await pickVideos();
      const { defaultPreset } = presetNames(targets[0]);
      const preset = defaultPreset ?? await pickPreset(targets[0]);
      if (!preset) return [];
      return encode(ctx, targets, preset);
    }),
    register('chunkedAv1.encodeWithPreset', async (clicked?: vscode.Uri, selection?: vscode.Uri[]) => {
      const files = selectedVideos(clicked, selection);
      const targets = files.length ? files : await pickVideos();
      if (!targets.length) return [];
      const preset = await pickPreset(targets[0]);
      return preset ? encode(ctx, targets, preset) : [];
    }),
    register('chunkedAv1.encodeVideo', async () => {
      const targets = await pickVideos();
      return targets.length ? vscode.commands.executeCommand('chunkedAv1.encode', targets[0], targets) : [];
    }),
    register('chunkedAv1.showJobs', () => ctx.reveal()),
    register('chunkedAv1.cancelJob', (node?: JobTreeNode) => {
      const target = job(node);
      return target && request(ctx.client, CancelJob, { jobId: target.jobId });
    }),
    register('chunkedAv1.resumeJob', (node?: JobTreeNode) => {
      const target = job(node);
      return target && request(ctx.client, ResumeJob, { jobId: target.jobId });
    }),
    register('chunkedAv1.retryFailed', (node?: JobTreeNode) => {
      const target = job(node);
      return target && request(ctx.client, RetrySegments, { jobId: target.jobId });
    }),
    register('chunkedAv1.retrySegment', (node?: JobTreeNode) => {
      const target = segment(node);
      return target && node && request(ctx.client, RetrySegments, { jobId: node.jobId, segments: [target.index] });
    }),
    register('chunkedAv1.revealSegmentFile', (node?: JobTreeNode) => {
      const file = segment(node)?.file;
      return file && vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(file));
    }),
    register('chunkedAv1.openOutput', (node?: JobTreeNode) => {
      const output = job(node)?.output;
      // A video opens in the system's player, not in an editor tab.
      return output && vscode.env.openExternal(vscode.Uri.file(output));
    }),
    register('chunkedAv1.openWorkFolder', (node?: JobTreeNode) => {
      const workDir = job(node)?.workDir;
      return workDir && vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(workDir));
    }),
  ];
}
