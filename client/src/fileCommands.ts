/** Runs the action fileActions.ts chooses for where this window is (desktop, remote, web). */
import path from 'node:path';
import * as vscode from 'vscode';
import { openAction, revealAction, type Host, type OpenAction, type RevealAction } from './fileActions';

export function currentHost(): Host {
  return { uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop', remoteName: vscode.env.remoteName };
}

function inWorkspace(file: string): boolean {
  return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file)) !== undefined;
}

/** Shows the file (or folder) where the user can act on it; returns what it did, for the tests. */
export async function revealFile(file: string): Promise<RevealAction> {
  const uri = vscode.Uri.file(file);
  const action = revealAction(currentHost(), inWorkspace(file));
  if (action === 'revealInOS') await vscode.commands.executeCommand('revealFileInOS', uri);
  else if (action === 'revealInExplorer') await vscode.commands.executeCommand('revealInExplorer', uri);
  else {
    await vscode.env.clipboard.writeText(file);
    void vscode.window.showInformationMessage(
      `Chunked AV1: copied the path of "${path.basename(file)}" (it is outside the workspace): ${file}`,
    );
  }
  return action;
}

/**
 * Opens a video in the system's player on a desktop with local files. Elsewhere no player on the
 * user's machine can reach it and an editor tab would show binary text, so offer Reveal / Copy Path.
 */
export async function openFile(file: string): Promise<OpenAction> {
  const action = openAction(currentHost());
  if (action === 'openExternal') {
    await vscode.env.openExternal(vscode.Uri.file(file));
    return action;
  }
  void vscode.window
    .showInformationMessage(
      `Chunked AV1: "${path.basename(file)}" is on ${vscode.env.remoteName ? `the remote machine (${vscode.env.remoteName})` : 'the server'}; play it there or download it from the Explorer.`,
      'Reveal',
      'Copy Path',
    )
    .then(async (choice) => {
      if (choice === 'Reveal') await revealFile(file);
      if (choice === 'Copy Path') await vscode.env.clipboard.writeText(file);
    });
  return action;
}
