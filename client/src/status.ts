/** The status bar item: progress of the running job; hidden when nothing runs. */
import * as vscode from 'vscode';
import { statusAccessibleLabel, statusText, statusTooltip } from './format';
import type { JobStore } from './jobStore';

export function createStatusItem(store: JobStore, revealCommand: string): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('chunkedAv1.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Chunked AV1';
  item.command = revealCommand;
  const update = () => {
    const text = statusText(store.list());
    if (text) {
      item.text = text;
      item.tooltip = statusTooltip(store.list());
      item.accessibilityInformation = { label: statusAccessibleLabel(store.list())!, role: 'button' };
      item.show();
    } else {
      item.hide();
    }
  };
  const subscription = store.onDidChange(update);
  update();
  return vscode.Disposable.from(item, subscription);
}
