/** Every command of the extension: encode (one file, many, with a preset) and the tree item actions. */
import * as vscode from 'vscode';
import path from 'node:path';
import { ResponseError, type LanguageClient } from 'vscode-languageclient/node';
import {
  AddZoneForSegment,
  CancelJob,
  NEEDS_CONFIRMATION,
  PresetProblems,
  RemoveJobs,
  ResumeJob,
  RetrySegments,
  StartJob,
  type StartJobParams,
  type StartJobRefusal,
} from '../../common/protocol';
import { describePreset, presetNames, VIDEO_EXTENSIONS } from './config';
import { openFile, revealFile } from './fileCommands';
import { finishedJobs } from './format';
import { request } from './languageClient';
import type { JobStore } from './jobStore';
import type { JobTreeNode } from './tree';
import { checkFfmpeg } from './toolCheck';

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
    canSelectMany: true,
    openLabel: 'Encode to AV1',
    filters: { Videos: ['mkv', 'mp4', 'mov', 'webm', 'avi', 'm2ts', 'ts', 'm4v'] },
  });
  return picked ?? [];
}

/**
 * The preset quick pick. The server says which presets are invalid (it owns their validation); those
 * are listed apart with their problem, and choosing one shows the problem instead of starting a job.
 */
async function pickPreset(ctx: CommandContext, scope?: vscode.Uri): Promise<string | undefined> {
  const { names, defaultPreset, presets } = presetNames(scope);
  const { invalid } = await request(ctx.client, PresetProblems, { scopeUri: scope?.toString() });
  const valid = names.filter((name) => !(name in invalid));
  const broken = names.filter((name) => name in invalid);
  type Item = vscode.QuickPickItem & { preset?: string; problem?: string };
  const items: Item[] = valid.map((name) => ({
    label: name,
    preset: name,
    description: describePreset(presets[name]!),
    picked: name === defaultPreset,
  }));
  if (broken.length) {
    items.push({ label: 'Invalid: fix them in the chunkedAv1.presets setting', kind: vscode.QuickPickItemKind.Separator });
    for (const name of broken)
      items.push({ label: `$(error) ${name}`, description: 'invalid', detail: invalid[name], problem: invalid[name] });
  }
  for (;;) {
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Encode to AV1 with preset',
      placeHolder: 'Preset (edit them in the chunkedAv1.presets setting)',
    });
    if (!picked?.problem) return picked?.preset;
    await vscode.window.showErrorMessage(`Chunked AV1: ${picked.problem}`, { modal: true });
  }
}

async function encode(ctx: CommandContext, files: vscode.Uri[], preset?: string): Promise<string[]> {
  const jobIds: string[] = [];
  for (const file of files) {
    const clickedAt = Date.now();
    try {
      const jobId = await startJob(ctx, { input: file.fsPath, preset });
      if (!jobId) continue;
      ctx.lastEncodeAt.set(jobId, clickedAt);
      jobIds.push(jobId);
    } catch (error) {
      void vscode.window.showErrorMessage(`Chunked AV1: ${(error as Error).message}`);
    }
  }
  if (jobIds.length) void ctx.reveal();
  return jobIds;
}

/**
 * Starts a job; when the server refuses until the user agrees (an output outside the workspace, a
 * file already at the output path), asks with a modal and asks the server again with the consent.
 * Undefined when the user cancels.
 */
async function startJob(ctx: CommandContext, params: StartJobParams): Promise<string | undefined> {
  for (;;) {
    try {
      return (await request(ctx.client, StartJob, params)).jobId;
    } catch (error) {
      const refusal = confirmationNeeded(error);
      if (!refusal) throw error;
      if (!(await confirm(refusal))) return undefined;
      if (refusal.reason === 'outputExists') params = { ...params, overwrite: true };
      else params = { ...params, allowOutsideWorkspace: true };
    }
  }
}

function confirmationNeeded(error: unknown): StartJobRefusal | undefined {
  if (!(error instanceof ResponseError) || error.code !== NEEDS_CONFIRMATION) return undefined;
  return error.data as StartJobRefusal;
}

