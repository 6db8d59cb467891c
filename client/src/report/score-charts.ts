/// <reference lib="dom" />
import type uPlot from 'uplot';
import type { QualityReport } from '../../../common/report';
import { METRICS, type MetricName } from '../../../common/quality-metric';
import {
  axes,
  drawTargetBand,
  filmRange,
  number,
  searched,
  segmentChart,
  spanBars,
  withAlpha,
  type ChartHooks,
  type Theme,
} from './charts';
import { metricAxis, scoreOf } from './metric-text';

/**
 * The quality charts per segment (issue 25): the job's metric against its target and band, and each
 * metric scored at verification only (`--also-score`) beside it. Titles, axes, digits and units come
 * from common/quality-metric.ts; a job made before issue 25 is a VMAF job and is drawn as before.
 */

/**
 * 1. The job's metric per segment over its span (verified; or the search's prediction), the target
 * line and the band [T − below, T + above] in the metric's units (issue 25: VMAF, SSIMULACRA2, XPSNR).
 */
export function vmafChart(host: HTMLElement, report: QualityReport, theme: Theme, hooks: ChartHooks): uPlot | undefined {
  const target = report.target;
  if (!target) return undefined;
  const metric = report.metric ?? 'vmaf';
  const facts = METRICS[metric];
  const name = metricAxis(metric);
  const segments = report.segments;
  const scores = segments.map((s) => scoreOf(s, metric));
  const met = scores.map((v, i) => (v !== undefined && segments[i]!.band !== 'below' ? v : null));
  const missed = scores.map((v, i) => (v !== undefined && segments[i]!.band === 'below' ? v : null));
  // The search records its prediction's VMAF; another metric has no predicted score to draw.
  const predicted = segments.map((s) => (metric === 'vmaf' ? (s.prediction?.vmaf ?? null) : null));
  const bars = spanBars(segments);
  host.dataset.bars = String(segments.filter((s, i) => scores[i] !== undefined || predicted[i] !== null).length);
  host.dataset.metric = metric;
  const values = [...met, ...missed, ...predicted].filter((v): v is number => v !== null);
  const low = Math.floor(Math.min(target.low - 1, ...values));
  const high = Math.ceil(Math.max(target.high + 0.5, ...values));
  const series: uPlot.Series[] = [
    {},
    {
      label: name,
      stroke: theme.primary,
      fill: withAlpha(theme.primary, 'cc'),
      paths: bars,
      points: { show: false },
      value: number(facts.digits),
    },
    {
      label: 'below band',
      stroke: theme.warning,
      width: 2,
      dash: [4, 3],
      fill: 'transparent',
      paths: bars,
      points: { show: false },
      value: number(facts.digits),
    },
  ];
  const data = [met, missed];
  if (predicted.some((v) => v !== null)) {
    series.push({
      label: 'predicted VMAF (search)',
      stroke: theme.secondary,
      width: 2,
      dash: [6, 3],
      fill: withAlpha(theme.secondary, '33'),
      paths: bars,
      points: { show: false },
      value: number(2),
    });
    data.push(predicted);
  }
  return segmentChart(
    host,
    report,
    {
      title: `${searched(report) ? 'Predicted' : 'Verified'} ${facts.label} per segment (target ${target.vmaf}${facts.unit ? ` ${facts.unit}` : ''}, band ${target.low}–${target.high})`,
      scales: { x: filmRange(report), y: { range: [low, high] } },
      axes: axes(theme, name),
      series,
      // The target line and the band across the whole plot, under the bars.
      hooks: { drawClear: [(u) => drawTargetBand(u, target, theme)] },
    },
    data,
    hooks,
    theme,
  );
}

/** 1b. A metric scored at verification only (`--also-score`), per segment beside the job's own: no target, no band. */
export function alsoScoredChart(host: HTMLElement, report: QualityReport, metric: MetricName, theme: Theme, hooks: ChartHooks): uPlot {
  const facts = METRICS[metric];
  const name = metricAxis(metric);
  const scores = report.segments.map((s) => scoreOf(s, metric) ?? null);
  host.dataset.bars = String(scores.filter((v) => v !== null).length);
  host.dataset.metric = metric;
  return segmentChart(
    host,
    report,
    {
      title: `Also scored: ${facts.label} per segment (at verification only; not targeted)`,
      scales: { x: filmRange(report), y: { range: (_u, min, max) => [Math.floor(min) - 1, Math.ceil(max) + 1] } },
      axes: axes(theme, name),
      series: [
        {},
        {
          label: name,
          stroke: theme.secondary,
          fill: withAlpha(theme.secondary, '99'),
          paths: spanBars(report.segments),
          points: { show: false },
          value: number(facts.digits),
        },
      ],
    },
    [scores],
    hooks,
    theme,
  );
}
