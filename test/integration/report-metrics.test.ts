import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildQualityReport } from '../../server/src/report/model';
import { reportHtml } from '../../server/src/report/html';
import { reportPageAssets } from '../../server/src/report/files';
import { ssimulacra2Manifest, zonedManifest } from '../helpers/metric-zone-manifests';
import { sceneCutManifest } from '../helpers/scene-cut-manifest';
import type { QualityReport, ReportFromWebview } from '../../common/report';

/**
 * The report page in headless Chromium (issues 25 and 26): a SSIMULACRA2 job's titles, axes and
 * legends, its --also-score VMAF chart beside it; a VMAF job recorded before as it was; zones
 * shaded and labelled over their exact times on unequal segments; *Add Zone for This Segment*
 * under a clicked bar in the editor's panel (its webview API stood in for by a recorder, named as
 * such: the real panel is the editor's) and nowhere in the standalone page. Needs dist/: build first.
 */
const CHROMIUM = process.env.CHUNKED_AV1_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

describe('report page: metrics and zones (headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'report-metrics-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The page; `editor` gives it a recording stand-in for VS Code's webview API (acquireVsCodeApi). */
  async function open(report: QualityReport, name: string, editor = false): Promise<{ page: Page; problems: string[] }> {
    const file = path.join(dir, `${name}.html`);
    writeFileSync(file, reportHtml(report, await reportPageAssets()));
    const page = await browser.newPage({ viewport: { width: 1000, height: 1800 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    if (editor)
      await page.addInitScript(() => {
        const posted: unknown[] = [];
        Object.assign(window, {
          posted,
          acquireVsCodeApi: () => ({ postMessage: (m: unknown) => posted.push(m), getState: () => undefined, setState: () => undefined }),
        });
      });
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-rendered="true"]');
    return { page, problems };
  }

  const text = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').trim();

  it('a SSIMULACRA2 job: title, axis, legend and band in its units; --also-score VMAF charted beside it; the table and summary name both', async () => {
    const { page, problems } = await open(buildQualityReport(ssimulacra2Manifest()), 'ssimulacra2');
    const ids = await page.locator('section.charts > .chart').evaluateAll((nodes) => nodes.map((n) => n.id));
    assert.deepEqual(ids.slice(0, 4), ['chart-ssimulacra2', 'chart-vmaf', 'chart-crf', 'chart-kbps']);
    assert.equal(await text(page, '#chart-ssimulacra2 .u-title'), 'Verified SSIMULACRA2 per segment (target 80, band 79–84)');
    // uPlot paints the axis titles into the canvas; the legend names the series in the DOM.
    assert.ok((await page.locator('#chart-ssimulacra2 .u-legend .u-label').allTextContents()).includes('SSIMULACRA2'));
    assert.equal(await page.getAttribute('#chart-ssimulacra2', 'data-bars'), '3');
    assert.match(await text(page, '#chart-vmaf .u-title'), /^Also scored: VMAF per segment/);
    assert.equal(await page.getAttribute('#chart-vmaf', 'data-bars'), '3');
    const summary = await text(page, 'header.summary');
    assert.match(summary, /target SSIMULACRA2 80 \(band 79–84\)/);
    assert.match(summary, /SSIMULACRA2 mean 81\.2 \(frame-weighted\), lowest 78\.4 in segment 1; 1 below the band/);
    // The cursor over segment 1 (1–2 s of 3): each legend gives its value in its metric's digits.
    const over = (await page.locator('#chart-ssimulacra2 .u-over').boundingBox())!;
    await page.mouse.move(over.x + over.width / 2, over.y + over.height / 2);
    const legend = (chart: string) => page.locator(`#${chart} .u-legend .u-series`).evaluateAll((rows) => rows.map((r) => r.textContent));
    assert.ok(
      (await legend('chart-ssimulacra2')).some((row) => row === 'below band78.4'),
      (await legend('chart-ssimulacra2')).join(' | '),
    );
    assert.ok(
      (await legend('chart-vmaf')).some((row) => row === 'VMAF91.70'),
      (await legend('chart-vmaf')).join(' | '),
    );
    assert.match(await text(page, 'p.details'), /ssimu2 78\.4 \(below the band\) · VMAF 91\.70/);
    // Its frames in SSIMULACRA2.
    await page.mouse.click(over.x + over.width / 2, over.y + over.height / 2);
    await page.waitForSelector('#chart-frames canvas');
    assert.equal(await text(page, '#chart-frames .u-title'), 'Segment 1: per-frame SSIMULACRA2 (6 scored frames of 24)');
    const header = await page.locator('table.segments thead th').allTextContents();
    assert.ok(header.includes('VMAF') && header.includes('SSIMULACRA2'), header.join(' | '));
    assert.equal(await page.locator('.add-zone').count(), 0, 'the standalone page offers no editor command');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('a VMAF job recorded before issue 25: the same VMAF chart, no second metric, no zone marks', async () => {
    const encoded = (i: number) => ({ state: 'done', attempts: 1, crf: 30 + i, vmaf: 93.2, bytes: 700_000, hash: 'h' });
    const { page, problems } = await open(buildQualityReport(sceneCutManifest(encoded)), 'vmaf');
    const ids = await page.locator('section.charts > .chart').evaluateAll((nodes) => nodes.map((n) => n.id));
    assert.deepEqual(ids, ['chart-vmaf', 'chart-crf', 'chart-kbps']);
    assert.equal(await text(page, '#chart-vmaf .u-title'), 'Verified VMAF per segment (target 93, band 92.5–95)');
    assert.match(await text(page, 'header.summary'), /target VMAF 93 \(band 92\.5–95\)/);
    assert.equal(await page.locator('.zone-label').count(), 0);
    assert.equal(await page.locator('table.segments thead th').count(), 16, 'the same columns as before');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('zones on unequal segments: each chart shades and labels zone 0 over exactly 2.5–6 s, nothing over segment 0', async () => {
    const { page, problems } = await open(buildQualityReport(zonedManifest()), 'zones');
    for (const chart of ['chart-vmaf', 'chart-crf', 'chart-kbps']) {
      const over = (await page.locator(`#${chart} .u-over`).boundingBox())!;
      const label = page.locator(`#${chart} .zone-label`);
      assert.equal(await label.count(), 1, chart);
      assert.equal(await label.textContent(), 'zone 0: target-vmaf=95');
      const box = (await label.boundingBox())!;
      // The plot spans the film, 0–6 s: the label strip starts at 2.5 s and ends at 6 s, to the pixel.
      assert.ok(Math.abs(box.x - (over.x + (2.5 / 6) * over.width)) <= 1, `${chart}: label starts at ${box.x}`);
      assert.ok(Math.abs(box.x + box.width - (over.x + over.width)) <= 1, `${chart}: label ends at ${box.x + box.width}`);
      assert.match((await label.getAttribute('title')) ?? '', /frames 60–143, 0:02\.50–0:06\.00, segments 1, 2/);
    }
    // The CRF chart's canvas near its top holds only the zones' shading (the CRF line is lower).
    const alpha = (t: number) =>
      page.evaluate((t) => {
        const over = document.querySelector('#chart-crf .u-over')!.getBoundingClientRect();
        const canvas = document.querySelector<HTMLCanvasElement>('#chart-crf canvas')!;
        const box = canvas.getBoundingClientRect();
        const scale = canvas.width / box.width;
        const x = Math.round((over.left - box.left + (t / 6) * over.width) * scale);
        const y = Math.round((over.top - box.top + 0.04 * over.height) * scale);
        return canvas.getContext('2d')!.getImageData(x, y, 1, 1).data[3]!;
      }, t);
    for (const t of [2.6, 3, 4.5, 5.9]) assert.ok((await alpha(t)) > 0, `zone shaded at ${t} s`);
    for (const t of [0.3, 1.7, 2.4]) assert.equal(await alpha(t), 0, `no shading at ${t} s`);
    const rows = await page.locator('table.segments tbody tr').evaluateAll((trs) => trs.map((tr) => tr.lastElementChild?.textContent));
    assert.deepEqual(rows, ['–', 'zone 0: target-vmaf=95', 'zone 0: target-vmaf=95']);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("in the editor's panel a clicked bar offers Add Zone for This Segment, which asks the editor for that segment", async () => {
    const { page, problems } = await open(buildQualityReport(zonedManifest()), 'editor', true);
    assert.equal(await page.locator('.add-zone').count(), 0, 'nothing before a segment is chosen');
    const over = (await page.locator('#chart-vmaf .u-over').boundingBox())!;
    await page.mouse.click(over.x + (1 / 6) * over.width, over.y + over.height * 0.9);
    await page.locator('.add-zone').click();
    // The details line above the charts may wrap once a segment is chosen: measure again.
    const moved = (await page.locator('#chart-vmaf .u-over').boundingBox())!;
    await page.mouse.click(moved.x + (3 / 6) * moved.width, moved.y + moved.height * 0.9);
    await page.locator('.add-zone').click();
    const posted = (await page.evaluate(() => (window as unknown as { posted: ReportFromWebview[] }).posted)).filter(
      (m) => m.type === 'addZone',
    );
    assert.deepEqual(posted, [
      { type: 'addZone', index: 0 },
      { type: 'addZone', index: 1 },
    ]);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
