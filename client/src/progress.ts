/**
 * A notification with progress and a Cancel button for each running job, and the message when it
 * ends: size, saving and time with Open/Reveal/Show Report, or the failure with Show Problems/Retry.
 */
import * as vscode from 'vscode';
import type { JobSnapshot } from '../../common/protocol';
import { openFile, revealFile } from './fileCommands';
import { completionMessage, jobPercent } from './format';
import type { JobStore } from './jobStore';

export interface JobActions {
  cancel(jobId: string): Promise<void>;
  retry(jobId: string): Promise<void>;
}

const TERMINAL = new Set(['done', 'failed', 'cancelled', 'interrupted']);

export function trackJobProgress(store: JobStore, actions: JobActions): vscode.Disposable {
  const shown = new Set<string>();
  return store.onDidChange((job) => {
    if (!job || job.status !== 'running' || shown.has(job.jobId)) return;
    shown.add(job.jobId);
    void showProgress(store, job.jobId, actions).finally(() => shown.delete(job.jobId));
  });
}

async function showProgress(store: JobStore, jobId: string, actions: JobActions): Promise<void> {
  const name = store.get(jobId)?.input.split(/[\\/]/).pop() ?? jobId;
  const finished = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `AV1: ${name}`, cancellable: true },
    (progress, token) =>
      new Promise<JobSnapshot | undefined>((resolve) => {
        let reported = 0;
        const cancelSubscription = token.onCancellationRequested(() => void actions.cancel(jobId));
        const update = () => {
          const job = store.get(jobId);
          if (!job || TERMINAL.has(job.status)) {
            subscription.dispose();
            cancelSubscription.dispose();
            resolve(job);
            return;
          }
          const percent = jobPercent(job);
          progress.report({
            increment: Math.max(0, percent - reported),
            message: `${job.segmentsDone}/${job.segmentsTotal || '?'} segments · ${percent}%`,
          });
          reported = Math.max(reported, percent);
        };
        const subscription = store.onDidChange((changed) => {
          if (!changed || changed.jobId === jobId) update();
        });
        update();
      }),
  );
  if (finished) await announce(finished, actions);
}

async function announce(job: JobSnapshot, actions: JobActions): Promise<void> {
  if (job.status === 'done' && job.output) {
    const grew = job.outputBytes !== undefined && job.sourceBytes !== undefined && job.outputBytes > job.sourceBytes;
    const show = grew ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const choice = await show(completionMessage(job), 'Open', 'Reveal', 'Show Report');
    if (choice === 'Open') await openFile(job.output);
    if (choice === 'Reveal') await revealFile(job.output);
    if (choice === 'Show Report') await vscode.commands.executeCommand('chunkedAv1.showReport', job.jobId);
  } else if (job.status === 'failed') {
    const name = job.input.split(/[\\/]/).pop();
    const choice = await vscode.window.showErrorMessage(
      `AV1 failed: ${name}: ${job.error ?? 'see the Problems panel'}`,
      'Show Problems',
      'Retry',
    );
    if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
    if (choice === 'Retry') await actions.retry(job.jobId);
  }
}
