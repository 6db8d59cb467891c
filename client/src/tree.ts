/** The "AV1 Jobs" tree: jobs, and under each its segments with state icon, description and probes. */
import * as vscode from 'vscode';
import type { JobSnapshot, JobStatus, SegmentSnapshot } from '../../common/protocol';
import {
  jobDescription,
  jobTooltip,
  newestFirst,
  segmentDescription,
  segmentDisplayState,
  segmentTooltip,
  type SegmentDisplayState,
} from './format';
import type { JobStore } from './jobStore';

export type JobTreeNode = { kind: 'job'; jobId: string } | { kind: 'segment'; jobId: string; index: number };

const SEGMENT_ICONS: Record<SegmentDisplayState, [string, string?]> = {
  cancelled: ['circle-slash'],
  queued: ['circle-outline'],
  searching: ['search', 'charts.yellow'],
  encoding: ['sync~spin', 'charts.blue'],
  validating: ['checklist', 'charts.blue'],
  done: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  skipped: ['debug-step-over'],
};

const JOB_ICONS: Record<JobStatus, [string, string?]> = {
  queued: ['clock'],
  running: ['sync~spin', 'charts.blue'],
  done: ['pass-filled', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash'],
  interrupted: ['debug-pause', 'charts.yellow'],
};

const icon = ([id, color]: [string, string?]) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);

export class JobTreeProvider implements vscode.TreeDataProvider<JobTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: JobStore) {
    this.subscription = store.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(node?: JobTreeNode): JobTreeNode[] {
    if (!node) return newestFirst(this.store.list()).map((job) => ({ kind: 'job', jobId: job.jobId }));
    if (node.kind === 'segment') return [];
    return (this.store.get(node.jobId)?.segments ?? []).map((s) => ({ kind: 'segment', jobId: node.jobId, index: s.index }));
  }

  getParent(node: JobTreeNode): JobTreeNode | undefined {
    return node.kind === 'segment' ? { kind: 'job', jobId: node.jobId } : undefined;
  }

  getTreeItem(node: JobTreeNode): vscode.TreeItem {
    const job = this.store.get(node.jobId);
    if (!job) return new vscode.TreeItem('(gone)');
    if (node.kind === 'job') return jobItem(job);
    const segment = job.segments.find((s) => s.index === node.index);
    return segment ? segmentItem(job, segment) : new vscode.TreeItem('(gone)');
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function jobItem(job: JobSnapshot): vscode.TreeItem {
  const name = job.input.split(/[\\/]/).pop() ?? job.input;
  // Always expandable: VS Code keeps an item's first collapsible state (by id), and segments arrive later.
  const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `job:${job.jobId}`;
  item.description = jobDescription(job);
  item.tooltip = new vscode.MarkdownString(jobTooltip(job));
  item.iconPath = icon(JOB_ICONS[job.status]);
  const failed = job.segments.some((s) => s.state === 'failed');
  item.contextValue = `job.${job.status}${failed ? '.hasFailed' : ''}${job.workDir ? '.hasWorkDir' : ''}${job.output ? '.hasOutput' : ''}`;
  return item;
}

function segmentItem(job: JobSnapshot, segment: SegmentSnapshot): vscode.TreeItem {
  const item = new vscode.TreeItem(`Segment ${segment.index}`, vscode.TreeItemCollapsibleState.None);
  item.id = `segment:${job.jobId}:${segment.index}`;
  item.description = segmentDescription(segment, job);
  const state = segmentDisplayState(job, segment);
  item.tooltip = new vscode.MarkdownString(segmentTooltip(segment, state, job));
  item.iconPath = icon(SEGMENT_ICONS[state]);
  item.contextValue = `segment.${state}${segment.file ? '.hasFile' : ''}`;
  return item;
}
