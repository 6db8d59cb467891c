/**
 * "Check ffmpeg" (the walkthrough's first step): asks the server to run its tool check on the
 * configured ffmpeg/ffprobe and says what it found; when something is missing, how to install it on
 * this operating system (the extension host's: where the server runs ffmpeg, also when remote).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CheckTools, type CheckToolsResult } from '../../common/protocol';
import { request } from './languageClient';
import { installHint, toolCheckSummary } from './toolText';

/** A context key the walkthrough's first step completes on (`onContext:`). */
export const FFMPEG_FOUND_CONTEXT = 'chunkedAv1.ffmpegFound';

export async function checkFfmpeg(client: LanguageClient, scope?: vscode.Uri): Promise<CheckToolsResult> {
  const result = await request(client, CheckTools, { scopeUri: scope?.toString() });
  await vscode.commands.executeCommand('setContext', FFMPEG_FOUND_CONTEXT, !result.problem);
  if (!result.problem) {
    void vscode.window.showInformationMessage(`Chunked AV1: ffmpeg found: ${toolCheckSummary(result)}.`);
    return result;
  }
  // A non-modal message shows no `detail`, so the install line is part of the message itself.
  void vscode.window
    .showWarningMessage(
      `Chunked AV1: ${toolCheckSummary(result)}. ${installHint(process.platform)} Or set chunkedAv1.ffmpegPath and chunkedAv1.ffprobePath.`,
      'Set ffmpeg Path',
    )
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'chunkedAv1.ffmpegPath');
    });
  return result;
}
