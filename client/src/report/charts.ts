/// <reference lib="dom" />
import uPlot from 'uplot';
import type { QualityReport, SegmentReport } from '../../../common/report';
import { METRICS, type MetricName } from '../../../common/quality-metric';
import { metricAxis, scoreOf } from './metric-text';
import { formatSeconds } from './format';
import { zoneHooks } from './zone-marks';

/**
 * The report's charts, drawn with uPlot (canvas; ~50 KB). The x-axis is film time. Colours come
 * from the VS Code theme's CSS variables (the standalone HTML report defines light and dark
 * fallbacks for them), read when the charts are drawn; a theme change redraws them. Segments
 * below the target band are drawn as dashed outlines, the others filled: told apart without hue.
 */

export interface Theme {
  foreground: string;
  grid: string;
  primary: string;
  secondary: string;
  warning: string;
  band: string;
  zone: string;
}

export function readTheme(element: HTMLElement): Theme {
  const style = getComputedStyle(element);
  const css = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const foreground = css('--vscode-editor-foreground', '#333');
  return {
    foreground,
    grid: css('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)'),
    primary: css('--vscode-charts-blue', '#1a85ff'),
    secondary: css('--vscode-charts-purple', '#b180d7'),
    warning: css('--vscode-charts-orange', '#d18616'),
    band: css('--vscode-charts-green', '#388a34'),
    zone: css('--vscode-charts-yellow', '#b89500'),
  };
}

export interface ChartHooks {
  /** The hovered segment (undefined when the cursor leaves). */
  hover(segment: SegmentReport | undefined): void;
  /** A segment's bar or step was clicked. */
  select(segment: SegmentReport): void;
}

const HEIGHT = 220;

function seconds(value: number): string {
  const m = Math.floor(value / 60);
  const s = value - m * 60;
  return m ? `${m}:${s.toFixed(0).padStart(2, '0')}` : `${s.toFixed(1)} s`;
}

export function axes(theme: Theme, yLabel: string, xLabel = 'film time'): uPlot.Axis[] {
  const axis = { stroke: theme.foreground, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 } };
  return [
    { ...axis, label: xLabel, values: xLabel === 'film time' ? (_u, values) => values.map(seconds) : undefined },
    { ...axis, label: yLabel, size: 56 },
  ];
}

export function withAlpha(colour: string, alpha: string): string {
  return /^#[0-9a-f]{6}$/i.test(colour) ? `${colour}${alpha}` : colour;
}

/** A segment's exact span as the legends and details show it: start–end in film time. */
export function spanText(segment: SegmentReport): string {
  return `${formatSeconds(segment.startSeconds)}–${formatSeconds(segment.endSeconds)}`;
}

/** The segment whose [start, end) holds film time T (the last segment includes its end). */
export function segmentAt(segments: readonly SegmentReport[], t: number): number | null {
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (t >= s.startSeconds && (t < s.endSeconds || (i === segments.length - 1 && t <= s.endSeconds))) return i;
  }
  return null;
}

/**
 * Bars over each segment's exact [start, end] (uPlot's own bars are centred on a point with one
 * width for all, which misplaces unequal segments). `part` splits each span for side-by-side bars.
 */
export function spanBars(segments: readonly SegmentReport[], part = { at: 0, of: 1 }): uPlot.Series.PathBuilder {
  return (u, seriesIdx, idx0, idx1) => {
    const values = u.data[seriesIdx]!;
    const path = new Path2D();
    const floor = u.valToPos(Math.max(u.scales.y!.min ?? 0, Math.min(0, u.scales.y!.max ?? 0)), 'y', true);
    const gap = Math.round(devicePixelRatio);
    for (let i = idx0; i <= idx1; i++) {
      const value = values[i];
      const segment = segments[i];
      if (value == null || !segment) continue;
      const left = u.valToPos(segment.startSeconds, 'x', true);
      const width = (u.valToPos(segment.endSeconds, 'x', true) - left) / part.of;
      const x = left + width * part.at + gap;
      const top = u.valToPos(value, 'y', true);
      path.rect(x, top, Math.max(1, width - 2 * gap), floor - top);
    }
    return { stroke: path, fill: path };
  };
}

