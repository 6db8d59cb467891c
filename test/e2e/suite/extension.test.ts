/**
 * Runs inside VS Code's extension host (code-server 4.100.3 here, desktop VS Code under
 * @vscode/test-electron). The workspace and its clips are prepared by test/e2e/workspace.ts.
 * Every encode is real: the language server runs ffmpeg/SVT-AV1 on small generated clips.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ChunkedAv1Api } from '../../../client/src/extension';
import type { PackageJson } from '../../helpers/package-json';
import {
  ListJobs,
  NEEDS_CONFIRMATION,
  StartJob,
  type CheckToolsResult,
  type JobSnapshot,
  type StartJobParams,
  type StartJobRefusal,
} from '../../../common/protocol';
import { newestFirst } from '../../../client/src/format';
import { E2E } from '../workspace';
import { api, waitFor, writeFigures } from './helpers';

const workspace = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const segmentListUri = (job: JobSnapshot) => vscode.Uri.file(path.join(job.workDir!, 'segment_list.txt'));
/** Command lines of the ffmpeg processes on this machine that name `text` (a clip or its work directory). */
const ffmpegsNaming = (text: string) =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      } catch {
        return []; // the process ended while the list was read
      }
    })
    .filter((argv) => path.basename(argv[0] ?? '') === 'ffmpeg' && argv.some((arg) => arg.includes(text)));
const ourDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'chunked-av1');

async function encode(ext: ChunkedAv1Api, file: string): Promise<JobSnapshot> {
  const uri = vscode.Uri.file(path.join(workspace(), file));
  const [jobId] = await vscode.commands.executeCommand<string[]>('chunkedAv1.encode', uri, [uri]);
  assert.ok(jobId, 'the command returns the job id at once');
  return waitFor(
    `job ${file} finished`,
    () => {
      const job = ext.store.get(jobId);
      return job && ['done', 'failed', 'cancelled'].includes(job.status) ? job : undefined;
    },
    180_000,
  );
}

