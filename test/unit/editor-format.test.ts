import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { JobSnapshot, SegmentSnapshot } from '../../common/protocol';
import {
  completionMessage,
  escapeMarkdown,
  finishedJobs,
  jobDescription,
  jobPercent,
  newestFirst,
  segmentDescription,
  segmentDisplayState,
  segmentTooltip,
  statusAccessibleLabel,
} from '../../client/src/format';
import { segmentMessage } from '../../server/src/lsp/job-diagnostics';
import { applyEvent, newSnapshot } from '../../server/src/lsp/job-snapshot';

function job(over: Partial<JobSnapshot>): JobSnapshot {
  return {
    jobId: 'j',
    input: '/v/a.mkv',
    preset: 'balanced',
    status: 'done',
    segments: [],
    segmentsDone: 0,
    segmentsTotal: 0,
    framesDone: 0,
    framesTotal: 0,
    etaSeconds: null,
    elapsedSeconds: 0,
    ...over,
  };
}
const segment = (over: Partial<SegmentSnapshot>): SegmentSnapshot => ({
  index: 0,
  state: 'done',
  startSeconds: 0,
  endSeconds: 2,
  probes: [],
  ...over,
});

describe('editor messages', () => {
  it('says "larger than the source" when the output grew, never a negative saving', () => {
    const grown = job({ output: '/v/a.av1.mkv', outputBytes: 1_560_000, sourceBytes: 1_000_000, elapsedSeconds: 5 });
    assert.equal(completionMessage(grown), 'AV1 done: a.av1.mkv — 1.5 MiB, 56% larger than the source (977 KiB), in 5s');
    assert.doesNotMatch(completionMessage(grown), /-\d+%/);
    assert.match(
      completionMessage(job({ output: '/v/a.av1.mkv', outputBytes: 400_000, sourceBytes: 1_000_000 })),
      /60% smaller than the source/,
    );
  });

  it('warns on a segment that stopped at maxCrf above the target, with what to do', () => {
    const searching = { targetVmaf: 93, maxCrf: 55 };
    const problem = segmentMessage(segment({ crf: 55, vmaf: 95.4 }), searching);
    assert.equal(problem?.severity, DiagnosticSeverity.Warning);
    assert.match(problem.message, /maxCrf 55 at VMAF 95\.40, above the target 93; raise maxCrf or lower the target/);
    assert.equal(segmentMessage(segment({ crf: 54, vmaf: 95.4 }), searching), undefined, 'below the ceiling');
    assert.equal(segmentMessage(segment({ crf: 55, vmaf: 92.5 }), searching), undefined, 'at the ceiling but not above the target');
    assert.equal(segmentMessage(segment({ crf: 55, vmaf: 99 }), {}), undefined, 'a fixed-CRF job has no target');
  });

  it('shows in-flight segments of a stopped job as cancelled', () => {
    for (const state of ['searching', 'encoding', 'validating'] as const) {
      assert.equal(segmentDisplayState(job({ status: 'cancelled' }), { state }), 'cancelled');
      assert.equal(segmentDisplayState(job({ status: 'interrupted' }), { state }), 'cancelled');
      assert.equal(segmentDisplayState(job({ status: 'running' }), { state }), state);
    }
    assert.equal(segmentDisplayState(job({ status: 'cancelled' }), { state: 'done' }), 'done');
    assert.equal(segmentDisplayState(job({ status: 'cancelled' }), { state: 'queued' }), 'queued');
  });

  it('orders jobs newest first and clears only finished ones', () => {
    const jobs = [
      job({ jobId: 'old', createdAt: 1 }),
      job({ jobId: 'new', createdAt: 3, status: 'running' }),
      job({ jobId: 'mid', createdAt: 2, status: 'interrupted' }),
    ];
    assert.deepEqual(
      newestFirst(jobs).map((j) => j.jobId),
      ['new', 'mid', 'old'],
    );
    assert.deepEqual(
      finishedJobs(jobs).map((j) => j.jobId),
      ['old'],
      'running and resumable jobs stay',
    );
  });

  it('gives a job its start time and duration', () => {
    const started = new Date(2026, 0, 5, 14, 2).getTime();
    const text = jobDescription(job({ segmentsDone: 3, segmentsTotal: 3, startedAt: started, elapsedSeconds: 70 }), started + 60_000);
    assert.match(text, /^done · 3\/3 · (14|0?2):02( [AP]M)? · 1m 10s$/, 'local time of day, 24- or 12-hour by locale');
  });

  it('writes tooltips as Markdown with a separate header and escaped names, and a plain screen-reader label', () => {
    const tooltip = segmentTooltip(segment({ state: 'encoding' }), 'cancelled');
    assert.match(tooltip, /^\*\*Segment 0\*\*: cancelled\n\nSource 00:00:00–00:00:02/);
    assert.equal(escapeMarkdown('my_clip [1].mkv'), 'my\\_clip \\[1\\]\\.mkv');
    const running = job({ status: 'running', segmentsDone: 1, segmentsTotal: 3, framesDone: 36, framesTotal: 72, etaSeconds: 240 });
    assert.equal(statusAccessibleLabel([running]), 'Chunked AV1 encoding: 1/3, 50%, ETA 4m');
  });

  it("says in a segment's tooltip why it starts there, from the plan event's reason, and keeps it through a re-plan", () => {
    const running = newSnapshot('j', '/v/a.mkv', 'balanced');
    const range = (index: number, reason?: 'start' | 'scene' | 'split') => ({
      index,
      startFrame: index * 24,
      frames: 24,
      startSeconds: index,
      endSeconds: index + 1,
      ...(reason ? { reason } : {}),
    });
    const plan = {
      event: 'plan',
      input: '/v/a.mkv',
      workDir: '/v/.a.work',
      frames: 72,
      durationSeconds: 3,
      width: 64,
      height: 64,
      fps: 24,
      workers: 1,
    } as const;
    applyEvent(running, { ...plan, segments: 3, ranges: [range(0, 'start'), range(1, 'scene'), range(2, 'split')] });
    applyEvent(running, { event: 'segment', index: 1, state: 'done', crf: 30 });
    const tips = running.segments.map((s) => segmentTooltip(s));
    assert.match(tips[0]!, /\nSource 00:00:00–00:00:01: first segment(\n|$)/);
    assert.match(tips[1]!, /\nSource 00:00:01–00:00:02: starts at a scene change(\n|$)/);
    assert.match(tips[2]!, /: splits a scene longer than the maximum at its quietest frame(\n|$)/);
    // The resume's plan event keeps the segment's state and still names its reason.
    applyEvent(running, { ...plan, segments: 3, ranges: [range(0, 'start'), range(1, 'scene'), range(2, 'split')] });
    assert.equal(running.segments[1]!.state, 'done');
    assert.match(segmentTooltip(running.segments[1]!), /starts at a scene change/);
    // A plan without reasons (an older server) shows the range alone.
    assert.match(segmentTooltip(segment({})), /\nSource 00:00:00–00:00:02$/);
  });

  it("names the host that made a segment in the tree's description (chunkedAv1.hosts)", () => {
    const running = newSnapshot('j', '/v/a.mkv', 'balanced');
    applyEvent(running, { event: 'segment', index: 0, state: 'done', crf: 30, host: 'enc@10.0.0.2:2222' });
    applyEvent(running, { event: 'segment', index: 1, state: 'done', crf: 31, host: ':' });
    applyEvent(running, { event: 'segment', index: 2, state: 'done', crf: 32 });
    const [remote, local, withoutHosts] = running.segments.map((s) => segmentDescription(s));
    assert.match(remote!, / · on enc@10\.0\.0\.2:2222$/);
    assert.match(local!, / · this machine$/);
    assert.doesNotMatch(withoutHosts!, /on |this machine/, 'no host without --hosts');
  });

  it("shows the backend's work-weighted percent (the CLI line's), read from its progress events", () => {
    const running = job({ status: 'running', framesDone: 0, framesTotal: 480, segmentsTotal: 2 });
    const update = applyEvent(running, {
      event: 'progress',
      framesDone: 0,
      framesTotal: 480,
      segmentsDone: 0,
      segmentsTotal: 2,
      fps: 0,
      etaSeconds: 90,
      elapsedSeconds: 30,
      estimatedBytes: null,
      percent: 25.4,
    });
    assert.equal(update.kind, 'job');
    assert.equal(jobPercent(running), 25, 'no frame encoded yet, a quarter of the work done');
    assert.equal(jobPercent({ ...running, percent: undefined }), 0, 'an older backend: frames done');
    assert.equal(jobPercent({ ...running, status: 'done' }), 100);
  });
});