/** A level per segment over its exact span (the CRF): horizontal strokes, joined at the cuts. */
function spanLevels(segments: readonly SegmentReport[]): uPlot.Series.PathBuilder {
  return (u, seriesIdx, idx0, idx1) => {
    const values = u.data[seriesIdx]!;
    const path = new Path2D();
    let joined = false;
    for (let i = idx0; i <= idx1; i++) {
      const value = values[i];
      const segment = segments[i];
      if (value == null || !segment) {
        joined = false;
        continue;
      }
      const y = u.valToPos(value, 'y', true);
      const left = u.valToPos(segment.startSeconds, 'x', true);
      if (joined) path.lineTo(left, y);
      else path.moveTo(left, y);
      path.lineTo(u.valToPos(segment.endSeconds, 'x', true), y);
      joined = true;
    }
    return { stroke: path, fill: null };
  };
}

/** uPlot writes `--` in a legend cell with nothing under the cursor: an empty cell says it better. */
function blankPlaceholders(u: uPlot): void {
  u.root.querySelectorAll('.u-legend .u-value').forEach((cell) => {
    if (cell.textContent === '--') cell.textContent = '';
  });
}

/**
 * A chart whose data index i is segments[i], x its start. The cursor picks the segment whose span
 * holds the cursor's time (not the nearest start), so every chart's legend names the same segment.
 */
export function segmentChart(
  host: HTMLElement,
  report: QualityReport,
  options: Omit<uPlot.Options, 'width' | 'height'>,
  values: (number | null)[][],
  hooks: ChartHooks,
  theme: Theme,
): uPlot {
  const segments = report.segments;
  const zones = zoneHooks(report.zones, theme.zone);
  const chart = new uPlot(
    {
      ...options,
      series: [
        { label: 'segment', value: (_u, _v, _s, idx) => (idx == null || !segments[idx] ? '' : `${idx}: ${spanText(segments[idx])}`) },
        ...options.series.slice(1),
      ],
      width: Math.max(320, host.clientWidth || 800),
      height: HEIGHT,
      cursor: {
        sync: { key: 'segments' },
        points: { show: false },
        dataIdx: (_u, _seriesIdx, _closest, xValue) => segmentAt(segments, xValue),
      },
      hooks: {
        ...options.hooks,
        // The zones' shading first, under the target band and the bars.
        drawClear: [...(zones.drawClear ?? []), ...(options.hooks?.drawClear ?? [])],
        draw: [...(zones.draw ?? []), ...(options.hooks?.draw ?? [])],
        ready: [blankPlaceholders],
        setLegend: [blankPlaceholders],
        setCursor: [(u) => hooks.hover(u.cursor.idx == null ? undefined : segments[u.cursor.idx])],
      },
    },
    [segments.map((s) => s.startSeconds), ...values] as uPlot.AlignedData,
    host,
  );
  // The segment under the click itself: the cursor's index can still be the last move's when a click comes without one.
  chart.over.addEventListener('click', (event) => {
    const idx = segmentAt(segments, chart.posToVal(event.offsetX, 'x'));
    const segment = idx == null ? undefined : segments[idx];
    if (segment) hooks.select(segment);
  });
  host.dataset.points = String(segments.length);
  return chart;
}

/** Paints the band (translucent, outlined) and the dashed target line over the plot's full width. */
export function drawTargetBand(u: uPlot, target: { vmaf: number; low: number; high: number }, theme: Theme): void {
  const { ctx, bbox } = u;
  const y = (value: number) => Math.round(u.valToPos(value, 'y', true));
  ctx.save();
  ctx.fillStyle = withAlpha(theme.band, '22');
  ctx.fillRect(bbox.left, y(target.high), bbox.width, y(target.low) - y(target.high));
  ctx.strokeStyle = withAlpha(theme.band, '99');
  ctx.lineWidth = 1;
  ctx.strokeRect(bbox.left, y(target.high), bbox.width, y(target.low) - y(target.high));
  ctx.strokeStyle = theme.foreground;
  ctx.setLineDash([8, 4]);
  ctx.beginPath();
  ctx.moveTo(bbox.left, y(target.vmaf));
  ctx.lineTo(bbox.left + bbox.width, y(target.vmaf));
  ctx.stroke();
  ctx.restore();
}

