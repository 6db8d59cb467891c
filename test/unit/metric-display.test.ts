/**
 * The editor shows each segment's score in the job's target metric (issue 25): the tree, the
 * segment and job tooltips, the status bar's tooltip, the Problems panel and the segment list's
 * hover, from the `scores` and `target` fields of the events (METRIC-CONTRACT), and VMAF for jobs
 * that predate them.
 */
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { JobEvent } from '../../common/events';
import type { JobSnapshot } from '../../common/protocol';
import { jobTargetText, segmentDescription, segmentTooltip, statusTooltip } from '../../client/src/format';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeSegment } from '../../server/src/lsp/concat-features';
import { KnownJobs } from '../../server/src/lsp/known-jobs';
import { segmentMessage } from '../../server/src/lsp/job-diagnostics';
import { applyEvent, newSnapshot } from '../../server/src/lsp/job-snapshot';
import { planEvent } from '../helpers/plan-event';

const xpsnrTarget = { metric: 'xpsnr', value: 42, pool: 'mean', low: 41.75, high: 43 } as const;

/** A plan event of three 2 s segments (48 frames at 24 fps), with the contract's job-level target when given. */
function plan(target?: object): JobEvent {
  return { ...planEvent([48, 48, 48], 2, { durationSeconds: 6, width: 192, height: 144 }), ...(target ? { target } : {}) } as JobEvent;
}

/** A done segment event with the contract's per-segment `scores`. */
const doneSegment = (index: number, crf: number, scores: Record<string, number>, vmaf?: number) =>
  ({ event: 'segment', index, state: 'done', crf, bytes: 2048, scores, ...(vmaf !== undefined ? { vmaf } : {}) }) as JobEvent;

function xpsnrJob(): JobSnapshot {
  const job = newSnapshot('j', '/v/a.mkv', 'xpsnr');
  applyEvent(job, plan(xpsnrTarget));
  applyEvent(job, doneSegment(0, 30, { xpsnr: 42.1, vmaf: 94.123 }, 94.123));
  applyEvent(job, doneSegment(1, 33, { xpsnr: 42.614 }));
  return job;
}

