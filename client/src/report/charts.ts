/// <reference lib="dom" />
import uPlot from 'uplot';
import type { QualityReport, SegmentReport } from '../../../common/report';

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

function axes(theme: Theme, yLabel: string, xLabel = 'film time'): uPlot.Axis[] {
  const axis = { stroke: theme.foreground, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 } };
  return [
    { ...axis, label: xLabel, values: xLabel === 'film time' ? (_u, values) => values.map(seconds) : undefined },
    { ...axis, label: yLabel, size: 56 },
  ];
}

function withAlpha(colour: string, alpha: string): string {
  return /^#[0-9a-f]{6}$/i.test(colour) ? `${colour}${alpha}` : colour;
}

/** A chart whose points are the segments (index i of its data is segments[i]). */
function segmentChart(
  host: HTMLElement,
  report: QualityReport,
  options: Omit<uPlot.Options, 'width' | 'height'>,
  data: uPlot.AlignedData,
  hooks: ChartHooks,
): uPlot {
  const chart = new uPlot(
    {
      ...options,
      width: Math.max(320, host.clientWidth || 800),
      height: HEIGHT,
      cursor: { sync: { key: 'segments' }, points: { show: false } },
      hooks: {
        ...options.hooks,
        setCursor: [
          (u) => hooks.hover(u.cursor.idx == null ? undefined : report.segments[Math.min(u.cursor.idx, report.segments.length - 1)]),
        ],
      },
    },
    data,
    host,
  );
  chart.over.addEventListener('click', () => {
    const idx = chart.cursor.idx;
    const segment = idx == null ? undefined : report.segments[Math.min(idx, report.segments.length - 1)];
    if (segment) hooks.select(segment);
  });
  host.dataset.points = String(report.segments.length);
  return chart;
}