/** The film's span, so the first and last bars are drawn whole. */
export function filmRange(report: QualityReport): uPlot.Scale {
  const first = report.segments[0]?.startSeconds ?? 0;
  const last = report.segments.at(-1)?.endSeconds ?? first + 1;
  return { time: false, range: [first, last > first ? last : first + 1] };
}

export const searched = (report: QualityReport) => report.status === 'searched';
export const number = (digits: number) => (_u: uPlot, v: number | null) => (v == null ? '' : v.toFixed(digits));

/** 2. CRF per segment, a level over each segment's span (the search's predicted CRF after `search`). */
export function crfChart(host: HTMLElement, report: QualityReport, theme: Theme, hooks: ChartHooks): uPlot {
  const crfs = report.segments.map((s) => s.crf ?? s.prediction?.crf ?? null);
  const known = crfs.filter((v): v is number => v !== null);
  const label = searched(report) ? 'predicted CRF (search)' : 'CRF';
  return segmentChart(
    host,
    report,
    {
      title: searched(report) ? 'Predicted CRF per segment (search only: nothing encoded)' : 'CRF per segment',
      // An axis even with no CRF yet: the encoder's range.
      scales: { x: filmRange(report), y: { range: known.length ? (_u, min, max) => [Math.floor(min) - 1, Math.ceil(max) + 1] : [0, 63] } },
      axes: axes(theme, 'CRF'),
      series: [
        {},
        { label, stroke: theme.secondary, width: 2, paths: spanLevels(report.segments), points: { show: false }, value: number(0) },
      ],
    },
    [crfs],
    hooks,
    theme,
  );
}

