/// <reference lib="dom" />
import type { QualityReport, SegmentReport } from '../../../common/report';
import { METRICS, formatMetricScore, type MetricName } from '../../../common/quality-metric';

import { formatBytes, formatSeconds } from './format';

export { formatBytes, formatSeconds };

/** Text for the report page: the summary line, the hover details and the table (the charts' alternative). */

const fixed = (value: number | undefined, digits: number) => (value === undefined ? '–' : value.toFixed(digits));

/** `target VMAF 93 (band 92.5–95)`, `target SSIMULACRA2 80 (band 79–84)`, `target XPSNR 42 dB (band 41.75–43)`. */
function targetText(report: QualityReport): string {
  const target = report.target!;
  const facts = METRICS[report.metric ?? 'vmaf'];
  return `target ${facts.label} ${target.vmaf}${facts.unit ? ` ${facts.unit}` : ''} (band ${target.low}–${target.high})`;
}

/** The metrics other than VMAF the report has scores in (the job's, then --also-score's): a table column each. */
function otherMetrics(report: QualityReport): MetricName[] {
  return [...new Set([report.metric ?? 'vmaf', ...(report.alsoScored ?? [])])].filter((m) => m !== 'vmaf');
}

export function summaryLines(report: QualityReport): string[] {
  const t = report.totals;
  if (report.status === 'searched') return searchLines(report);
  const lines = [
    `${report.input} → ${report.output}`,
    `${report.status}: ${t.done} of ${t.segments} segments done${t.failed ? `, ${t.failed} failed` : ''}${t.pending ? `, ${t.pending} pending` : ''}; ` +
      `${report.mode === 'target-quality' ? targetText(report) : `fixed CRF ${report.crf ?? '?'}`}, preset ${report.preset}`,
    `source ${formatBytes(t.sourceBytes)}${t.sourceKbps !== undefined ? ` (video ${t.sourceKbps.toFixed(0)} kbit/s over the encoded segments)` : ''}, encoded video ${formatBytes(t.encodedBytes)}${t.kbps !== undefined ? ` (${t.kbps.toFixed(0)} kbit/s)` : ''}` +
      `${t.outputBytes !== undefined ? `, output ${formatBytes(t.outputBytes)}` : ''}${t.saving !== undefined ? `, saving ${(t.saving * 100).toFixed(1)} %` : ''}` +
      `${t.wallSeconds !== undefined ? `, ${t.wallSeconds.toFixed(1)} s wall` : ''}${t.cpuSeconds !== undefined ? `, ${t.cpuSeconds.toFixed(1)} s CPU` : ''}`,
  ];
  if (report.quality) {
    const q = report.quality;
    const facts = METRICS[report.metric ?? 'vmaf'];
    lines.push(
      `${facts.label} mean ${q.meanVmaf.toFixed(facts.digits)} (frame-weighted), lowest ${q.minVmaf.toFixed(facts.digits)} in segment ${q.minSegment}; ${q.belowBand} below the band, ${q.aboveBand} above`,
    );
  }
  return lines;
}

/** After `chunked-av1 search`: what the search predicts, said to be a prediction (nothing was encoded). */
function searchLines(report: QualityReport): string[] {
  const t = report.totals;
  const predicted = t.predicted ?? { segments: 0, bytes: 0 };
  const target = report.target ? targetText(report) : `fixed CRF ${report.crf ?? '?'}`;
  return [
    `${report.input} → ${report.output}`,
    `searched: ${predicted.segments} of ${t.segments} segments have a predicted CRF; ${target}, preset ${report.preset}`,
    `prediction, nothing encoded yet: video ~${formatBytes(predicted.bytes)} (source ${formatBytes(t.sourceBytes)}); run encode to use these CRFs`,
  ];
}