/** Paints the band (translucent, outlined) and the dashed target line over the plot's full width. */
function drawTargetBand(u: uPlot, target: { vmaf: number; low: number; high: number }, theme: Theme): void {
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

const middle = (s: SegmentReport) => (s.startSeconds + s.endSeconds) / 2;

/** The film's span, so the first and last bars are drawn whole. */
function filmRange(report: QualityReport): uPlot.Scale {
  const first = report.segments[0]?.startSeconds ?? 0;
  const last = report.segments.at(-1)?.endSeconds ?? first + 1;
  return { time: false, range: [first, last > first ? last : first + 1] };
}

/** 1. Verified VMAF per segment as bars, the target line and the [T − 0.5, T + 2] band. */
export function vmafChart(host: HTMLElement, report: QualityReport, theme: Theme, hooks: ChartHooks): uPlot | undefined {
  const target = report.target;
  if (!target) return undefined;
  const xs = report.segments.map(middle);
  const met = report.segments.map((s) => (s.vmaf !== undefined && s.band !== 'below' ? s.vmaf : null));
  const missed = report.segments.map((s) => (s.vmaf !== undefined && s.band === 'below' ? s.vmaf : null));
  const bars = uPlot.paths.bars!({ size: [0.85, Infinity], align: 0 });
  host.dataset.bars = String(report.segments.filter((s) => s.vmaf !== undefined).length);
  const values = report.segments.flatMap((s) => (s.vmaf !== undefined ? [s.vmaf] : []));
  const low = Math.floor(Math.min(target.low - 1, ...values));
  const high = Math.ceil(Math.max(target.high + 0.5, ...values));
  return segmentChart(
    host,
    report,
    {
      title: `Verified VMAF per segment (target ${target.vmaf}, band ${target.low}–${target.high})`,
      scales: { x: filmRange(report), y: { range: [low, high] } },
      axes: axes(theme, 'VMAF'),
      series: [
        { label: 'time', value: (_u, v) => (v == null ? '–' : seconds(v)) },
        { label: 'VMAF', stroke: theme.primary, fill: withAlpha(theme.primary, 'cc'), paths: bars, points: { show: false } },
        {
          label: 'VMAF below band',
          stroke: theme.warning,
          width: 2,
          dash: [4, 3],
          fill: 'transparent',
          paths: bars,
          points: { show: false },
        },
      ],
      // The target line and the [T − 0.5, T + 2] band across the whole plot, under the bars.
      hooks: { drawClear: [(u) => drawTargetBand(u, target, theme)] },
    },
    [xs, met, missed],
    hooks,
  );
}

/** 2. CRF per segment as a step line (each value holds from the segment's start to the next). */
export function crfChart(host: HTMLElement, report: QualityReport, theme: Theme, hooks: ChartHooks): uPlot {
  const xs = [...report.segments.map((s) => s.startSeconds), report.segments.at(-1)?.endSeconds ?? 0];
  const crfs = report.segments.map((s) => s.crf ?? null);
  return segmentChart(
    host,
    report,
    {
      title: 'CRF per segment',
      scales: { x: filmRange(report) },
      axes: axes(theme, 'CRF'),
      series: [
        { label: 'time', value: (_u, v) => (v == null ? '–' : seconds(v)) },
        { label: 'CRF', stroke: theme.secondary, width: 2, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
      ],
    },
    [xs, [...crfs, crfs.at(-1) ?? null]],
    hooks,
  );
}

/** 3. Bitrate per segment as bars. */
export function bitrateChart(host: HTMLElement, report: QualityReport, theme: Theme, hooks: ChartHooks): uPlot {
  const bars = uPlot.paths.bars!({ size: [0.85, Infinity], align: 0 });
  return segmentChart(
    host,
    report,
    {
      title: 'Bitrate per segment',
      scales: { x: filmRange(report), y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: axes(theme, 'kbit/s'),
      series: [
        { label: 'time', value: (_u, v) => (v == null ? '–' : seconds(v)) },
        {
          label: 'kbit/s',
          stroke: theme.secondary,
          fill: withAlpha(theme.secondary, '99'),
          paths: bars,
          points: { show: false },
          value: (_u, v) => (v == null ? '–' : v.toFixed(0)),
        },
      ],
    },
    [report.segments.map(middle), report.segments.map((s) => (s.kbps === undefined ? null : s.kbps))],
    hooks,
  );
}

/** 4a. The selected segment's search: CRF → VMAF for each probe, the chosen CRF marked. */
export function probeChart(host: HTMLElement, report: QualityReport, segment: SegmentReport, theme: Theme): uPlot | undefined {
  if (!segment.probes.length) return undefined;
  const crfs = [...new Set([...segment.probes.map((p) => p.crf), ...(segment.crf !== undefined ? [segment.crf] : [])])].sort(
    (a, b) => a - b,
  );
  const probeAt = new Map(segment.probes.map((p) => [p.crf, p.vmaf]));
  const chosen = crfs.map((crf) => (crf === segment.crf ? (segment.vmaf ?? probeAt.get(crf) ?? null) : null));
  const series: uPlot.Series[] = [
    { label: 'CRF' },
    { label: 'probe VMAF', stroke: theme.primary, width: 1, points: { show: true, size: 7, fill: theme.primary } },
    {
      label: 'chosen CRF (verified VMAF)',
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
      axes: axes(theme, 'VMAF', 'CRF'),
      series,
      cursor: { points: { show: false } },
    },
    data as uPlot.AlignedData,
    host,
  );
}

/** 4b. The selected segment's per-frame VMAF from its verification, when it was kept. */
export function frameChart(host: HTMLElement, segment: SegmentReport, theme: Theme): uPlot | undefined {
  const scores = segment.frameVmaf;
  if (!scores?.length) return undefined;
  const step = (segment.endSeconds - segment.startSeconds) / scores.length;
  host.dataset.points = String(scores.length);
  return new uPlot(
    {
      title: `Segment ${segment.index}: per-frame VMAF`,
      width: Math.max(320, host.clientWidth || 800),
      height: HEIGHT,
      scales: { x: { time: false } },
      axes: axes(theme, 'VMAF'),
      series: [
        { label: 'time', value: (_u, v) => (v == null ? '–' : seconds(v)) },
        { label: 'VMAF', stroke: theme.primary, width: 1, points: { show: false } },
      ],
    },
    [scores.map((_v, i) => segment.startSeconds + i * step), scores],
    host,
  );
}
