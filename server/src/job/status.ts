import type { Manifest } from './manifest';
import type { MetricScores } from '../../../common/events';
import type { QualityTarget } from '../../../common/options';

/**
 * A job's state as `chunked-av1 status` and the editor's tree view show it, derived from the
 * manifest alone (pure: the caller reads the manifest and the lock). The JSON form is a
 * contract like the events: fields are only ever added.
 */
export type JobState = 'running' | 'interrupted' | 'failed' | 'cancelled' | 'done';

export interface SegmentStatus {
  index: number;
  state: 'pending' | 'done' | 'failed';
  startFrame: number;
  frames: number;
  attempts: number;
  crf?: number;
  vmaf?: number;
  /** Every metric measured at verification (another target metric, or --also-score; issue 25). */
  scores?: MetricScores;
  bytes?: number;
  error?: string;
  /** Who made the segment with --hosts: `:` for this machine, else user@host:port (from the manifest). */
  host?: string;
  /** Absolute path of the encoded segment (exists only once it is done). */
  file: string;
  /** The zone the segment lies in (--zones): its number in the zones file and what it overrides. */
  zone?: { index: number; overrides: Record<string, unknown> };
}

export interface JobStatus {
  workDir: string;
  input: string;
  output: string;
  state: JobState;
  /** Pid of the run working on it now, if any. */
  runningPid?: number;
  updatedAt: string;
  segmentsTotal: number;
  segmentsDone: number;
  segmentsFailed: number;
  segmentsPending: number;
  framesTotal: number;
  framesDone: number;
  encodedBytes: number;
  lastError?: string;
  /** Target quality: the job's target (metric, value, pool, verification band). */
  target?: QualityTarget;
  segments: SegmentStatus[];
}

export function jobStatus(manifest: Manifest, workDir: string, encodedPath: (index: number) => string, runningPid?: number): JobStatus {
  const segments = manifest.segments.map((record): SegmentStatus => {
    const status: SegmentStatus = {
      index: record.index,
      state: record.state,
      startFrame: record.startFrame,
      frames: record.frames,
      attempts: record.attempts,
      file: encodedPath(record.index),
    };
    if (record.crf !== undefined) status.crf = record.crf;
    if (record.vmaf !== undefined) status.vmaf = record.vmaf;
    if (record.scores) status.scores = record.scores;
    if (record.bytes !== undefined) status.bytes = record.bytes;
    if (record.lastError) status.error = record.lastError;
    if (typeof record.extra?.host === 'string') status.host = record.extra.host;
    const zone = manifest.plan.segments.find((s) => s.index === record.index)?.zone;
    if (zone) status.zone = zone;
    return status;
  });
  const count = (state: SegmentStatus['state']) => segments.filter((s) => s.state === state).length;
  // A manifest that says "running" with nobody holding the lock was left by a run that died.
  const state: JobState = manifest.status === 'running' ? (runningPid ? 'running' : 'interrupted') : manifest.status;
  const result: JobStatus = {
    workDir,
    input: manifest.input.path,
    output: manifest.output,
    state,
    updatedAt: manifest.updatedAt,
    segmentsTotal: segments.length,
    segmentsDone: count('done'),
    segmentsFailed: count('failed'),
    segmentsPending: count('pending'),
    framesTotal: manifest.plan.frames,
    framesDone: segments.filter((s) => s.state === 'done').reduce((sum, s) => sum + s.frames, 0),
    encodedBytes: segments.reduce((sum, s) => sum + (s.state === 'done' ? (s.bytes ?? 0) : 0), 0),
    segments,
  };
  if (runningPid) result.runningPid = runningPid;
  if (manifest.lastError) result.lastError = manifest.lastError;
  if (manifest.settings.target) result.target = manifest.settings.target;
  return result;
}

const STATE_TEXT: Record<JobState, string> = {
  running: 'running',
  interrupted: 'interrupted (run the same encode command again to resume)',
  failed: 'failed (run the same encode command again to retry the failed segments)',
  cancelled: 'cancelled (run the same encode command again to resume)',
  done: 'done',
};

/** Done segments per host that made them (--hosts), in order of first appearance. */
export function segmentsPerHost(segments: readonly SegmentStatus[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const segment of segments)
    if (segment.state === 'done' && segment.host) counts.set(segment.host, (counts.get(segment.host) ?? 0) + 1);
  return [...counts];
}

/** The human-readable form: a header, the counts, then one line per failed segment. */
export function formatJobStatus(status: JobStatus): string {
  const lines = [
    `${status.workDir}: ${STATE_TEXT[status.state]}${status.runningPid ? ` (pid ${status.runningPid})` : ''}`,
    `  input:    ${status.input}`,
    `  output:   ${status.output}`,
    `  segments: ${status.segmentsDone}/${status.segmentsTotal} done, ${status.segmentsFailed} failed, ${status.segmentsPending} pending` +
      ` (${status.framesDone}/${status.framesTotal} frames, ${status.encodedBytes} bytes encoded)`,
    `  updated:  ${status.updatedAt}`,
  ];
  const byHost = segmentsPerHost(status.segments);
  if (byHost.length)
    lines.push(`  hosts:    ${byHost.map(([host, count]) => `${host === ':' ? ': (this machine)' : host} ${count}`).join(', ')}`);
  for (const segment of status.segments.filter((s) => s.state === 'failed')) {
    lines.push(`  segment ${segment.index} failed after ${segment.attempts} attempt(s): ${segment.error ?? 'unknown error'}`);
  }
  if (status.lastError) lines.push(`  last error: ${status.lastError}`);
  return lines.join('\n');
}
