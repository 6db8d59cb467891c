import { createHash } from 'node:crypto';
import type { QualityReport } from '../../../common/report';
import { reportPageHtml } from '../../../common/report-page';

/**
 * The standalone HTML report: one file, the page script and styles inline, the model as JSON in a
 * non-executed <script type="application/json">. Its Content-Security-Policy allows nothing but
 * that script and that style (by hash): no network, no other script, no frames. Pure: the caller
 * reads the page assets (dist/report-webview.js/.css) and writes the file.
 */
export interface ReportPageAssets {
  script: string;
  style: string;
}

/** Text safe inside a <script> or <style> element: no `</` that could close it early. */
function rawTextSafe(text: string): string {
  return text.replace(/<\/(script|style)/gi, '<\\/$1');
}

function jsonInScript(value: unknown): string {
  // `<` escaped as \u003c keeps `</script>` and `<!--` out; the line separators are valid JSON but not always valid script.
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Drops the bundler's source-map comment: the map is not shipped with a standalone page. */
function withoutSourceMap(text: string): string {
  return text.replace(/\n\/[/*]# sourceMappingURL=[^\n]*\s*$/, '\n');
}

export function reportHtml(report: QualityReport, assets: ReportPageAssets): string {
  const script = rawTextSafe(withoutSourceMap(assets.script));
  const style = rawTextSafe(withoutSourceMap(assets.style));
  const csp = `default-src 'none'; img-src data:; style-src ${sha256(style)}; script-src ${sha256(script)}; base-uri 'none'; form-action 'none'`;
  const name = report.input.split(/[\\/]/).pop() ?? report.input;
  const page = reportPageHtml({
    csp,
    head: [
      '<meta name="generator" content="chunked-av1 report">',
      `<title>Quality report: ${escapeHtml(name)}</title>`,
      '<!-- Charts drawn with uPlot (c) Leon Sorokin, MIT License. -->',
      `<style>${style}</style>`,
    ],
    bodyClass: 'standalone',
    body: [`<script type="application/json" id="report-data">${jsonInScript(report)}</script>`, `<script>${script}</script>`],
  });
  return `${page}\n`;
}
