/**
 * Zones files in the editor (#26), through the editor's own provider commands (no clicking, no pixel
 * timing): `zones clip.mkv.zones` beside a workspace clip gets a diagnostic with "did you mean" on a
 * bad line, key completion on an empty line, and a hover on a range naming the segments it covers.
 * The clip is encoded first without a zones file (the file would steer that encode), so the
 * language server knows its segments. Then `zones next.mkv`, which has no zones file: Add Zone for
 * This Segment creates it, the line is edited, and the next encode gives that segment the zone's CRF.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { StartJob, type JobSnapshot } from '../../../common/protocol';
import { E2E } from '../workspace';
import { api, waitFor } from './helpers';

/** Starts an encode of a workspace clip with the default preset (e2e: CRF 50) and waits for its end. */
async function encodeClip(clip: string): Promise<JobSnapshot> {
  const ext = await api();
  const input = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, clip);
  const { jobId } = await ext.client.sendRequest<{ jobId: string }>(StartJob.method, { input, overwrite: true });
  return waitFor<JobSnapshot>(
    `the ${clip} job to finish`,
    () => {
      const state = ext.store.get(jobId);
      return state && ['done', 'failed', 'cancelled'].includes(state.status) ? state : undefined;
    },
    180_000,
  );
}

const hoverText = (hovers: vscode.Hover[]) =>
  hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');

describe('Zones files in VS Code', () => {
  let zonesUri: vscode.Uri;
  let job: JobSnapshot;

  before(async function () {
    const input = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, E2E.zonesClip);
    job = await encodeClip(E2E.zonesClip);
    assert.equal(job.status, 'done', job.error);
    assert.ok(job.segments.length >= 2, 'the clip is split into several segments');
    zonesUri = vscode.Uri.file(`${input}.zones`);
    // 4 s at 12 fps: 48 frames; line 2 has a misspelt key; line 3 is left empty for completion.
    writeFileSync(zonesUri.fsPath, '0-24 crf=40\n30-48 target-vmf=90\n\n');
    const document = await vscode.workspace.openTextDocument(zonesUri);
    assert.equal(document.languageId, 'chunked-av1-zones');
  });

  it('puts a diagnostic with "did you mean" on the bad line', async () => {
    const diagnostic = await waitFor('the unknown-key diagnostic', () =>
      vscode.languages.getDiagnostics(zonesUri).find((d) => d.code === 'unknown-key'),
    );
    assert.equal(diagnostic.range.start.line, 1);
    assert.match(diagnostic.message, /unknown key "target-vmf" \(did you mean target-vmaf\?\)/);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    // The minimum segment is what Encode to AV1 would use (chunkedAv1.segmentSeconds 2): the 2 s zone on
    // line 1 is long enough (the catalogue's 4 s would warn), the 1.5 s one on line 2 is not.
    const short = vscode.languages.getDiagnostics(zonesUri).filter((d) => d.code === 'too-short');
    assert.deepEqual(
      short.map((d) => d.range.start.line),
      [1],
    );
    assert.match(short[0]!.message, /the zone is 1\.50 s, shorter than the minimum segment \(2 s\)/);
  });

  it('offers target-vmaf on an empty line after a range', async () => {
    const document = await vscode.workspace.openTextDocument(zonesUri);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(zonesUri, new vscode.Position(2, 0), '24-30 ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      zonesUri,
      new vscode.Position(2, document.lineAt(2).text.length),
    );
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    assert.ok(labels.includes('target-vmaf'), `completion offers target-vmaf: ${labels.join(', ')}`);
  });

  it('shows on a range the segments it covers, with their CRF from the run', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', zonesUri, new vscode.Position(0, 2));
    const text = hoverText(hovers);
    assert.match(text, /frames 0–23 \(24 frames\)/);
    const covered = job.segments.filter((s) => s.startSeconds < 2);
    assert.ok(covered.length >= 1);
    for (const segment of covered)
      assert.ok(text.includes(`segment ${segment.index} (CRF ${segment.crf}`), `${text} names segment ${segment.index}`);
    // No scene changes to snap to, and the hover says why: the workspace splits by keyframe.
    assert.match(text, /scene changes: not known here, so no snap is offered \(the next encode splits by keyframe/);
  });

  it("puts a code lens above the zone with the run's figures for the segments it covers", async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', zonesUri);
    const lens = lenses.find((l) => l.range.start.line === 0);
    const title = lens?.command?.title ?? '';
    const covered = job.segments.filter((s) => s.startSeconds < 2);
    const crfs = covered.map((s) => s.crf!);
    const crf = Math.min(...crfs) === Math.max(...crfs) ? `${crfs[0]}` : `${Math.min(...crfs)}–${Math.max(...crfs)}`;
    assert.ok(title.startsWith(`${covered.length} segment`), title);
    assert.ok(title.includes(` · CRF ${crf}`), title);
    // It opens the tree at the zone's first segment of that run.
    assert.equal(lens!.command!.command, 'chunkedAv1.revealInJobs');
    assert.deepEqual(lens!.command!.arguments, [job.jobId, covered[0]!.index]);
    await vscode.commands.executeCommand('chunkedAv1.revealInJobs', job.jobId, covered[0]!.index);
  });

  it("Add Zone for This Segment appends the segment's frame range to the zones file beside the input", async () => {
    const segment = job.segments.at(-1)!;
    const uri = await vscode.commands.executeCommand<vscode.Uri>('chunkedAv1.addZoneForSegment', {
      kind: 'segment',
      jobId: job.jobId,
      index: segment.index,
    });
    assert.equal(uri.fsPath, zonesUri.fsPath);
    const lines = (await vscode.workspace.openTextDocument(zonesUri)).getText().split('\n');
    // 12 fps; the e2e preset sets a fixed CRF, so the zone starts from the CRF the segment got.
    const [start, end] = [segment.startSeconds, segment.endSeconds].map((s) => Math.round(s * 12));
    assert.equal(lines.at(-2), `${start}-${end} crf=${segment.crf}  # segment ${segment.index}`);
    assert.equal(lines.at(-1), '');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, zonesUri.fsPath, 'the zones file is shown');
  });
});

