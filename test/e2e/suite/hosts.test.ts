/**
 * chunkedAv1.hosts in the editor: the runner (test/e2e/run.ts) made real namespace hosts, each with
 * its own sshd (test/helpers/hosts.ts), and passed their addresses in CHUNKED_AV1_E2E_HOSTS; its
 * code-server carries CHUNKED_AV1_SSH_CONFIG, so the language server's ssh reaches them. Where such
 * hosts cannot be made, the runner says why in CHUNKED_AV1_E2E_HOSTS_SKIPPED and this test skips.
 * It runs after extension.test.ts, whose jobs made clip.mkv's output (hence overwrite).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import { StartJob, type JobSnapshot } from '../../../common/protocol';
import { E2E } from '../workspace';
import { api, waitFor } from './helpers';

describe('Chunked AV1 in VS Code with chunkedAv1.hosts', () => {
  it('encodes on namespace hosts over ssh; each segment description in the tree names the host that made it', async function () {
    const addresses = (process.env.CHUNKED_AV1_E2E_HOSTS ?? '').split(',').filter(Boolean);
    if (addresses.length === 0) {
      // run.ts says why it made none; another runner (test-electron) makes no hosts.
      console.log(`      skipped: ${process.env.CHUNKED_AV1_E2E_HOSTS_SKIPPED ?? 'this runner made no namespace hosts'}`);
      this.skip();
    }
    const ext = await api();
    const config = vscode.workspace.getConfiguration('chunkedAv1');
    // Machine scope: never read from the workspace, so it goes to the user (machine) settings.
    await config.update(
      'hosts',
      addresses.map((address) => `1/${address}`),
      vscode.ConfigurationTarget.Global,
    );
    try {
      const input = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, E2E.clip);
      const { jobId } = await ext.client.sendRequest<{ jobId: string }>(StartJob.method, { input, overwrite: true });
      const job = await waitFor<JobSnapshot>(
        'the hosts job to finish',
        () => {
          const state = ext.store.get(jobId);
          return state && ['done', 'failed', 'cancelled'].includes(state.status) ? state : undefined;
        },
        180_000,
      );
      assert.equal(job.status, 'done', job.error);
      const segmentNodes = ext.tree.getChildren({ kind: 'job', jobId });
      assert.equal(segmentNodes.length, job.segmentsTotal);
      assert.ok(segmentNodes.length >= 2, 'the clip is split into several segments');
      for (const node of segmentNodes) {
        assert.equal(node.kind, 'segment');
        const segment = job.segments.find((s) => node.kind === 'segment' && s.index === node.index)!;
        assert.ok(
          addresses.includes(segment.host ?? ''),
          `segment ${segment.index} was made by one of the namespace hosts, not "${segment.host}"`,
        );
        const description = String(ext.tree.getTreeItem(node).description);
        assert.ok(description.includes(`on ${segment.host}`), `segment ${segment.index}: "${description}" names ${segment.host}`);
      }
    } finally {
      await config.update('hosts', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