export function segmentDetails(segment: SegmentReport, report?: QualityReport): string {
  const parts = [
    `Segment ${segment.index} (${segment.state})`,
    `${formatSeconds(segment.startSeconds)}–${formatSeconds(segment.endSeconds)}`,
    `${segment.frames} frames`,
  ];
  if (segment.crf !== undefined)
    parts.push(`CRF ${segment.crf}${segment.predictedCrf !== undefined ? ` (predicted ${segment.predictedCrf})` : ''}`);
  const band = segment.band && segment.band !== 'within' ? ` (${segment.band} the band)` : '';
  if (segment.scores) {
    // The job's metric carries the band; each metric as the tree writes it (`ssimu2 81.2`).
    const own = report?.metric ?? 'vmaf';
    const scores = Object.entries(segment.scores) as [MetricName, number][];
    for (const [metric, value] of [...scores.filter(([m]) => m === own), ...scores.filter(([m]) => m !== own)])
      parts.push(`${formatMetricScore(metric, value)}${metric === own ? band : ''}`);
  } else if (segment.vmaf !== undefined) parts.push(`VMAF ${segment.vmaf.toFixed(2)}${band}`);
  if (segment.zone) parts.push(segment.zone.label);
  if (segment.prediction) {
    const p = segment.prediction;
    parts.push(
      `predicted: CRF ${p.crf}${p.vmaf !== undefined ? `, VMAF ${p.vmaf.toFixed(2)}` : ''}${p.bytes !== undefined ? `, ~${formatBytes(p.bytes)}` : ''}`,
    );
  }
  if (segment.sourceKbps !== undefined) parts.push(`source ${segment.sourceKbps.toFixed(0)} kbit/s`);
  if (segment.kbps !== undefined) parts.push(`${segment.sourceKbps !== undefined ? 'output ' : ''}${segment.kbps.toFixed(0)} kbit/s`);
  if (segment.bytes !== undefined) parts.push(formatBytes(segment.bytes));
  if (segment.probes.length) parts.push(`${segment.probes.length} probes`);
  if (segment.encodes !== undefined) parts.push(`${segment.encodes} ${segment.encodes === 1 ? 'encode' : 'encodes'}`);
  if (segment.attempts > 1) parts.push(`${segment.attempts} attempts`);
  if (segment.host) parts.push(`on ${segment.host}`);
  if (segment.warning) parts.push(`⚠ ${segment.warning}`);
  if (segment.error) parts.push(`✗ ${segment.error}`);
  return parts.join(' · ');
}

const COLUMNS = [
  '#',
  'time',
  'frames',
  'state',
  'predicted CRF',
  'final CRF',
  'encodes',
  'VMAF',
  'band',
  'source kbit/s',
  'output kbit/s',
  'size',
  'predicted (CRF, VMAF, size)',
  'probes (CRF→VMAF)',
  'attempts',
  'note',
];

function columns(report: QualityReport): string[] {
  const at = COLUMNS.indexOf('VMAF') + 1;
  const zone = report.zones?.length ? ['zone'] : [];
  return [...COLUMNS.slice(0, at), ...otherMetrics(report).map((m) => METRICS[m].label), ...COLUMNS.slice(at), ...zone];
}

function cells(segment: SegmentReport, report: QualityReport): string[] {
  const at = COLUMNS.indexOf('VMAF') + 1;
  const own = ownCells(segment);
  const others = otherMetrics(report).map((m) => fixed(segment.scores?.[m], METRICS[m].digits));
  return [...own.slice(0, at), ...others, ...own.slice(at), ...(report.zones?.length ? [segment.zone?.label ?? '–'] : [])];
}

function ownCells(segment: SegmentReport): string[] {
  return [
    String(segment.index),
    `${formatSeconds(segment.startSeconds)}–${formatSeconds(segment.endSeconds)}`,
    String(segment.frames),
    segment.state,
    segment.predictedCrf === undefined ? '–' : String(segment.predictedCrf),
    segment.crf === undefined ? '–' : String(segment.crf),
    segment.encodes === undefined ? '–' : String(segment.encodes),
    fixed(segment.vmaf, 2),
    segment.band ?? '–',
    fixed(segment.sourceKbps, 0),
    fixed(segment.kbps, 0),
    segment.bytes === undefined ? '–' : formatBytes(segment.bytes),
    segment.prediction
      ? `${segment.prediction.crf}, ${fixed(segment.prediction.vmaf, 2)}, ${segment.prediction.bytes === undefined ? '?' : `~${formatBytes(segment.prediction.bytes)}`}`
      : '–',
    segment.probes.map((p) => `${p.crf}→${p.vmaf.toFixed(2)}`).join(', ') || '–',
    String(segment.attempts),
    segment.error ?? segment.warning ?? segment.prediction?.warning ?? '',
  ];
}

/** One row per segment; clicking a row selects the segment like clicking its bar. */
export function segmentTable(report: QualityReport, select: (segment: SegmentReport) => void): HTMLTableElement {
  const table = document.createElement('table');
  table.className = 'segments';
  const caption = table.createCaption();
  caption.textContent = `${report.segments.length} segments`;
  const head = table.createTHead().insertRow();
  for (const name of columns(report)) {
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
    for (const text of cells(segment, report)) row.insertCell().textContent = text;
    row.addEventListener('click', () => select(segment));
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') select(segment);
    });
  }
  return table;
}
