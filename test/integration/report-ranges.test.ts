import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildQualityReport } from '../../server/src/report/model';
import { reportHtml } from '../../server/src/report/html';
import { reportPageAssets } from '../../server/src/report/files';
import { sceneCutManifest } from '../helpers/scene-cut-manifest';
import type { QualityReport } from '../../common/report';

/**
 * The report page in headless Chromium on unequal segments (issue 23): each bar covers its
 * segment's exact span (read back from the canvas pixels), every chart's legend names the segment
 * under the cursor, no `--` placeholder, the clicked segment's per-frame chart, and the search's
 * predictions after `search`. Models from recorded manifests: no encode needed (needs dist/: build first).
 */
const CHROMIUM = process.env.CHUNKED_AV1_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const encoded = (i: number) => ({
  state: 'done',
  attempts: 1,
  crf: 30 + i,
  vmaf: 93.2,
  bytes: i === 0 ? 702_000 : 1_300_000,
  hash: 'h',
  extra: {
    probes: [{ crf: 30 + i, vmaf: 93.3, bytes: 1000, seconds: 1 }],
    // Segment 0: predicted 28, encoded at 30 after a probe and the final encode; segment 1: the prediction held (its probe was the output).
    predictedCrf: 28 + 3 * i,
    encodes: i === 0 ? 2 : 1,
    scoredFrames: Array.from({ length: 40 }, (_, f) => ({ index: f * 4, vmaf: 92 + (f % 5) / 2 })),
  },
});

describe('report page on unequal segments (headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'report-ranges-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(report: QualityReport, name: string): Promise<{ page: Page; problems: string[] }> {
    const file = path.join(dir, `${name}.html`);
    writeFileSync(file, reportHtml(report, await reportPageAssets()));
    const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-rendered="true"]');
    return { page, problems };
  }

  /** Alpha of the chart's canvas pixel at film time T and value V (the plot spans the film, 0–20.02 s). */
  function pixelAlpha(page: Page, chart: string, t: number, yShare: number): Promise<number> {
    return page.evaluate(
      ({ chart, t, yShare }) => {
        const over = document.querySelector(`#${chart} .u-over`)!.getBoundingClientRect();
        const canvas = document.querySelector<HTMLCanvasElement>(`#${chart} canvas`)!;
        const box = canvas.getBoundingClientRect();
        const scale = canvas.width / box.width;
        const x = Math.round((over.left - box.left + (t / 20.02) * over.width) * scale);
        const y = Math.round((over.top - box.top + yShare * over.height) * scale);
        return canvas.getContext('2d')!.getImageData(x, y, 1, 1).data[3]!;
      },
      { chart, t, yShare },
    );
  }

  it('draws each bar over its exact span, and every legend names the segment under the cursor', async () => {
    const report = buildQualityReport(sceneCutManifest(encoded), [], { sourceSegmentBytes: [1_404_000, 3_900_000] });
    const { page, problems } = await open(report, 'encoded');
    // Near the bottom of the VMAF plot (below the band) only a bar paints: where segments are, and nowhere else.
    for (const t of [0.2, 3.5, 6.9, 7.2, 8.5, 13, 17.9, 19.9])
      assert.ok((await pixelAlpha(page, 'chart-vmaf', t, 0.97)) > 200, `a bar is drawn at ${t} s`);
    // Bitrate: source in the left half of each span, output in the right half.
    for (const t of [1, 5, 8, 12, 15, 19]) assert.ok((await pixelAlpha(page, 'chart-kbps', t, 0.99)) > 0, `bitrate bar at ${t} s`);

    const over = (await page.locator('#chart-crf .u-over').boundingBox())!;
    await page.mouse.move(over.x + (13 / 20.02) * over.width, over.y + over.height / 2);
    const legends = await page.locator('.u-legend .u-series:first-child .u-value').allTextContents();
    assert.equal(legends.length, 3, 'VMAF, CRF and bitrate charts');
    for (const text of legends) assert.equal(text, '1: 0:07.02–0:20.02');
    const values = await page.locator('.u-legend .u-value').allTextContents();
    assert.ok(!values.includes('--'), `no bare placeholder: ${values.join(' | ')}`);
    assert.ok(values.includes('800'), 'the output bitrate of segment 1 (1.3 MB over 13 s)');
    assert.ok(values.includes('2400'), 'its source bitrate beside it');
    await page.mouse.move(0, 0);
    assert.ok(!(await page.locator('.u-legend .u-value').allTextContents()).includes('--'), 'no placeholder after the cursor leaves');

    await page.mouse.click(over.x + (13 / 20.02) * over.width, over.y + over.height / 2);
    await page.waitForSelector('#chart-frames canvas');
    assert.equal(await page.getAttribute('#chart-frames', 'data-points'), '40');
    // The table (issue 22): predicted CRF, final CRF and the number of encodes of each segment.
    const header = await page.locator('table.segments thead th').allTextContents();
    const column = (name: string) => header.indexOf(name);
    assert.ok(column('predicted CRF') >= 0 && column('final CRF') >= 0 && column('encodes') >= 0, header.join(' | '));
    const rows = await page
      .locator('table.segments tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (td) => td.textContent)));
    assert.deepEqual(
      rows.map((cells) => [cells[column('predicted CRF')], cells[column('final CRF')], cells[column('encodes')]]),
      [
        ['28', '30', '2'],
        ['31', '31', '1'],
      ],
    );
    assert.match(
      (await page.locator('#chart-frames .u-title').textContent()) ?? '',
      /Segment 1: per-frame VMAF \(40 scored frames of 312\)/,
    );
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('after search: the predictions, said to be predictions, with a CRF axis; not "cancelled: 0 of 2"', async () => {
    const manifest = sceneCutManifest(
      (i) => ({ extra: { prediction: { crf: 30 + i, vmaf: 93.4, bytes: i === 0 ? 351_000 : 650_000 } } }),
      'cancelled',
    );
    const { page, problems } = await open(buildQualityReport(manifest), 'searched');
    const summary = (await page.locator('header.summary').textContent()) ?? '';
    assert.match(summary, /searched: 2 of 2 segments have a predicted CRF/);
    assert.match(summary, /prediction, nothing encoded yet/);
    assert.doesNotMatch(summary, /cancelled/);
    assert.match((await page.locator('#chart-crf .u-title').textContent()) ?? '', /Predicted CRF/);
    assert.equal(await page.getAttribute('#chart-vmaf', 'data-bars'), '2');
    assert.ok((await page.locator('#chart-crf .u-axis').count()) >= 2, 'the CRF chart has its axes');
    assert.ok((await pixelAlpha(page, 'chart-vmaf', 15, 0.97)) > 0, 'the predicted VMAF is drawn over segment 1');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