async function confirm(refusal: StartJobRefusal): Promise<boolean> {
  const name = path.basename(refusal.output);
  if (refusal.reason === 'outputExists') {
    const choice = await vscode.window.showWarningMessage(
      `"${name}" already exists. Replace it with the AV1 encode?`,
      { modal: true, detail: refusal.output },
      'Replace',
    );
    return choice === 'Replace';
  }
  const choice = await vscode.window.showWarningMessage(
    `The output "${name}" would be written outside the workspace and the video's folder. Write it there?`,
    { modal: true, detail: `${refusal.output}\n\nSet by chunkedAv1.outputPath.` },
    'Write There',
  );
  return choice === 'Write There';
}

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const job = (node?: JobTreeNode) => (node ? ctx.store.get(node.jobId) : undefined);
  const segment = (node?: JobTreeNode) => (node?.kind === 'segment' ? job(node)?.segments.find((s) => s.index === node.index) : undefined);
  const register = (id: string, run: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, run);
  return [
    register('chunkedAv1.encode', async (clicked?: vscode.Uri, selection?: vscode.Uri[]) => {
      const files = selectedVideos(clicked, selection);
      const targets = files.length ? files : await pickVideos();
      const { defaultPreset } = presetNames(targets[0]);
      const preset = defaultPreset ?? (await pickPreset(ctx, targets[0]));
      if (!preset) return [];
      return encode(ctx, targets, preset);
    }),
    register('chunkedAv1.encodeWithPreset', async (clicked?: vscode.Uri, selection?: vscode.Uri[]) => {
      const files = selectedVideos(clicked, selection);
      const targets = files.length ? files : await pickVideos();
      if (!targets.length) return [];
      const preset = await pickPreset(ctx, targets[0]);
      return preset ? encode(ctx, targets, preset) : [];
    }),
    register('chunkedAv1.encodeVideo', async () => {
      const targets = await pickVideos();
      return targets.length ? vscode.commands.executeCommand('chunkedAv1.encode', targets[0], targets) : [];
    }),
    register('chunkedAv1.showJobs', () => ctx.reveal()),
    register('chunkedAv1.checkFfmpeg', () => checkFfmpeg(ctx.client)),
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
    register('chunkedAv1.clearFinishedJobs', async () => {
      const jobIds = finishedJobs(ctx.store.list()).map((j) => j.jobId);
      const { jobs } = await request(ctx.client, RemoveJobs, { jobIds });
      ctx.store.replaceAll(jobs);
    }),
    register('chunkedAv1.removeJob', async (node?: JobTreeNode) => {
      const target = job(node);
      if (!target) return;
      const { jobs } = await request(ctx.client, RemoveJobs, { jobIds: [target.jobId] });
      ctx.store.replaceAll(jobs);
    }),
    register('chunkedAv1.encodeAgain', (node?: JobTreeNode) => {
      const target = job(node);
      // The same source and preset; settings are read afresh, and an existing output is replaced only after Replace.
      return target ? encode(ctx, [vscode.Uri.file(target.input)], target.preset) : [];
    }),
    register('chunkedAv1.addZoneForSegment', async (node?: JobTreeNode) => {
      const target = segment(node);
      if (!target || !node) return undefined;
      // The server computes the line and the edit (INPUT.zones, created when missing); the client applies and shows it.
      const result = await request(ctx.client, AddZoneForSegment, { jobId: node.jobId, segment: target.index });
      if (!(await vscode.workspace.applyEdit(await ctx.client.protocol2CodeConverter.asWorkspaceEdit(result.edit)))) {
        void vscode.window.showErrorMessage(`Could not add the zone to ${vscode.Uri.parse(result.uri).fsPath}.`);
        return undefined;
      }
      const uri = vscode.Uri.parse(result.uri);
      const at = new vscode.Position(result.line, 0);
      await vscode.window.showTextDocument(uri, { selection: new vscode.Range(at, at) });
      return uri;
    }),
    register('chunkedAv1.revealSegmentFile', (node?: JobTreeNode) => {
      const file = segment(node)?.file;
      return file && revealFile(file);
    }),
    register('chunkedAv1.openOutput', (node?: JobTreeNode) => {
      const output = job(node)?.output;
      return output && openFile(output);
    }),
    register('chunkedAv1.revealOutput', (node?: JobTreeNode) => {
      const output = job(node)?.output;
      return output && revealFile(output);
    }),
    register('chunkedAv1.openWorkFolder', (node?: JobTreeNode) => {
      const workDir = job(node)?.workDir;
      return workDir && revealFile(workDir);
    }),
  ];
}