/** 3. Bitrate per segment: the source's and the output's side by side over each segment's span. */
export function bitrateChart(host: HTMLElement, report: QualityReport, theme: Theme, hooks: ChartHooks): uPlot {
  const segments = report.segments;
  const source = segments.map((s) => s.sourceKbps ?? null);
  const output = segments.map((s) => s.kbps ?? s.prediction?.kbps ?? null);
  const hasSource = source.some((v) => v !== null);
  const series: uPlot.Series[] = [{}];
  const data: (number | null)[][] = [];
  if (hasSource) {
    series.push({
      label: 'source kbit/s',
      stroke: theme.foreground,
      fill: withAlpha(theme.grid.startsWith('#') ? theme.grid : '#888888', '66'),
      paths: spanBars(segments, { at: 0, of: 2 }),
      points: { show: false },
      value: number(0),
    });
    data.push(source);
  }
  series.push({
    label: searched(report) ? 'predicted output kbit/s' : 'output kbit/s',
    stroke: theme.secondary,
    fill: withAlpha(theme.secondary, '99'),
    paths: spanBars(segments, hasSource ? { at: 1, of: 2 } : { at: 0, of: 1 }),
    points: { show: false },
    value: number(0),
  });
  data.push(output);
  return segmentChart(
    host,
    report,
    {
      title: hasSource ? 'Bitrate per segment: source and output' : 'Bitrate per segment',
      scales: { x: filmRange(report), y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: axes(theme, 'kbit/s'),
      series,
    },
    data,
    hooks,
    theme,
  );
}

/** 4a. The selected segment's search: CRF → VMAF for each probe, the chosen CRF marked. */
export function probeChart(host: HTMLElement, report: QualityReport, segment: SegmentReport, theme: Theme): uPlot | undefined {
  if (!segment.probes.length) return undefined;
  const crfs = [...new Set([...segment.probes.map((p) => p.crf), ...(segment.crf !== undefined ? [segment.crf] : [])])].sort(
    (a, b) => a - b,
  );
  const probeAt = new Map(segment.probes.map((p) => [p.crf, p.vmaf]));
  // The search measures the job's metric (issue 25); its probes say which, older ones are VMAF.
  const metric = segment.probes[0]?.metric ?? 'vmaf';
  const name = metricAxis(metric);
  const chosen = crfs.map((crf) => (crf === segment.crf ? (scoreOf(segment, metric) ?? probeAt.get(crf) ?? null) : null));
  const series: uPlot.Series[] = [
    { label: 'CRF' },
    { label: `probe ${name}`, stroke: theme.primary, width: 1, points: { show: true, size: 7, fill: theme.primary } },
    {
      label: `chosen CRF (verified ${name})`,
      stroke: theme.foreground,
      width: 0,
      points: { show: true, size: 12, width: 2, fill: 'transparent', stroke: theme.foreground },
    },
  ];
  const data: (number | null)[][] = [crfs, crfs.map((crf) => probeAt.get(crf) ?? null), chosen];
  if (report.target) {
    series.push({ label: 'target', stroke: theme.foreground, dash: [8, 4], width: 1, points: { show: false } });
    data.push(crfs.map(() => report.target!.vmaf));
  }
  host.dataset.points = String(segment.probes.length);
  return new uPlot(
    {
      title: `Segment ${segment.index}: CRF search (${segment.probes.length} probes)`,
      width: Math.max(320, host.clientWidth || 800),
      height: HEIGHT,
      scales: { x: { time: false } },
      axes: axes(theme, name, 'CRF'),
      series,
      cursor: { points: { show: false } },
      hooks: { ready: [blankPlaceholders], setLegend: [blankPlaceholders] },
    },
    data as uPlot.AlignedData,
    host,
  );
}

/** A segment's verified frames in a metric: VMAF from `scoredFrames`, the others from `frameScores`. */
function framesIn(segment: SegmentReport, metric: MetricName): { index: number; value: number }[] {
  if (metric === 'vmaf') return (segment.scoredFrames ?? []).map((f) => ({ index: f.index, value: f.vmaf }));
  return (segment.frameScores ?? []).flatMap((f) => (f.scores[metric] !== undefined ? [{ index: f.index, value: f.scores[metric] }] : []));
}

/** 4b. The selected segment's per-frame scores in the job's metric from its verification (scored frames at their film time). */
export function frameChart(
  host: HTMLElement,
  segment: SegmentReport,
  theme: Theme,
  target?: QualityReport['target'],
  metric: MetricName = 'vmaf',
): uPlot | undefined {
  const scored = framesIn(segment, metric);
  if (!scored.length) return undefined;
  const facts = METRICS[metric];
  const frameSeconds = segment.frames > 0 ? (segment.endSeconds - segment.startSeconds) / segment.frames : 0;
  host.dataset.points = String(scored.length);
  host.dataset.metric = metric;
  const series: uPlot.Series[] = [
    { label: 'frame', value: (_u, v, _s, idx) => (v == null || idx == null ? '' : `${scored[idx]!.index} (${seconds(v)})`) },
    { label: metricAxis(metric), stroke: theme.primary, width: 1, points: { show: scored.length < 60 }, value: number(facts.digits) },
  ];
  const data: (number | null)[][] = [scored.map((f) => segment.startSeconds + f.index * frameSeconds), scored.map((f) => f.value)];
  const goal = segment.target ?? target?.vmaf;
  if (goal !== undefined) {
    series.push({ label: 'target', stroke: theme.foreground, dash: [8, 4], width: 1, points: { show: false }, value: number(1) });
    data.push(scored.map(() => goal));
  }
  const chart = new uPlot(
    {
      title: `Segment ${segment.index}: per-frame ${facts.label} (${scored.length} scored frames of ${segment.frames})`,
      width: Math.max(320, host.clientWidth || 800),
      height: HEIGHT,
      scales: { x: { time: false, range: [segment.startSeconds, Math.max(segment.endSeconds, segment.startSeconds + frameSeconds)] } },
      axes: axes(theme, metricAxis(metric)),
      series,
      hooks: { ready: [blankPlaceholders], setLegend: [blankPlaceholders] },
    },
    data as uPlot.AlignedData,
    host,
  );
  return chart;
}
