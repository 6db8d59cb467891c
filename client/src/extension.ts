/**
 * The Chunked AV1 extension: starts the language server (which runs every job) and presents what it
 * reports — the "AV1 Jobs" tree, the status bar, progress notifications, the log. It runs no ffmpeg.
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { JobState, ListJobs, RetrySegments, CancelJob, SegmentStateChanged, JobReport } from '../../common/protocol';
import { registerCommands } from './commands';
import { createLanguageClient, onNotification, request, request0 } from './languageClient';
import { JobStore } from './jobStore';
import { trackJobProgress } from './progress';
import { createStatusItem } from './status';
import { JobTreeProvider, type JobTreeNode } from './tree';
import { registerReportPanels } from './report/panel';

const VIEW_ID = 'chunkedAv1.jobs';

/** What the extension hands to other extensions and to its own editor tests. */
export interface ChunkedAv1Api {
  client: LanguageClient;
  store: JobStore;
  tree: JobTreeProvider;
  activationMs: number;
  serverReadyMs: number;
  lastEncodeAt: Map<string, number>;
  restartServer(): Promise<void>;
}

export async function activate(context: vscode.ExtensionContext): Promise<ChunkedAv1Api> {
  const started = Date.now();
  const output = vscode.window.createOutputChannel('Chunked AV1', { log: true });
  const store = new JobStore();
  const tree = new JobTreeProvider(store);
  const view = vscode.window.createTreeView<JobTreeNode>(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const client = createLanguageClient(context, output);
  const lastEncodeAt = new Map<string, number>();

  const updateBadge = () => {
    const failed = store.failedSegments();
    view.badge = failed ? { value: failed, tooltip: `${failed} failed segment(s)` } : undefined;
    void vscode.commands.executeCommand('setContext', 'chunkedAv1.hasJobs', store.list().length > 0);
  };

  const reveal = async () => {
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
  };

  context.subscriptions.push(
    output,
    store,
    tree,
    view,
    store.onDidChange(updateBadge),
    onNotification(client, JobState, (job) => store.updateJob(job)),
    onNotification(client, SegmentStateChanged, (params) => store.updateSegment(params)),
    // After a (re)start the server knows the jobs of earlier runs: take its list as the truth.
    client.onDidChangeState(({ newState }) => {
      if (newState === State.Running) void request0(client, ListJobs).then(({ jobs }) => store.replaceAll(jobs));
    }),
    createStatusItem(store, 'chunkedAv1.showJobs'),
    trackJobProgress(store, {
      cancel: async (jobId) => {
        await request(client, CancelJob, { jobId });
      },
      retry: async (jobId) => {
        await request(client, RetrySegments, { jobId });
      },
    }),
    ...registerCommands({ client, store, reveal, lastEncodeAt }),
    vscode.commands.registerCommand('chunkedAv1.restartServer', () => client.restart()),
    vscode.commands.registerCommand('chunkedAv1.showLog', () => output.show()),
    // A zones file's code lens (#26) opens the jobs tree at the zone's first segment (at the job when no index).
    vscode.commands.registerCommand('chunkedAv1.revealInJobs', (jobId: string, index?: number) =>
      view.reveal(index === undefined ? { kind: 'job', jobId } : { kind: 'segment', jobId, index }, {
        select: true,
        focus: true,
        expand: true,
      }),
    ),
    ...registerReportPanels({
      extensionUri: context.extensionUri,
      fetchReport: (jobId) => request(client, JobReport, { jobId }),
      jobs: () => store.list(),
      onJobChanged: store.onDidChange,
      revealSegment: (jobId, index) => view.reveal({ kind: 'segment', jobId, index }, { select: true, focus: false, expand: true }),
      // The same command as the tree's segment menu, with the segment's node.
      addZone: (jobId, index) => vscode.commands.executeCommand('chunkedAv1.addZoneForSegment', { kind: 'segment', jobId, index }),
    }),
    { dispose: () => void client.stop() },
  );

  const activationMs = Date.now() - started;
  await client.start();
  const serverReadyMs = Date.now() - started;
  output.info(`activated in ${activationMs} ms; language server ready after ${serverReadyMs} ms`);
  updateBadge();
  return { client, store, tree, activationMs, serverReadyMs, lastEncodeAt, restartServer: () => client.restart() };
}

export function deactivate(): void {
  // The client is stopped through context.subscriptions.
}