describe('Chunked AV1 in VS Code', () => {
  let ext: ChunkedAv1Api;

  before(async () => {
    ext = await api();
  });

  it('contributes its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    const contributed: string[] = (vscode.extensions.getExtension(E2E.extensionId)!.packageJSON as PackageJson).contributes.commands.map(
      (c: { command: string }) => c.command,
    );
    assert.ok(contributed.length >= 10);
    for (const command of contributed) assert.ok(commands.includes(command), `${command} is registered`);
  });

  it('encodes a generated clip through the command: the tree fills with segments and the output exists', async () => {
    const job = await encode(ext, E2E.clip);
    assert.equal(job.status, 'done', job.error);
    assert.ok(job.output && existsSync(job.output), `output ${job.output} exists`);
    const [jobNode] = ext.tree.getChildren().filter((n) => n.jobId === job.jobId);
    assert.ok(jobNode);
    const segmentNodes = ext.tree.getChildren(jobNode);
    assert.equal(segmentNodes.length, job.segmentsTotal);
    assert.ok(segmentNodes.length >= 2, 'the clip is split into several segments');
    for (const node of segmentNodes) {
      const item = ext.tree.getTreeItem(node);
      assert.match(String(item.description), /crf \d+ · .*\d{2}:\d{2}:\d{2}–\d{2}:\d{2}:\d{2}/);
      // chunkedAv1.split is keyframe here: the tooltip says why each segment starts where it does.
      const why = node.kind === 'segment' && node.index === 0 ? 'first segment' : 'starts at a source keyframe';
      assert.ok((item.tooltip as vscode.MarkdownString).value.includes(`: ${why}`), (item.tooltip as vscode.MarkdownString).value);
      assert.equal(item.contextValue?.split('.')[1], 'done');
    }
    const clickedAt = ext.lastEncodeAt.get(job.jobId)!;
    const firstSegmentAt = ext.store.firstSegmentAt.get(job.jobId)!;
    writeFigures({ activationMs: ext.activationMs, serverReadyMs: ext.serverReadyMs, encodeToFirstSegmentMs: firstSegmentAt - clickedAt });
  });

  it('takes the web/remote fallbacks for Open, Reveal and Open Work Folder in code-server', async () => {
    assert.equal(vscode.env.uiKind, vscode.UIKind.Web, 'code-server is a web client');
    const job = newestFirst(ext.store.list()).find((j) => j.status === 'done' && j.input.endsWith(E2E.clip))!;
    const node = { kind: 'job' as const, jobId: job.jobId };
    assert.equal(
      await vscode.commands.executeCommand('chunkedAv1.openOutput', node),
      'offerRevealOrCopy',
      'no binary text tab, no player that cannot reach the file',
    );
    assert.equal(
      await vscode.commands.executeCommand('chunkedAv1.revealOutput', node),
      'revealInExplorer',
      'the output is in the workspace',
    );
    assert.equal(await vscode.commands.executeCommand('chunkedAv1.openWorkFolder', node), 'revealInExplorer');
    // FAKE: a copy of that job's snapshot, in the client only, with its output outside the workspace
    // (a real one would need the consent modal, which a test cannot click): the path is copied.
    const outside = path.join(path.dirname(workspace()), 'elsewhere.av1.mkv');
    ext.store.updateJob({ ...job, jobId: 'outside-e2e', output: outside });
    try {
      assert.equal(await vscode.commands.executeCommand('chunkedAv1.revealOutput', { kind: 'job', jobId: 'outside-e2e' }), 'copyPath');
      assert.equal(await vscode.env.clipboard.readText(), outside);
    } finally {
      ext.store.replaceAll(ext.store.list().filter((j) => j.jobId !== 'outside-e2e'));
    }
  });

  it('refuses to replace an existing output or to write outside the workspace until the user agrees', async () => {
    const clip = path.join(workspace(), E2E.clip);
    const output = path.join(workspace(), 'out', 'clip.av1.mkv');
    const before = readFileSync(output);
    const refusal = async (params: StartJobParams) => {
      try {
        await ext.client.sendRequest(StartJob.method, params);
      } catch (error) {
        assert.equal((error as { code?: number }).code, NEEDS_CONFIRMATION, String(error));
        return (error as { data: StartJobRefusal }).data;
      }
      assert.fail('the server started the job without asking');
    };
    assert.deepEqual(await refusal({ input: clip }), { reason: 'outputExists', output });
    assert.ok(readFileSync(output).equals(before), 'the existing output is untouched');

    const config = vscode.workspace.getConfiguration('chunkedAv1');
    const outside = path.join(path.dirname(workspace()), 'outside-the-workspace', 'clip.av1.mkv');
    await config.update('outputPath', outside, vscode.ConfigurationTarget.Workspace);
    try {
      assert.deepEqual(await refusal({ input: clip, overwrite: true }), { reason: 'outputOutsideWorkspace', output: outside });
      assert.equal(existsSync(path.dirname(outside)), false, 'not even its folder is made');
    } finally {
      await config.update('outputPath', '${fileDirname}/out/${fileBasenameNoExtension}.av1.mkv', vscode.ConfigurationTarget.Workspace);
    }
  });

  it("puts exactly one diagnostic on the failed segment's line of segment_list.txt, and a retry clears it", async () => {
    const job = await encode(ext, E2E.failingClip);
    assert.equal(job.status, 'failed');
    const failed = job.segments.filter((s) => s.state === 'failed');
    assert.equal(failed.length, 1, 'one segment failed');
    const listUri = segmentListUri(job);
    const diagnostics = await waitFor('the diagnostic', () => {
      const list = ourDiagnostics(listUri);
      return list.length ? list : undefined;
    });
    assert.equal(diagnostics.length, 1);
    const [diagnostic] = diagnostics as [vscode.Diagnostic];
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    const lines = readFileSync(listUri.fsPath, 'utf8').split('\n');
    const fileLines = lines
      .map((l, i) => [l, i] as const)
      .filter(([l]) => /^\s*file\s/.test(l))
      .map(([, i]) => i);
    assert.equal(diagnostic.range.start.line, fileLines[failed[0]!.index], "on the failed segment's file line");
    assert.match(diagnostic.message, new RegExp(`segment ${failed[0]!.index} `));
    assert.ok(diagnostic.relatedInformation?.[0]?.message.match(/\d{2}:\d{2}:\d{2}–\d{2}:\d{2}:\d{2}/));

    // The list is an ffconcat document: links to every segment file, a hover with the segment's state.
    const document = await vscode.workspace.openTextDocument(listUri);
    assert.equal(document.languageId, 'ffconcat');
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', listUri);
    assert.equal(links.length, job.segmentsTotal);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', listUri, diagnostic.range.start);
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(hoverText, new RegExp(`Segment ${failed[0]!.index}\\*\\* — failed`));

    // Repair what made the segment fail, then retry: the diagnostic goes away.
    E2E.repairSource(path.join(workspace(), E2E.failingClip));
    await vscode.commands.executeCommand('chunkedAv1.retryFailed', { kind: 'job', jobId: job.jobId });
    await waitFor('the diagnostic to clear', () => (ourDiagnostics(listUri).length === 0 ? true : undefined));
    const retried = await waitFor(
      'the retried job',
      () => {
        const j = ext.store.get(job.jobId);
        return j && (j.status === 'done' || j.status === 'failed') ? j : undefined;
      },
      180_000,
    );
    assert.equal(retried.status, 'done', retried.error);
    assert.equal(ourDiagnostics(listUri).length, 0);
  });

  it("re-publishes a failed job's diagnostics after the language client restarts", async () => {
    const job = await encode(ext, E2E.failingClip2);
    assert.equal(job.status, 'failed');
    const listUri = segmentListUri(job);
    await waitFor('the diagnostic', () => (ourDiagnostics(listUri).length === 1 ? true : undefined));
    await ext.restartServer();
    const again = await waitFor('the diagnostic after restart', () => {
      const list = ourDiagnostics(listUri);
      return list.length === 1 ? list : undefined;
    });
    assert.equal(again[0]!.severity, vscode.DiagnosticSeverity.Error);
    await waitFor('the job list after restart', () => (ext.store.get(job.jobId)?.status === 'failed' ? true : undefined));
  });

  it('queues a multi-selection one job after another, and Cancel stops the running job', async () => {
    const uris = [E2E.clip, E2E.uiClip].map((f) => vscode.Uri.file(path.join(workspace(), f)));
    // Earlier tests made these outputs; remove them so no Replace question waits for a click.
    for (const f of ['clip.av1.mkv', 'ui clip.av1.mkv']) rmSync(path.join(workspace(), 'out', f), { force: true });
    const jobIds = await vscode.commands.executeCommand<string[]>('chunkedAv1.encode', uris[0], uris);
    assert.equal(jobIds.length, 2);
    const [first, second] = jobIds as [string, string];
    await waitFor('the first job to run', () => (ext.store.get(first)?.status === 'running' ? true : undefined));
    assert.equal(ext.store.get(second)?.status, 'queued', 'the second waits for the first');
    await vscode.commands.executeCommand('chunkedAv1.cancelJob', { kind: 'job', jobId: first });
    await waitFor('the first job to stop', () => (ext.store.get(first)?.status === 'cancelled' ? true : undefined), 30_000);
    await waitFor('the second job to start', () => (ext.store.get(second)?.status !== 'queued' ? true : undefined), 30_000);
    await vscode.commands.executeCommand('chunkedAv1.cancelJob', { kind: 'job', jobId: second });
    await waitFor(
      'the second job to stop',
      () => (['cancelled', 'done'].includes(ext.store.get(second)?.status ?? '') ? true : undefined),
      30_000,
    );
    // A cancelled job's segments no longer show searching, encoding or validating.
    for (const node of ext.tree.getChildren({ kind: 'job', jobId: first })) {
      assert.match(String(ext.tree.getTreeItem(node).contextValue), /^segment\.(queued|done|failed|skipped|cancelled)/);
    }
  });

  it('lists jobs newest first; Remove Job and Clear Finished Jobs forget them, and the server keeps that', async () => {
    const listed = ext.tree.getChildren().map((n) => ext.store.get(n.jobId)!);
    const created = listed.map((j) => j.createdAt ?? 0);
    assert.deepEqual(
      created,
      [...created].sort((a, b) => b - a),
      'newest first',
    );
    const [newest] = listed as [JobSnapshot];
    assert.match(String(ext.tree.getTreeItem({ kind: 'job', jobId: newest.jobId }).description), /\d{1,2}:\d{2}/, 'the start time shows');
    await vscode.commands.executeCommand('chunkedAv1.removeJob', { kind: 'job', jobId: newest.jobId });
    assert.equal(ext.store.get(newest.jobId), undefined);
    await vscode.commands.executeCommand('chunkedAv1.clearFinishedJobs');
    assert.deepEqual(
      ext.store.list().filter((j) => ['done', 'failed', 'cancelled'].includes(j.status)),
      [],
    );
    const { jobs } = await ext.client.sendRequest<{ jobs: JobSnapshot[] }>(ListJobs.method);
    assert.deepEqual(
      jobs.map((j) => j.jobId).sort(),
      ext.store
        .list()
        .map((j) => j.jobId)
        .sort(),
      'the server forgot them too',
    );
  });

  it('shows a diagnostic on the offending key of an invalid preset in .vscode/settings.json', async () => {
    const settingsFile = path.join(workspace(), '.vscode', 'settings.json');
    const original = readFileSync(settingsFile, 'utf8');
    const broken = JSON.parse(original) as Record<string, unknown> & { 'chunkedAv1.presets'?: Record<string, unknown> };
    broken['chunkedAv1.presets'] = { ...broken['chunkedAv1.presets'], sneaky: { crf: 30, svtParams: 'tune=0:rc=1' } };
    const text = JSON.stringify(broken, null, 2);
    writeFileSync(settingsFile, text);
    try {
      const uri = vscode.Uri.file(settingsFile);
      const diagnostics = await waitFor('the settings diagnostic', () => {
        const list = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'chunked-av1 settings');
        return list.length ? list : undefined;
      });
      const line = text.split('\n')[diagnostics[0]!.range.start.line]!;
      assert.match(line.slice(diagnostics[0]!.range.start.character, diagnostics[0]!.range.end.character), /"svtParams"/);
      assert.match(diagnostics[0]!.message, /unknown SVT-AV1 parameter "rc"/);
    } finally {
      writeFileSync(settingsFile, original);
    }
    await waitFor('the settings diagnostic to clear', () =>
      vscode.languages.getDiagnostics(vscode.Uri.file(settingsFile)).some((d) => d.source === 'chunked-av1 settings') ? undefined : true,
    );
  });

  it("opens the walkthrough, whose first step checks ffmpeg with the server's tool check", async () => {
    // code-server may show its own Welcome page at start; begin with no editor open.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).length, 0);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${E2E.extensionId}#chunkedAv1.gettingStarted`, false);
    const tab = await waitFor('the walkthrough tab', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.isActive && /welcome|get started|walkthrough|chunked av1/i.test(t.label)),
    );
    assert.ok(tab, 'a walkthrough editor is active');
    const result = await vscode.commands.executeCommand<CheckToolsResult>('chunkedAv1.checkFfmpeg');
    assert.equal(result.problem, undefined, result.problem);
    assert.equal(result.hasLibsvtav1, true, 'the ffmpeg on this machine has libsvtav1');
    assert.equal(result.ffprobeRuns, true);
    assert.match(result.version ?? '', /^ffmpeg version /);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('warns on the output video when every segment stopped at maxCrf above the target, after the work directory is gone', async () => {
    const input = path.join(workspace(), E2E.clip);
    const { jobId } = await ext.client.sendRequest<{ jobId: string }>(StartJob.method, { input, preset: 'ceiling', overwrite: true });
    const job = await waitFor(
      'the ceiling job to finish',
      () => {
        const state = ext.store.get(jobId);
        return state && ['done', 'failed', 'cancelled'].includes(state.status) ? state : undefined;
      },
      180_000,
    );
    assert.equal(job.status, 'done', job.error);
    assert.equal(existsSync(job.workDir!), false, 'a successful job removed its work directory');
    const warnings = await waitFor('the max-CRF warnings on the output', () => {
      const list = ourDiagnostics(vscode.Uri.file(job.output!));
      return list.length === job.segmentsTotal ? list : undefined;
    });
    for (const warning of warnings) {
      assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(warning.message, /maxCrf 20 at VMAF [\d.]+, above the target 30; raise maxCrf or lower the target/);
    }
  });

  it('Cancel mid-way: the tree shows the job cancelled, its unfinished segments cancelled or queued, and no ffmpeg is left', async () => {
    const uri = vscode.Uri.file(path.join(workspace(), E2E.cancelClip));
    const { jobId } = await ext.client.sendRequest<{ jobId: string }>(StartJob.method, {
      input: uri.fsPath,
      preset: 'quality',
      overwrite: true,
    });
    await waitFor(
      'a first segment done while others are not',
      () => {
        const job = ext.store.get(jobId);
        if (job && job.status !== 'running' && job.status !== 'queued')
          throw new Error(`the job ended before it was cancelled: ${job.status}`);
        return job && job.segmentsDone >= 1 && job.segmentsDone < job.segmentsTotal ? true : undefined;
      },
      180_000,
    );
    // The job's Cancel action in the tree runs this command with the job's node.
    await vscode.commands.executeCommand('chunkedAv1.cancelJob', { kind: 'job', jobId });
    const job = await waitFor(
      'the job to stop',
      () => (ext.store.get(jobId)?.status === 'cancelled' ? ext.store.get(jobId) : undefined),
      60_000,
    );

    const jobItem = ext.tree.getTreeItem({ kind: 'job', jobId });
    assert.match(String(jobItem.contextValue), /^job\.cancelled/);
    assert.equal((jobItem.iconPath as vscode.ThemeIcon).id, 'circle-slash');
    const shown = ext.tree.getChildren({ kind: 'job', jobId }).map((node) => {
      const item = ext.tree.getTreeItem(node);
      return { state: String(item.contextValue).split('.')[1], icon: (item.iconPath as vscode.ThemeIcon).id };
    });
    assert.equal(shown.length, job.segmentsTotal);
    const states = shown.map((s) => s.state);
    assert.ok(states.includes('done'), `a segment finished before the cancel: ${states.join(', ')}`);
    const unfinished = shown.filter((s) => s.state !== 'done');
    assert.ok(unfinished.length > 0, `segments were left: ${states.join(', ')}`);
    for (const segment of unfinished) {
      assert.ok(['cancelled', 'queued'].includes(segment.state!), `an unfinished segment shows ${segment.state}: ${states.join(', ')}`);
      if (segment.state === 'cancelled') assert.equal(segment.icon, 'circle-slash');
    }
    // What the server reported as in flight shows cancelled: nothing still looks busy.
    job.segments.forEach((segment, i) => {
      if (['searching', 'encoding', 'validating'].includes(segment.state)) assert.equal(states[i], 'cancelled', `segment ${segment.index}`);
    });
    console.log(`cancelled job's segments: ${states.join(', ')}`);
    await waitFor('no ffmpeg left on the cancelled clip', () => (ffmpegsNaming(E2E.cancelClip).length === 0 ? true : undefined), 30_000);
  });
});
