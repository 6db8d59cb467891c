/// <reference lib="dom" />
import 'uplot/dist/uPlot.min.css';
import './report.css';
import type uPlot from 'uplot';
import type { QualityReport, ReportFromWebview, ReportToWebview, SegmentReport } from '../../../common/report';
import { bitrateChart, crfChart, frameChart, probeChart, readTheme, type ChartHooks } from './charts';
import { alsoScoredChart, vmafChart } from './score-charts';
import { segmentDetails, segmentTable, summaryLines } from './table';

/**
 * The report page (bundled to dist/report-webview.js + .css). The same script draws the editor's
 * report panel, which sends the model in a message and again whenever a segment finishes, and the
 * CLI's standalone HTML, which embeds the model as JSON in #report-data. No network, no eval.
 */

interface VsCodeApi {
  postMessage(message: ReportFromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;
const vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;

const app = document.getElementById('app')!;
let report: QualityReport | undefined;
let selected: number | undefined;
let showTable = false;
let charts: uPlot[] = [];
/** The selected segment's charts: redrawn alone when another segment is picked. */
let selection: { host: HTMLElement; charts: uPlot[]; details: HTMLElement } | undefined;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function select(segment: SegmentReport): void {
  selected = segment.index;
  vscode?.postMessage({ type: 'revealSegment', index: segment.index });
  renderSelection();
}

function renderSelection(): void {
  if (!selection || !report) return;
  for (const chart of selection.charts) chart.destroy();
  selection.charts = [];
  selection.host.replaceChildren();
  const segment = report.segments.find((s) => s.index === selected);
  if (!segment) return;
  selection.details.textContent = segmentDetails(segment, report);
  // Only the editor's panel can run editor commands: the CLI's standalone page offers nothing here.
  if (vscode) {
    const actions = element('div', 'segment-actions');
    const addZone = element('button', 'add-zone', 'Add Zone for This Segment');
    addZone.type = 'button';
    addZone.dataset.segment = String(segment.index);
    addZone.title = `Append a line for segment ${segment.index}'s frames to the input's zones file (INPUT.zones) and open it`;
    addZone.addEventListener('click', () => vscode.postMessage({ type: 'addZone', index: segment.index }));
    actions.appendChild(addZone);
    selection.host.appendChild(actions);
  }
  const theme = readTheme(document.body);
  const place = (id: string) => {
    const host = element('div', 'chart');
    host.id = id;
    selection!.host.appendChild(host);
    return host;
  };
  const probes = probeChart(place('chart-probes'), report, segment, theme);
  if (probes) selection.charts.push(probes);
  const frames = frameChart(place('chart-frames'), segment, theme, report.target, report.metric);
  if (frames) selection.charts.push(frames);
  if (!probes && !frames)
    selection.host.appendChild(element('p', 'note', `Segment ${segment.index}: no search probes or per-frame scores were kept.`));
}

function render(): void {
  for (const chart of [...charts, ...(selection?.charts ?? [])]) chart.destroy();
  charts = [];
  selection = undefined;
  app.replaceChildren();
  if (!report) {
    app.appendChild(element('p', 'empty', 'Waiting for the job’s report…'));
    return;
  }
  const current = report;
  const theme = readTheme(document.body);
  const header = element('header', 'summary');
  header.appendChild(element('h1', 'title', `Quality report: ${current.input.split(/[\\/]/).pop() ?? current.input}`));
  for (const line of summaryLines(current)) header.appendChild(element('p', 'line', line));
  const toggle = element('button', 'toggle', showTable ? 'Charts' : 'Table');
  toggle.type = 'button';
  toggle.setAttribute('aria-pressed', String(showTable));
  toggle.title = 'Show the numbers as a table (the charts’ accessible alternative)';
  toggle.addEventListener('click', () => {
    showTable = !showTable;
    render();
  });
  header.appendChild(toggle);
  app.appendChild(header);

  const details = element('p', 'details', 'Hover a segment for its numbers; click it to see its search.');
  details.setAttribute('aria-live', 'polite');
  app.appendChild(details);
  const hooks: ChartHooks = {
    hover: (segment) => {
      if (segment) details.textContent = segmentDetails(segment, current);
    },
    select,
  };

  const chartsSection = element('section', 'charts');
  chartsSection.hidden = showTable;
  app.appendChild(chartsSection);
  const tableSection = element('section', 'table');
  tableSection.hidden = !showTable;
  tableSection.appendChild(segmentTable(current, select));
  app.appendChild(tableSection);

  const place = (id: string) => {
    const host = element('div', 'chart');
    host.id = id;
    chartsSection.appendChild(host);
    return host;
  };
  const metric = current.metric ?? 'vmaf';
  if (current.target) charts.push(vmafChart(place(`chart-${metric}`), current, theme, hooks)!);
  // A fixed-CRF job scored with --also-score has its scores charted below, without a target.
  else if (!current.alsoScored?.length)
    chartsSection.appendChild(element('p', 'note', `Fixed CRF ${current.crf ?? ''}: no VMAF was measured, so there is no quality chart.`));
  // Each --also-score metric per segment, beside the job's own (issue 25).
  for (const also of current.alsoScored ?? []) charts.push(alsoScoredChart(place(`chart-${also}`), current, also, theme, hooks));
  charts.push(crfChart(place('chart-crf'), current, theme, hooks));
  charts.push(bitrateChart(place('chart-kbps'), current, theme, hooks));
  selection = { host: element('div', 'selection'), charts: [], details };
  chartsSection.appendChild(selection.host);
  renderSelection();
  document.body.dataset.segments = String(current.segments.length);
  document.body.dataset.rendered = 'true';
}

window.addEventListener('message', (event: MessageEvent<ReportToWebview>) => {
  if (event.data?.type !== 'report') return;
  report = event.data.report;
  vscode?.setState({ job: event.data.job });
  render();
});

// A theme change in the editor changes the body's class; the canvas colours are redrawn from it.
new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(render, 150);
});

const embedded = document.getElementById('report-data');
if (embedded?.textContent) report = JSON.parse(embedded.textContent) as QualityReport;
render();
vscode?.postMessage({ type: 'ready' });
