import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { JobEvent } from '../../common/events';
import { ALL_METHODS } from '../../common/protocol';
import { applyEvent, newSnapshot } from '../../server/src/lsp/job-snapshot';
import { jobDiagnostics } from '../../server/src/lsp/job-diagnostics';
import { completionMessage, segmentDescription, statusText } from '../../client/src/format';

const plan: JobEvent = {
  event: 'plan',
  input: '/v/a.mkv',
  workDir: '/w',
  segments: 3,
  frames: 72,
  durationSeconds: 6,
  width: 192,
  height: 144,
  fps: 12,
  workers: 2,
  ranges: [0, 1, 2].map((index) => ({ index, startFrame: index * 24, frames: 24, startSeconds: index * 2, endSeconds: index * 2 + 2 })),
};
const list = ['ffconcat version 1.0', "file 'encoded/00000.mkv'", "file 'encoded/00001.mkv'", "file 'encoded/00002.mkv'", ''].join('\n');

describe('editor protocol', () => {
  it('names every method under chunkedAv1/, once', () => {
    assert.ok(ALL_METHODS.length >= 7);
    for (const method of ALL_METHODS) assert.match(method, /^chunkedAv1\/[a-z][A-Za-z]+$/);
    assert.equal(new Set(ALL_METHODS).size, ALL_METHODS.length);
    for (const name of ['startJob', 'cancelJob', 'retrySegments', 'listJobs', 'jobState', 'segmentState'])
      assert.ok(ALL_METHODS.includes(`chunkedAv1/${name}`));
  });
});

describe('job snapshot from pipeline events', () => {
  it('follows plan, segment, progress and done events', () => {
    const job = newSnapshot('j', '/v/a.mkv', 'fast');
    applyEvent(job, plan);
    assert.equal(job.segments.length, 3);
    assert.equal(job.workDir, '/w');
    const change = applyEvent(job, {
      event: 'segment',
      index: 1,
      state: 'searching',
      probe: { crf: 30, vmaf: 94.2, bytes: 1000, seconds: 1 },
    });
    assert.equal(change.kind, 'segment');
    applyEvent(job, { event: 'segment', index: 1, state: 'done', crf: 32, vmaf: 93.4, bytes: 1_258_291, file: '/w/encoded/00001.mkv' });
    assert.deepEqual(
      job.segments[1]!.probes.map((p) => p.crf),
      [30],
    );
    assert.equal(job.segmentsDone, 1);
    applyEvent(job, {
      event: 'progress',
      framesDone: 36,
      framesTotal: 72,
      segmentsDone: 1,
      segmentsTotal: 3,
      fps: 10,
      etaSeconds: 240,
      elapsedSeconds: 3,
      estimatedBytes: null,
    });
    job.status = 'running';
    assert.equal(statusText([job]), '$(sync~spin) AV1 1/3 · 50% · ETA 4m');
    assert.equal(segmentDescription(job.segments[1]!), 'crf 32 · VMAF 93.40 · 1.2 MiB · 00:00:02–00:00:04');
    applyEvent(job, {
      event: 'done',
      output: '/v/a.av1.mkv',
      frames: 72,
      bytes: 400_000,
      seconds: 70,
      sourceBytes: 1_000_000,
      segments: [],
    });
    assert.equal(job.status, 'done');
    job.elapsedSeconds = 70;
    assert.equal(completionMessage(job), 'AV1 done: a.av1.mkv — 391 KiB, 60% smaller than the source (977 KiB), in 1m 10s');
    assert.equal(statusText([job]), undefined, 'hidden when nothing runs');
  });
});

describe('Problems panel entries', () => {
  it("puts one Error on the failed segment's file line with the segment file and time range", () => {
    const job = newSnapshot('j', '/v/a.mkv', 'fast');
    applyEvent(job, plan);
    applyEvent(job, { event: 'segment', index: 0, state: 'done', file: '/w/encoded/00000.mkv' });
    applyEvent(job, { event: 'segment', index: 1, state: 'failed', error: 'frame 3\nsegment 1: decoded 13 of 24 frames' });
    const [diagnostic, ...rest] = jobDiagnostics(job, list, '/w/segment_list.txt');
    assert.equal(rest.length, 0);
    assert.equal(diagnostic!.severity, DiagnosticSeverity.Error);
    assert.equal(diagnostic!.range.start.line, 2);
    assert.equal(diagnostic!.message, 'segment 1 (00:00:02–00:00:04) failed: segment 1: decoded 13 of 24 frames');
    assert.equal(diagnostic!.relatedInformation![0]!.location.uri, 'file:///w/encoded/00001.mkv');
    assert.match(diagnostic!.relatedInformation![0]!.message, /00:00:02–00:00:04/);
  });

  it('warns on a missed target with the probe table, and a new attempt clears both', () => {
    const job = newSnapshot('j', '/v/a.mkv', 'fast');
    applyEvent(job, plan);
    applyEvent(job, {
      event: 'segment',
      index: 2,
      state: 'done',
      warning: 'missed target vmaf 95',
      probes: [
        { crf: 20, vmaf: 93.1, bytes: 1, seconds: 1 },
        { crf: 10, vmaf: 94.5, bytes: 2, seconds: 1 },
      ],
    });
    const [warning] = jobDiagnostics(job, list, '/w/segment_list.txt');
    assert.equal(warning!.severity, DiagnosticSeverity.Warning);
    assert.equal(warning!.range.start.line, 3);
    assert.match(warning!.message as string, /missed target vmaf 95 \[crf 20 → VMAF 93.10, crf 10 → VMAF 94.50\]/);
    applyEvent(job, { event: 'segment', index: 2, state: 'searching' });
    assert.deepEqual(jobDiagnostics(job, list, '/w/segment_list.txt'), []);
  });
});
