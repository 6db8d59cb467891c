/**
 * Text the extension shows: tree descriptions, the status bar, the completion message. Pure (no
 * `vscode` import), so it is unit-tested directly.
 */
import type { SegmentReason, SegmentState } from '../../common/events';
import type { JobSnapshot, SegmentSnapshot } from '../../common/protocol';
import { formatClock, probeTable } from '../../common/text';
import { progressPercent } from '../../common/progress';
import { METRICS, METRIC_NAMES, formatMetricScore } from '../../common/quality-metric';
import { jobMetric, segmentScore, segmentScoreText, targetText, targetValueText } from '../../common/segment-score';

/** How a segment event names this machine (common/events.ts, SegmentEvent.host). */
const THIS_MACHINE = ':';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  // Binary units, named as the CLI and the report name them (KiB = 1024 bytes).
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}s`;
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return h ? `${h}h ${m}m` : `${m}m ${s}s`;
}

/** ETA in the status bar: coarse on purpose (`4m`, `40s`, `1h 5m`). */
export function formatEta(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))}s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes}m` : `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

export type SegmentDisplayState = SegmentState | 'cancelled';

const IN_FLIGHT = new Set<SegmentState>(['searching', 'encoding', 'validating']);

/**
 * What a segment shows: a segment that was searching, encoding or validating when its job stopped
 * (cancelled, interrupted, failed elsewhere) is no longer doing so; it shows *cancelled*.
 */
export function segmentDisplayState(job: Pick<JobSnapshot, 'status'>, segment: Pick<SegmentSnapshot, 'state'>): SegmentDisplayState {
  const stopped = job.status !== 'running' && job.status !== 'queued';
  return stopped && IN_FLIGHT.has(segment.state) ? 'cancelled' : segment.state;
}

/**
 * `crf 32 · VMAF 93.40 · 1.2 MiB · 00:01:10–00:01:20`, the score in the job's target metric
 * (`ssimu2 81.2`, `XPSNR 42.10 dB`); parts that are not known yet are left out.
 */
export function segmentDescription(segment: SegmentSnapshot, job?: Pick<JobSnapshot, 'target'>): string {
  const parts: string[] = [];
  if (segment.crf !== undefined) parts.push(`crf ${segment.crf}`);
  const score = segmentScoreText(job, segment);
  if (score) parts.push(score);
  if (segment.bytes !== undefined) parts.push(formatBytes(segment.bytes));
  parts.push(`${formatClock(segment.startSeconds)}–${formatClock(segment.endSeconds)}`);
  if (segment.host !== undefined) parts.push(segment.host === THIS_MACHINE ? 'this machine' : `on ${segment.host}`);
  return parts.join(' · ');
}

/** Why a segment starts where it does, in the words of its tooltip (the plan's cut reason, --split). */
export const CUT_REASON_TEXT: Record<SegmentReason, string> = {
  start: 'first segment',
  scene: 'starts at a scene change',
  keyframe: 'starts at a source keyframe',
  split: 'splits a scene longer than the maximum at its quietest frame',
  fixed: 'starts at a fixed-length cut',
  zone: 'starts at a zone boundary (the zones file)',
};

/** Markdown: a bold header, the source range (with why the segment starts there) and the probe table, each its own paragraph. */
export function segmentTooltip(
  segment: SegmentSnapshot,
  state: SegmentDisplayState = segment.state,
  job?: Pick<JobSnapshot, 'target'>,
): string {
  const range = `Source ${formatClock(segment.startSeconds)}–${formatClock(segment.endSeconds)}`;
  const lines = [`**Segment ${segment.index}**: ${state}`, '', segment.reason ? `${range}: ${CUT_REASON_TEXT[segment.reason]}` : range];
  const verified = verifiedScores(segment, job);
  if (verified) lines.push('', `Verified: ${verified}`);
  if (segment.probes.length) {
    // A probe's score is in the job's target metric (its `metric`; VMAF when absent).
    const metric = METRICS[segment.probes[0]!.metric ?? 'vmaf'];
    lines.push('', `| crf | ${metric.short}${metric.unit ? ` (${metric.unit})` : ''} | size | time |`, '|---:|---:|---:|---:|');
    for (const p of segment.probes)
      lines.push(`| ${p.crf} | ${p.vmaf.toFixed(metric.digits)} | ${formatBytes(p.bytes)} | ${p.seconds.toFixed(1)}s |`);
  }
  if (segment.error) lines.push('', `Error: ${segment.error}`);
  if (segment.warning) lines.push('', `Warning: ${segment.warning}`);
  return lines.join('\n');
}

/** `XPSNR 42.31 dB · VMAF 94.10`: every verified score, the job's target metric first. */
export function verifiedScores(segment: Pick<SegmentSnapshot, 'scores' | 'vmaf'>, job?: Pick<JobSnapshot, 'target'>): string | undefined {
  const first = jobMetric(job);
  const order = [first, ...METRIC_NAMES.filter((m) => m !== first)];
  const texts = order.flatMap((m) => {
    const score = segmentScore(segment, m);
    return score === undefined ? [] : [formatMetricScore(m, score)];
  });
  return texts.length ? texts.join(' · ') : undefined;
}

/**
 * The one progress figure: the backend's work-weighted percent (the CLI line's figure) while the
 * job runs; else, from an older backend or a restored job, frames done with the search counted.
 */
export function jobPercent(job: JobSnapshot): number {
  if (job.status === 'done') return 100;
  if (job.percent !== undefined && job.status === 'running') return Math.min(99, Math.floor(job.percent));
  return progressPercent(job);
}

/** `14:02` (local time of day) for a job started today, else `Dec 1 14:02`. */
export function formatStartTime(ms: number, now = Date.now()): string {
  const at = new Date(ms);
  const time = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return at.toDateString() === new Date(now).toDateString()
    ? time
    : `${at.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`;
}

export function jobDescription(job: JobSnapshot, now = Date.now()): string {
  const failed = job.segments.filter((s) => s.state === 'failed').length;
  const parts: string[] = [job.status];
  if (job.segmentsTotal) parts.push(`${job.segmentsDone}/${job.segmentsTotal}`);
  if (job.status === 'running') parts.push(`${jobPercent(job)}%`);
  if (failed) parts.push(`${failed} failed`);
  if (job.startedAt !== undefined) parts.push(formatStartTime(job.startedAt, now));
  if (job.startedAt !== undefined && job.status !== 'queued') parts.push(formatDuration(job.elapsedSeconds));
  return parts.join(' · ');
}

/** Newest first: by the time each job was queued (or started, for jobs saved before createdAt existed). */
export function newestFirst(jobs: JobSnapshot[]): JobSnapshot[] {
  const when = (job: JobSnapshot) => job.createdAt ?? job.startedAt ?? 0;
  return [...jobs].sort((a, b) => when(b) - when(a));
}

const FINISHED = new Set(['done', 'failed', 'cancelled']);

/** The jobs *Clear Finished Jobs* removes: done, failed and cancelled; not running, queued or resumable. */
export function finishedJobs(jobs: JobSnapshot[]): JobSnapshot[] {
  return jobs.filter((job) => FINISHED.has(job.status));
}

/** Markdown text is escaped so that a file name cannot turn into formatting or a link. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

/** `XPSNR 42 dB (mean), accepted 41.75–43 dB`: what a target-quality job aims at, in its metric's units. */
export function jobTargetText(job: Pick<JobSnapshot, 'target'>): string | undefined {
  if (!job.target) return undefined;
  const { metric, value, pool, low, high } = job.target;
  const digits = METRICS[metric].digits;
  const round = (v: number) => Number(v.toFixed(digits));
  return `${targetText(metric, value)} (${pool}), accepted ${round(low)}–${targetValueText(metric, round(high))}`;
}

/** `XPSNR 41.95–42.61 dB over 5 segments`: the verified scores so far, in the job's target metric. */
export function jobScoreRange(job: Pick<JobSnapshot, 'target' | 'segments'>): string | undefined {
  const metric = jobMetric(job);
  const scores = job.segments.flatMap((s) => {
    const score = s.state === 'done' ? segmentScore(s, metric) : undefined;
    return score === undefined ? [] : [score];
  });
  if (!scores.length) return undefined;
  const { short, digits, unit } = METRICS[metric];
  const [low, high] = [Math.min(...scores), Math.max(...scores)].map((v) => v.toFixed(digits));
  const span = low === high ? low : `${low}–${high}`;
  return `${short} ${span}${unit ? ` ${unit}` : ''} over ${scores.length} segment${scores.length === 1 ? '' : 's'}`;
}

export function jobTooltip(job: JobSnapshot): string {
  const lines = [
    `**${escapeMarkdown(job.input.split(/[\\/]/).pop() ?? job.input)}**: ${job.status}`,
    '',
    `Source: ${escapeMarkdown(job.input)}`,
    '',
    `Preset: ${escapeMarkdown(job.preset)}`,
  ];
  const target = jobTargetText(job);
  if (target) lines.push('', `Target: ${escapeMarkdown(target)}`);
  if (job.output) lines.push('', `Output: ${escapeMarkdown(job.output)}`);
  if (job.error) lines.push('', `Error: ${escapeMarkdown(job.error)}`);
  return lines.join('\n');
}

/** `$(sync~spin) AV1 12/40 · 31% · ETA 4m`; undefined when nothing runs (the item is hidden). */
export function statusText(jobs: JobSnapshot[]): string | undefined {
  const running = jobs.find((job) => job.status === 'running');
  if (!running) return undefined;
  const queued = jobs.filter((job) => job.status === 'queued').length;
  const parts = [`$(sync~spin) AV1 ${running.segmentsDone}/${running.segmentsTotal || '?'}`, `${jobPercent(running)}%`];
  if (running.etaSeconds !== null && running.etaSeconds > 0) parts.push(`ETA ${formatEta(running.etaSeconds)}`);
  if (queued) parts.push(`+${queued} queued`);
  return parts.join(' · ');
}

/**
 * The status bar's tooltip: what the running job aims at and its verified segments' scores so far,
 * in its target metric (`Target XPSNR 42 dB (mean), accepted 41.75–43 dB · XPSNR 41.95–42.61 dB over 5 segments`).
 */
export function statusTooltip(jobs: JobSnapshot[]): string {
  const running = jobs.find((job) => job.status === 'running');
  const facts = running ? [jobTargetText(running) && `Target ${jobTargetText(running)}`, jobScoreRange(running)].filter(Boolean) : [];
  return ['Chunked AV1: show the jobs', ...facts].join('\n');
}

/** `60% smaller than the source (977 KiB)`, or `56% larger than the source (…)` when the output grew. */
export function sizeChange(outputBytes: number, sourceBytes: number): string {
  const percent = Math.round((100 * Math.abs(sourceBytes - outputBytes)) / sourceBytes);
  if (outputBytes > sourceBytes) return `${percent}% larger than the source (${formatBytes(sourceBytes)})`;
  return `${percent}% smaller than the source (${formatBytes(sourceBytes)})`;
}

/** What a screen reader says for the status bar item: the same facts without the icon syntax. */
export function statusAccessibleLabel(jobs: JobSnapshot[]): string | undefined {
  const text = statusText(jobs);
  return (
    text &&
    `Chunked AV1 encoding: ${text
      .replace(/\$\([^)]*\)\s*/g, '')
      .replace(/^AV1 /, '')
      .replace(/ · /g, ', ')}`
  );
}

export function completionMessage(job: JobSnapshot): string {
  const name = job.output ? job.output.split(/[\\/]/).pop() : job.input;
  const size = job.outputBytes !== undefined ? formatBytes(job.outputBytes) : 'unknown size';
  const saving = job.outputBytes !== undefined && job.sourceBytes ? `, ${sizeChange(job.outputBytes, job.sourceBytes)}` : '';
  return `AV1 done: ${name} — ${size}${saving}, in ${formatDuration(job.elapsedSeconds)}`;
}

export { probeTable };