describe('scores in the target metric (issue 25)', () => {
  it("takes the job's target from the plan event and each segment's scores from its events", () => {
    const job = xpsnrJob();
    assert.deepEqual(job.target, xpsnrTarget);
    assert.deepEqual(job.segments[0]!.scores, { xpsnr: 42.1, vmaf: 94.123 });
    assert.equal(job.segments[0]!.vmaf, 94.123, 'vmaf still means VMAF');
  });

  it('shows `XPSNR 42.10 dB`, `ssimu2 81.2` and `VMAF 93.21` in the tree, by the job’s metric', () => {
    const job = xpsnrJob();
    assert.equal(segmentDescription(job.segments[0]!, job), 'crf 30 · XPSNR 42.10 dB · 2.0 KiB · 00:00:00–00:00:02');
    const ssimu2 = newSnapshot('s', '/v/a.mkv', 'ssimu2');
    applyEvent(ssimu2, plan({ metric: 'ssimulacra2', value: 80, pool: 'p10', low: 79, high: 84 }));
    applyEvent(ssimu2, doneSegment(2, 28, { ssimulacra2: 81.24 }));
    assert.match(segmentDescription(ssimu2.segments[2]!, ssimu2), /^crf 28 · ssimu2 81\.2 · /);
    const vmaf = newSnapshot('v', '/v/a.mkv', 'balanced');
    applyEvent(vmaf, plan({ metric: 'vmaf', value: 93, pool: 'harmonic_mean', low: 92.5, high: 95 }));
    applyEvent(vmaf, doneSegment(0, 30, { vmaf: 93.214 }, 93.214));
    assert.match(segmentDescription(vmaf.segments[0]!, vmaf), /^crf 30 · VMAF 93\.21 · /);
  });

  it('falls back to the vmaf field for a job from before scores and target (an older backend or known-jobs file)', () => {
    const old = newSnapshot('o', '/v/a.mkv', 'balanced');
    applyEvent(old, plan());
    applyEvent(old, { event: 'segment', index: 0, state: 'done', crf: 30, vmaf: 93.4 });
    assert.equal(old.target, undefined);
    assert.match(segmentDescription(old.segments[0]!, old), /^crf 30 · VMAF 93\.40 · /);
    // The done event's older string target is a summary, not a target: it is ignored.
    applyEvent(old, {
      event: 'done',
      output: '/v/o.mkv',
      frames: 72,
      bytes: 1,
      seconds: 1,
      sourceBytes: 2,
      segments: [],
      target: 'VMAF 93 (harmonic_mean)',
    });
    assert.equal(old.target, undefined);
  });

  it('does not show a score the target metric has none of (no VMAF passed off as XPSNR)', () => {
    const job = xpsnrJob();
    applyEvent(job, { event: 'segment', index: 2, state: 'done', crf: 35, vmaf: 90 });
    assert.doesNotMatch(segmentDescription(job.segments[2]!, job), /XPSNR|VMAF/);
  });

  it('lists every verified score in the segment tooltip, the target metric first, and the band in the job tooltip', () => {
    const job = xpsnrJob();
    assert.match(segmentTooltip(job.segments[0]!, 'done', job), /\n\nVerified: XPSNR 42\.10 dB · VMAF 94\.12$/);
    assert.equal(jobTargetText(job), 'XPSNR 42 dB (mean), accepted 41.75–43 dB');
  });

  it("gives the status bar's tooltip the running job's target and its segments' score range", () => {
    const job = xpsnrJob();
    job.status = 'running';
    assert.equal(
      statusTooltip([job]),
      'Chunked AV1: show the jobs\nTarget XPSNR 42 dB (mean), accepted 41.75–43 dB\nXPSNR 42.10–42.61 dB over 2 segments',
    );
    assert.equal(statusTooltip([]), 'Chunked AV1: show the jobs');
  });

  it('warns in the target metric’s units on a segment that stopped at maxCrf above the target', () => {
    const job = { ...xpsnrJob(), maxCrf: 33 };
    const problem = segmentMessage(job.segments[1]!, job);
    assert.equal(problem?.severity, DiagnosticSeverity.Warning);
    assert.match(problem.message, /maxCrf 33 at XPSNR 42\.61 dB, above the target 42 dB; raise maxCrf or lower the target/);
    const below = { ...job, target: { ...xpsnrTarget, value: 43 } };
    assert.equal(segmentMessage(job.segments[1]!, below), undefined, 'at the ceiling but below the target');
  });

  it("labels the CRF search's probes with their metric, in the tooltip's table and the Problems panel's line", () => {
    const job = xpsnrJob();
    const probes = [
      { crf: 30, vmaf: 42.104, metric: 'xpsnr' as const, bytes: 1024, seconds: 1.5 },
      { crf: 36, vmaf: 40.9, metric: 'xpsnr' as const, bytes: 512, seconds: 1.2 },
    ];
    applyEvent(job, { event: 'segment', index: 2, state: 'done', crf: 36, probes, warning: 'missed target XPSNR 42 dB' });
    assert.match(
      segmentTooltip(job.segments[2]!, 'done', job),
      /\| crf \| XPSNR \(dB\) \| size \| time \|\n.*\n\| 30 \| 42\.10 \| 1\.0 KiB \| 1\.5s \|/,
    );
    assert.match(segmentMessage(job.segments[2]!, job)!.message, /\[crf 30 → XPSNR 42\.10 dB, crf 36 → XPSNR 40\.90 dB\]$/);
  });

  it("names the score in the target metric in segment_list.txt's hover", () => {
    const job = xpsnrJob();
    assert.match(describeSegment(job.segments[0]!, job), / {2}\nXPSNR 42\.10 dB {2}\n/);
  });

  it('keeps the target and the scores through the known-jobs file (a reloaded window)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'metric-display-'));
    try {
      const known = new KnownJobs(dir);
      known.save([{ snapshot: xpsnrJob() }]);
      const [restored] = known.load();
      assert.deepEqual(restored?.target, xpsnrTarget);
      assert.deepEqual(restored?.segments[1]?.scores, { xpsnr: 42.614 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