describe('Add Zone for This Segment, then the next encode', () => {
  it("creates the missing zones file with the segment's line, and the next encode gives the segment the zone's CRF", async () => {
    const input = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, E2E.zonesNextClip);
    const zonesFile = `${input}.zones`;
    const first = await encodeClip(E2E.zonesNextClip);
    assert.equal(first.status, 'done', first.error);
    assert.ok(first.segments.length >= 2, 'the clip is split into several segments');
    // The e2e preset is CRF 50 for every segment.
    assert.deepEqual(new Set(first.segments.map((s) => s.crf)), new Set([50]));
    assert.ok(!existsSync(zonesFile), 'no zones file yet');

    const segment = first.segments.at(-1)!;
    const uri = await vscode.commands.executeCommand<vscode.Uri>('chunkedAv1.addZoneForSegment', {
      kind: 'segment',
      jobId: first.jobId,
      index: segment.index,
    });
    assert.equal(uri.fsPath, zonesFile);
    assert.ok(existsSync(zonesFile), 'Add Zone created the zones file');
    const document = await vscode.workspace.openTextDocument(uri);
    const [start, end] = [segment.startSeconds, segment.endSeconds].map((s) => Math.round(s * 12));
    const added = `${start}-${end} crf=50  # segment ${segment.index}`;
    assert.equal(document.getText(), `${added}\n`);

    // The user's override: CRF 40 for that segment. Saved, as the encode reads the file on disk.
    const edit = new vscode.WorkspaceEdit();
    const at = document.lineAt(0).text.indexOf('crf=50');
    edit.replace(uri, new vscode.Range(0, at, 0, at + 'crf=50'.length), 'crf=40');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save(), 'the zones file is saved');

    const second = await encodeClip(E2E.zonesNextClip);
    assert.equal(second.status, 'done', second.error);
    for (const s of second.segments) {
      const zoned = s.startSeconds >= segment.startSeconds - 1e-6;
      assert.equal(
        s.crf,
        zoned ? 40 : 50,
        `segment ${s.index} (${s.startSeconds}–${s.endSeconds} s) is encoded at ${zoned ? "its zone's" : "the preset's"} CRF`,
      );
    }
    // The tree shows it too (the segment's description names its CRF).
    const ext = await api();
    const node = ext.tree.getChildren({ kind: 'job', jobId: second.jobId }).find((n) => n.kind === 'segment' && n.index === segment.index)!;
    assert.match(String(ext.tree.getTreeItem(node).description), /\b40\b/);
  });
});
