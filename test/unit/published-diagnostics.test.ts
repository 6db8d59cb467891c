import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { JobSnapshot } from '../../common/protocol';
import { JobDiagnostics } from '../../server/src/lsp/published-diagnostics';
import { newSnapshot } from '../../server/src/lsp/job-snapshot';

/**
 * Where a job's Problems entries go (#18): on its segment_list.txt while the work directory exists;
 * once a successful job removed it, a segment that stopped at maxCrf above the target is still
 * reported, on the output video.
 */
describe('job diagnostics in the Problems panel', () => {
  let dir: string;
  let published: Map<string, Diagnostic[]>;
  let diagnostics: JobDiagnostics;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'chunked-av1-diagnostics-'));
    published = new Map();
    diagnostics = new JobDiagnostics({ publish: (uri, list) => published.set(uri, list), extra: () => [] });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function ceilingJob(): JobSnapshot {
    const job = newSnapshot('0b9d3c1e-6a2f-4d8e-9f3a-1c2b3d4e5f60', path.join(dir, 'in.mkv'), 'quality', path.join(dir, 'in.av1.mkv'));
    Object.assign(job, { workDir: path.join(dir, 'work'), targetVmaf: 80, maxCrf: 20, status: 'done' });
    job.segments = [0, 1].map((index) => ({
      index,
      state: 'done' as const,
      startSeconds: index * 2,
      endSeconds: index * 2 + 2,
      crf: 20,
      vmaf: 97,
      probes: [],
      file: path.join(dir, 'work', 'encoded', `segment_${index}.mkv`),
    }));
    return job;
  }
  const uri = (file: string) => pathToFileURL(file).href;

  it('puts the maxCrf warnings on segment_list.txt while it exists, and on the output once it is gone', () => {
    const job = ceilingJob();
    const list = path.join(dir, 'work', 'segment_list.txt');
    mkdirSync(path.dirname(list));
    writeFileSync(list, "ffconcat version 1.0\nfile 'encoded/segment_0.mkv'\nfile 'encoded/segment_1.mkv'\n");
    diagnostics.refreshJob(job);
    assert.deepEqual(
      published.get(uri(list))?.map((d) => [d.severity, d.range.start.line]),
      [
        [DiagnosticSeverity.Warning, 1],
        [DiagnosticSeverity.Warning, 2],
      ],
    );
    assert.equal(published.has(uri(job.output!)), false, 'nothing on the output while the list exists');

    rmSync(path.join(dir, 'work'), { recursive: true });
    diagnostics.refreshJob(job);
    assert.deepEqual(published.get(uri(list)), [], 'the list entry clears');
    const onOutput = published.get(uri(job.output!))!;
    assert.equal(onOutput.length, 2);
    for (const d of onOutput) {
      assert.equal(d.severity, DiagnosticSeverity.Warning);
      assert.match(d.message as string, /maxCrf 20 at VMAF 97\.00, above the target 80; raise maxCrf or lower the target/);
      assert.equal(d.relatedInformation, undefined, 'no link to a removed segment file');
    }

    diagnostics.forgetJob(job);
    assert.deepEqual(published.get(uri(job.output!)), [], 'removing the job clears its output entries');
  });

  it('publishes nothing on the output of a job without warnings', () => {
    const job = ceilingJob();
    for (const segment of job.segments) segment.crf = 18;
    diagnostics.refreshJob(job);
    assert.equal(published.has(uri(job.output!)), false);
    diagnostics.forgetJob(job);
    assert.equal(published.has(uri(job.output!)), false);
  });
});
