/**
 * Folds the pipeline's events (common/events.ts) into the job snapshot the editor shows. Pure:
 * the registry feeds events in and sends out whatever changed.
 */
import type { JobEvent, SegmentEvent } from '../../../common/events';
import type { JobSnapshot, SegmentSnapshot } from '../../../common/protocol';

export function newSnapshot(jobId: string, input: string, preset: string, output?: string): JobSnapshot {
  return {
    jobId,
    input,
    output,
    preset,
    status: 'queued',
    segments: [],
    segmentsDone: 0,
    segmentsTotal: 0,
    framesDone: 0,
    framesTotal: 0,
    etaSeconds: null,
    elapsedSeconds: 0,
  };
}

export type Change = { kind: 'job' } | { kind: 'segment'; segment: SegmentSnapshot } | { kind: 'none' };

export function applyEvent(job: JobSnapshot, event: JobEvent): Change {
  switch (event.event) {
    case 'plan':
      job.workDir = event.workDir;
      job.framesTotal = event.frames;
      job.segmentsTotal = event.segments;
      job.segments = event.ranges.map((range) => {
        const previous = job.segments.find((s) => s.index === range.index);
        const segment = previous ?? {
          index: range.index,
          state: 'queued',
          startSeconds: range.startSeconds,
          endSeconds: range.endSeconds,
          probes: [],
        };
        if (range.reason) segment.reason = range.reason;
        return segment;
      });
      if (event.target) job.target = event.target;
      return { kind: 'job' };
    case 'segment':
      return { kind: 'segment', segment: applySegment(job, event) };
    case 'progress':
      job.framesDone = event.framesDone;
      job.framesTotal = event.framesTotal;
      job.segmentsDone = event.segmentsDone;
      job.segmentsTotal = event.segmentsTotal;
      job.etaSeconds = event.etaSeconds;
      if (event.percent !== undefined) job.percent = event.percent;
      return { kind: 'job' };
    case 'done':
      job.status = 'done';
      job.output = event.output;
      job.outputBytes = event.bytes;
      job.sourceBytes = event.sourceBytes;
      job.framesDone = job.framesTotal = event.frames;
      job.segmentsDone = job.segmentsTotal;
      job.etaSeconds = 0;
      job.percent = 100;
      if (event.qualityTarget) job.target = event.qualityTarget;
      for (const done of event.segments) {
        const segment = job.segments.find((s) => s.index === done.index);
        if (done.scores && segment) segment.scores = { ...done.scores };
      }
      return { kind: 'job' };
    case 'error':
      job.status = 'failed';
      job.error = event.message;
      for (const failed of event.failedSegments ?? []) {
        const segment = job.segments.find((s) => s.index === failed.index);
        if (segment) Object.assign(segment, { state: 'failed', error: failed.error });
      }
      return { kind: 'job' };
    default:
      return { kind: 'none' };
  }
}

function applySegment(job: JobSnapshot, event: SegmentEvent): SegmentSnapshot {
  let segment = job.segments.find((s) => s.index === event.index);
  if (!segment) {
    segment = { index: event.index, state: event.state, startSeconds: 0, endSeconds: 0, probes: [] };
    job.segments.push(segment);
    job.segments.sort((a, b) => a.index - b.index);
  }
  segment.state = event.state;
  if (event.crf !== undefined) segment.crf = event.crf;
  if (event.vmaf !== undefined) segment.vmaf = event.vmaf;
  if (event.scores) segment.scores = { ...event.scores };
  if (event.bytes !== undefined) segment.bytes = event.bytes;
  if (event.file !== undefined) segment.file = event.file;
  if (event.host !== undefined) segment.host = event.host;
  if (event.probes) segment.probes = [...event.probes];
  else if (event.probe) segment.probes = [...segment.probes, event.probe];
  // A new attempt starts clean: the previous failure and warning no longer describe the segment.
  if (event.state === 'queued' || event.state === 'searching' || event.state === 'encoding') {
    delete segment.error;
    delete segment.warning;
  }
  if (event.error !== undefined) segment.error = event.error;
  if (event.warning !== undefined) segment.warning = event.warning;
  job.segmentsDone = job.segments.filter((s) => s.state === 'done' || s.state === 'skipped').length;
  return segment;
}

export function failedCount(job: JobSnapshot): number {
  return job.segments.filter((s) => s.state === 'failed').length;
}
