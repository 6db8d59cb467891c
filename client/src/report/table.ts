/// <reference lib="dom" />
import type { QualityReport, SegmentReport } from '../../../common/report';

/** Text for the report page: the summary line, the hover details and the table (the charts' alternative). */

export function formatSeconds(value: number): string {
  const m = Math.floor(value / 60);
  const s = value - m * 60;
  return `${m}:${s.toFixed(2).padStart(5, '0')}`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

const fixed = (value: number | undefined, digits: number) => (value === undefined ? '–' : value.toFixed(digits));

export function summaryLines(report: QualityReport): string[] {
  const t = report.totals;
  const lines = [
    `${report.input} → ${report.output}`,
    `${report.status}: ${t.done} of ${t.segments} segments done${t.failed ? `, ${t.failed} failed` : ''}${t.pending ? `, ${t.pending} pending` : ''}; ` +
      `${report.mode === 'target-quality' ? `target VMAF ${report.target!.vmaf} (band ${report.target!.low}–${report.target!.high})` : `fixed CRF ${report.crf ?? '?'}`}, preset ${report.preset}`,
    `source ${formatBytes(t.sourceBytes)}, encoded video ${formatBytes(t.encodedBytes)}${t.kbps !== undefined ? ` (${t.kbps.toFixed(0)} kbit/s)` : ''}` +
      `${t.outputBytes !== undefined ? `, output ${formatBytes(t.outputBytes)}` : ''}${t.saving !== undefined ? `, saving ${(t.saving * 100).toFixed(1)} %` : ''}` +
      `${t.wallSeconds !== undefined ? `, ${t.wallSeconds.toFixed(1)} s wall` : ''}${t.cpuSeconds !== undefined ? `, ${t.cpuSeconds.toFixed(1)} s CPU` : ''}`,
  ];
  if (report.quality) {
    const q = report.quality;
    lines.push(
      `VMAF mean ${q.meanVmaf.toFixed(2)} (frame-weighted), lowest ${q.minVmaf.toFixed(2)} in segment ${q.minSegment}; ${q.belowBand} below the band, ${q.aboveBand} above`,
    );
  }
  return lines;
}

export function segmentDetails(segment: SegmentReport): string {
  const parts = [
    `Segment ${segment.index} (${segment.state})`,
    `${formatSeconds(segment.startSeconds)}–${formatSeconds(segment.endSeconds)}`,
    `${segment.frames} frames`,
  ];
  if (segment.crf !== undefined) parts.push(`CRF ${segment.crf}`);
  if (segment.vmaf !== undefined)
    parts.push(`VMAF ${segment.vmaf.toFixed(2)}${segment.band && segment.band !== 'within' ? ` (${segment.band} the band)` : ''}`);
  if (segment.kbps !== undefined) parts.push(`${segment.kbps.toFixed(0)} kbit/s`);
  if (segment.bytes !== undefined) parts.push(formatBytes(segment.bytes));
  if (segment.probes.length) parts.push(`${segment.probes.length} probes`);
  if (segment.attempts > 1) parts.push(`${segment.attempts} attempts`);
  if (segment.host) parts.push(`on ${segment.host}`);
  if (segment.warning) parts.push(`⚠ ${segment.warning}`);
  if (segment.error) parts.push(`✗ ${segment.error}`);
  return parts.join(' · ');
}

const COLUMNS = ['#', 'time', 'frames', 'state', 'CRF', 'VMAF', 'band', 'kbit/s', 'size', 'probes (CRF→VMAF)', 'attempts', 'note'];

function cells(segment: SegmentReport): string[] {
  return [
    String(segment.index),
    `${formatSeconds(segment.startSeconds)}–${formatSeconds(segment.endSeconds)}`,
    String(segment.frames),
    segment.state,
    segment.crf === undefined ? '–' : String(segment.crf),
    fixed(segment.vmaf, 2),
    segment.band ?? '–',
    fixed(segment.kbps, 0),
    segment.bytes === undefined ? '–' : formatBytes(segment.bytes),
    segment.probes.map((p) => `${p.crf}→${p.vmaf.toFixed(2)}`).join(', ') || '–',
    String(segment.attempts),
    segment.error ?? segment.warning ?? '',
  ];
}

/** One row per segment; clicking a row selects the segment like clicking its bar. */
export function segmentTable(report: QualityReport, select: (segment: SegmentReport) => void): HTMLTableElement {
  const table = document.createElement('table');
  table.className = 'segments';
  const caption = table.createCaption();
  caption.textContent = `${report.segments.length} segments`;
  const head = table.createTHead().insertRow();
  for (const name of COLUMNS) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = name;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const segment of report.segments) {
    const row = body.insertRow();
    row.dataset.segment = String(segment.index);
    row.className = `state-${segment.state}${segment.band ? ` band-${segment.band}` : ''}`;
    row.tabIndex = 0;
    for (const text of cells(segment)) row.insertCell().textContent = text;
    row.addEventListener('click', () => select(segment));
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') select(segment);
    });
  }
  return table;
}
