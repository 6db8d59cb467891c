/**
 * Runs in an untrusted workspace whose settings point ffmpegPath at the workspace's own program,
 * outputPath at a file beside the workspace and workDirectory outside it.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { RESTRICTED } from '../restrictedWorkspace';
import { api, waitFor } from './helpers';

describe('Chunked AV1 in restricted mode', () => {
  it('ignores workspace-level ffmpegPath, outputPath, workDirectory and hosts in an untrusted workspace', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace is untrusted');
    const ext = await api();
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const config = vscode.workspace.getConfiguration('chunkedAv1');
    for (const key of ['ffmpegPath', 'outputPath', 'workDirectory', 'hosts', 'hostsStrict']) {
      assert.equal(config.inspect(key)?.workspaceValue, undefined, `VS Code withholds the workspace's ${key}`);
    }
    const clip = vscode.Uri.file(path.join(folder, RESTRICTED.clip));
    const [jobId] = await vscode.commands.executeCommand<string[]>('chunkedAv1.encode', clip, [clip]);
    assert.ok(jobId, 'the job starts without asking (the default output is beside the video)');
    const job = await waitFor(
      'the job',
      () => {
        const j = ext.store.get(jobId);
        return j && (j.status === 'done' || j.status === 'failed') ? j : undefined;
      },
      180_000,
    );
    assert.equal(job.status, 'done', job.error);
    assert.equal(existsSync(path.join(folder, RESTRICTED.marker)), false, "the workspace's program never ran");
    assert.equal(job.output, path.join(folder, 'clip.av1.mkv'), "the default output path, not the workspace's");
    assert.equal(
      readFileSync(path.resolve(folder, RESTRICTED.victim), 'utf8'),
      RESTRICTED.victimContent,
      'the file beside the workspace is untouched',
    );
    assert.equal(existsSync(path.resolve(folder, RESTRICTED.foreignWorkDirectory)), false, 'no work directory where the workspace pointed');
    assert.ok(
      job.segments.length > 0 && job.segments.every((s) => s.state === 'done' && s.host === undefined),
      "every segment made here, none sent to the workspace's host",
    );
    // The other, unrestricted settings of the workspace still apply.
    assert.equal(job.preset, 'e2e');
  });
});
