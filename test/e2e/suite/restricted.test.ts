/** Runs in an untrusted workspace whose settings point ffmpegPath at the workspace's own program. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { RESTRICTED } from '../restrictedWorkspace';
import { api, waitFor } from './helpers';

describe('Chunked AV1 in restricted mode', () => {
  it('ignores a workspace-level chunkedAv1.ffmpegPath in an untrusted workspace', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace is untrusted');
    const ext = await api();
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const clip = vscode.Uri.file(path.join(folder, RESTRICTED.clip));
    const [jobId] = await vscode.commands.executeCommand<string[]>('chunkedAv1.encode', clip, [clip]);
    const job = await waitFor('the job', () => {
      const j = ext.store.get(jobId!);
      return j && (j.status === 'done' || j.status === 'failed') ? j : undefined;
    }, 180_000);
    assert.equal(job.status, 'done', job.error);
    assert.equal(existsSync(path.join(folder, RESTRICTED.marker)), false, "the workspace's program never ran");
    // The other, unrestricted settings of the workspace still apply.
    assert.equal(job.output, path.join(folder, 'out', 'clip.av1.mkv'));
  });
});
