import type { DoneEvent } from '../../../common/events';
import { DEFAULT_CRF, describeTarget, qualityTargetOf, type EncodeOptions } from '../../../common/options';
import { clock, size } from '../job';
import { printable } from '../sys';
import { formatMetricScore, METRIC_NAMES } from '../../../common/quality-metric';

/** What the CRF aimed at, as the summary and the done event name it. */
export function targetText(options: EncodeOptions): string {
  const target = qualityTargetOf(options);
  return target ? describeTarget(target) : `CRF ${options.crf ?? DEFAULT_CRF}`;
}

export function engineText(options: EncodeOptions): string {
  return `SVT-AV1 preset ${options.preset}${options.svtParams ? ` (${options.svtParams})` : ''}`;
}

/** The done event with the fields the CLI adds (existing fields keep their order and values). */
export function completeDone(done: DoneEvent, options: EncodeOptions, durationSeconds: number | undefined): DoneEvent {
  return {
    ...done,
    ...(durationSeconds !== undefined ? { durationSeconds } : {}),
    target: targetText(options),
    engine: engineText(options),
  };
}

/** Percentage saved against the source (negative when the output is larger). */
export function savedPercent(bytes: number, sourceBytes: number): number | undefined {
  return sourceBytes > 0 ? Math.round((1 - bytes / sourceBytes) * 1000) / 10 : undefined;
}

function mib(bytes: number): string {
  return size(bytes);
}

/** The per-segment table: index, CRF, VMAF, size. */
export function segmentTable(segments: DoneEvent['segments']): string[] {
  // Another target metric or --also-score: a column of the other metrics' scores (`ssimu2 81.2, XPSNR 42.10 dB`).
  const others = segments.some((s) => Object.keys(s.scores ?? {}).some((m) => m !== 'vmaf'));
  const otherScores = (s: DoneEvent['segments'][number]) =>
    METRIC_NAMES.filter((m) => m !== 'vmaf' && s.scores?.[m] !== undefined)
      .map((m) => formatMetricScore(m, s.scores![m]!))
      .join(', ') || '-';
  const rows = segments.map((s) => [
    String(s.index),
    s.crf === undefined ? '?' : String(s.crf),
    s.vmaf === undefined ? '-' : s.vmaf.toFixed(2),
    ...(others ? [otherScores(s)] : []),
    mib(s.bytes),
    s.unreachable ? 'unreachable' : s.warning ? 'warning' : '',
  ]);
  const header = ['segment', 'CRF', 'VMAF', ...(others ? ['scores'] : []), 'size', ''];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  return [header, ...rows].map(
    (row) =>
      `  ${row
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd()}`,
  );
}

/** The closing summary of one encode, several lines, each meant for a person. */
export function summaryText(done: DoneEvent): string {
  const saved = savedPercent(done.bytes, done.sourceBytes);
  const lines = [
    `wrote ${printable(done.output)}`,
    `  size:     ${mib(done.bytes)} (source ${mib(done.sourceBytes)}${saved === undefined ? '' : saved >= 0 ? `, ${saved}% saved` : `, ${-saved}% larger`})`,
    `  video:    ${done.durationSeconds === undefined ? '?' : clock(done.durationSeconds)} (${done.frames} frames), encoded in ${clock(done.seconds)} wall time`,
  ];
  if (done.target) lines.push(`  target:   ${done.target}`);
  if (done.engine) lines.push(`  engine:   ${done.engine}`);
  lines.push(...segmentTable(done.segments));
  const unreachable = done.segments.filter((s) => s.unreachable);
  for (const s of unreachable)
    lines.push(`  segment ${s.index}: ${s.unreachable} (the target is out of this content's reach; --strict fails instead)`);
  const warned = done.segments.filter((s) => s.warning && !s.unreachable).length;
  if (warned) lines.push(`  ${warned} segment(s) with a warning (see above)`);
  return lines.join('\n');
}
