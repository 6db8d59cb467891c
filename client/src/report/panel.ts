/**
 * The report panel (#15): a webview showing a job's quality report, drawn by dist/report-webview.js
 * (the same page script as the CLI's HTML report). The model comes from the server
 * (chunkedAv1/jobReport); while the job runs the panel asks again as segments finish (at most once
 * a second). Clicking a segment reveals it in the jobs tree. A WebviewPanelSerializer restores the
 * panel after a window reload (the webview keeps its job id in its state).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { JobSnapshot } from '../../../common/protocol';
import type { QualityReport, ReportFromWebview, ReportToWebview } from '../../../common/report';
import { reportPageHtml } from '../../../common/report-page';
import type { JobTreeNode } from '../tree';

export const REPORT_VIEW_TYPE = 'chunkedAv1.report';
const REFRESH_MS = 1000;

export interface ReportPanelContext {
  extensionUri: vscode.Uri;
  /** The server's report of a job, or null when it has no manifest (yet, or any more). */
  fetchReport(jobId: string): Promise<QualityReport | null>;
  jobs(): JobSnapshot[];
  /** Fires when a job's state or one of its segments changed. */
  onJobChanged: vscode.Event<JobSnapshot | undefined>;
  revealSegment(jobId: string, index: number): Thenable<void>;
  /** *Add Zone for This Segment* from a chart bar (issue 26): the tree's own command, for this job's segment. */
  addZone(jobId: string, index: number): Thenable<unknown>;
}

function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'report-webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'report-webview.css'));
  const csp = `default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; script-src 'nonce-${nonce}'`;
  return reportPageHtml({
    csp,
    head: [`<link rel="stylesheet" href="${style.toString()}">`],
    body: [`<script nonce="${nonce}" src="${script.toString()}"></script>`],
  });
}

class ReportPanel implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSent = 0;

  constructor(
    readonly jobId: string,
    readonly panel: vscode.WebviewPanel,
    private readonly ctx: ReportPanelContext,
    onDispose: () => void,
  ) {
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(ctx.extensionUri, 'dist')] };
    panel.webview.html = pageHtml(panel.webview, ctx.extensionUri);
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((message: ReportFromWebview) => {
        if (message.type === 'ready') void this.refresh();
        else if (message.type === 'revealSegment' && Number.isInteger(message.index)) void ctx.revealSegment(jobId, message.index);
        else if (message.type === 'addZone' && Number.isInteger(message.index)) void ctx.addZone(jobId, message.index);
      }),
      ctx.onJobChanged((job) => {
        if (!job || job.jobId === jobId) this.scheduleRefresh();
      }),
      panel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
    );
  }

  /** At most one request a second while segments finish; the last change is never lost. */
  private scheduleRefresh(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastSent + REFRESH_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, wait);
  }

  async refresh(): Promise<void> {
    this.lastSent = Date.now();
    try {
      const report = await this.ctx.fetchReport(this.jobId);
      if (!report) return;
      const name = report.input.split(/[\\/]/).pop() ?? report.input;
      this.panel.title = `Report: ${name}`;
      const message: ReportToWebview = { type: 'report', report, job: this.jobId };
      await this.panel.webview.postMessage(message);
    } catch (error) {
      void vscode.window.showWarningMessage(
        `Chunked AV1: no report for this job: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

async function pickJob(jobs: JobSnapshot[]): Promise<string | undefined> {
  if (jobs.length === 1) return jobs[0]?.jobId;
  const picked = await vscode.window.showQuickPick(
    jobs.map((job) => ({
      label: job.input.split(/[\\/]/).pop() ?? job.input,
      description: job.status,
      detail: job.input,
      jobId: job.jobId,
    })),
    { placeHolder: 'Show the quality report of which job?' },
  );
  return picked?.jobId;
}

/** `chunkedAv1.showReport` (job node, job id, or a pick) and the panel serializer. */
export function registerReportPanels(ctx: ReportPanelContext): vscode.Disposable[] {
  const panels = new Map<string, ReportPanel>();
  const adopt = (jobId: string, panel: vscode.WebviewPanel) => {
    const report = new ReportPanel(jobId, panel, ctx, () => panels.delete(jobId));
    panels.set(jobId, report);
    return report;
  };
  const show = async (target?: JobTreeNode | string) => {
    const jobs = ctx.jobs();
    const jobId = typeof target === 'string' ? target : (target?.jobId ?? (jobs.length ? await pickJob(jobs) : undefined));
    if (!jobId) {
      if (!jobs.length) void vscode.window.showInformationMessage('Chunked AV1: no job to report on yet.');
      return;
    }
    const open = panels.get(jobId);
    if (open) {
      open.panel.reveal();
      return;
    }
    adopt(jobId, vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, 'Quality report', vscode.ViewColumn.Active, { enableScripts: true }));
  };
  return [
    vscode.commands.registerCommand('chunkedAv1.showReport', show),
    vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
      deserializeWebviewPanel(panel, state: unknown) {
        const jobId = (state as { job?: unknown } | undefined)?.job;
        if (typeof jobId === 'string') adopt(jobId, panel);
        else panel.dispose();
        return Promise.resolve();
      },
    }),
    {
      dispose: () => {
        for (const panel of panels.values()) panel.panel.dispose();
      },
    },
  ];
}
