import assert from 'node:assert/strict';
import { readFileSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { basicClip, tempDir } from '../helpers/clips';
import { ONE_SHORT_SAMPLE_FLAGS, TINY_SEGMENT_FLAGS, runCliSync } from '../helpers/cli';
import { loadJobReport, writeEncodeReport } from '../../server/src/report/files';
import { loadManifest } from '../../server/src/job/manifest';
import { QUALITY_CACHE_FILE } from '../../server/src/crf/quality-cache';
import { defaultWorkDir } from '../../server/src/workdir/workdir';
import type { QualityReport } from '../../common/report';

/**
 * `chunked-av1 report` on a job made by a real small target-quality encode (#15): the HTML is
 * one self-contained file that headless Chromium draws with one bar and one table row per
 * segment, loading nothing; `--json` is the model; after clean-up the data `encode --report`
 * keeps beside the output still gives the same report.
 */
const CHROMIUM = process.env.CHUNKED_AV1_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

describe('chunked-av1 report (integration, real encode + headless Chromium)', function () {
  this.timeout(300_000);
  let dir: string;
  let cleanup: () => void;
  let input: string;
  let output: string;
  let browser: Browser | undefined;

  before(() => {
    ({ dir, cleanup } = tempDir('chunked-av1-report-'));
    input = basicClip(path.join(dir, "film 'ü' $1.mkv"), { seconds: 2, size: '160x120' });
    output = path.join(dir, "film 'ü' $1.av1.mkv");
    const encode = runCliSync([
      'encode',
      input,
      '--target-vmaf',
      '90',
      // two 1 s segments at keyframes (a scene split keeps this 2 s shot whole)
      ...TINY_SEGMENT_FLAGS,
      ...ONE_SHORT_SAMPLE_FLAGS,
      '--keep-work-dir',
    ]);
    assert.equal(encode.status, 0, encode.stderr);
  });
  after(async () => {
    await browser?.close();
    cleanup();
  });

  it('--json prints the model built from the work directory', async () => {
    const json = runCliSync(['report', input, '--json']);
    assert.equal(json.status, 0, json.stderr);
    const printed = JSON.parse(json.stdout) as QualityReport;
    assert.deepEqual(printed, await loadJobReport(defaultWorkDir(output), undefined, { measureSource: true }));
    assert.equal(printed.segments.length, 2);
    assert.equal(printed.totals.outputBytes, statSync(output).size);
    for (const segment of printed.segments)
      assert.ok((segment.vmaf ?? 0) > 0 && segment.probes.length > 0, `segment ${segment.index} verified and searched`);
  });

  it('writes one self-contained HTML file: no URL, one bar and one row per segment in Chromium, nothing loaded', async () => {
    const file = path.join(dir, 'report "1".html');
    const run = runCliSync(['report', input, '-o', file]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, `${file}\n`);
    const html = readFileSync(file, 'utf8');
    assert.doesNotMatch(html, /https?:|\/\/[a-z0-9.-]+\.[a-z]{2,}|\bsrc=|\bhref=/i, 'no external URL, no loaded resource');

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`file://${file.split('/').map(encodeURIComponent).join('/')}`);
    await page.waitForSelector('body[data-rendered="true"]');
    assert.equal(await page.locator('table.segments tbody tr').count(), 2);
    assert.equal(await page.getAttribute('#chart-vmaf', 'data-bars'), '2');
    assert.equal(await page.locator('#chart-vmaf canvas').count(), 1);
    // Clicking the first bar selects its segment: its CRF search is drawn.
    await page.locator('#chart-vmaf .u-over').click({ position: { x: 20, y: 40 } });
    await page.waitForSelector('#chart-probes canvas');
    await page.getByRole('button', { name: 'Table' }).click();
    assert.equal(await page.locator('section.table').isVisible(), true);
    assert.deepEqual(problems, [], 'no CSP violation or script error');
    assert.deepEqual(
      requests.filter((url) => !url.startsWith('file:')),
      [],
    );
  });

  it("never replaces an existing file without --overwrite, nor the job's video even with it", () => {
    const file = path.join(dir, 'report "1".html');
    const before = readFileSync(file, 'utf8');
    const again = runCliSync(['report', input, '-o', file]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /^chunked-av1: .*report "1"\.html: already exists; pass --overwrite to replace it\n$/);
    assert.equal(readFileSync(file, 'utf8'), before);
    const video = runCliSync(['report', input, '-o', output, '--overwrite']);
    assert.equal(video.status, 1);
    assert.match(video.stderr, /the job's input or output video/);
    assert.equal(runCliSync(['report', path.join(dir, 'no such.mkv')]).status, 1);
  });

  it('after clean-up, reads the data encode --report kept beside the output', async () => {
    const workDir = defaultWorkDir(output);
    const manifest = (await loadManifest(path.join(workDir, 'manifest.json')))!;
    const kept = await writeEncodeReport({
      manifest,
      cacheFile: path.join(workDir, QUALITY_CACHE_FILE),
      facts: { outputBytes: statSync(output).size },
      overwrite: false,
    });
    assert.equal(kept.data, `${output}.report.json`);
    const fromWorkDir = JSON.parse(runCliSync(['report', input, '--json']).stdout) as QualityReport;
    renameSync(workDir, path.join(dir, 'moved work dir'));
    const fromKept = runCliSync(['report', input, '--json']);
    assert.equal(fromKept.status, 0, fromKept.stderr);
    assert.deepEqual(JSON.parse(fromKept.stdout), fromWorkDir);
    assert.match(readFileSync(kept.html, 'utf8'), /id="report-data"/);
  });
});
