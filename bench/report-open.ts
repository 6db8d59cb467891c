import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { manifestSchema } from '../server/src/job/manifest';
import { loadJobReport, reportPageAssets } from '../server/src/report/files';
import { reportHtml } from '../server/src/report/html';

/**
 * Times the quality report (#15) of a 2,000-segment target-quality job (6 probes per segment):
 * building the model from the work directory, `chunked-av1 report` end to end (HTML and --json),
 * and opening the HTML in headless Chromium until the charts and the table are drawn.
 * Run after `node scripts/build.mjs`: node -r ./test/register.cjs bench/report-open.ts [SEGMENTS]
 */
const SEGMENTS = Number(process.argv[2] ?? 2000);
const dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-report-bench-'));
const workDir = path.join(dir, 'work');
mkdirSync(workDir);
const vmaf = (i: number) => 92.5 + Math.sin(i / 17) * 1.5;
const manifest = manifestSchema.parse({
  version: 1,
  input: { path: '/bench/film.mkv', size: 8_000_000_000, mtimeMs: 1, edgeHash: 'x' },
  output: '/bench/film.av1.mkv',
  settings: {
    targetVmaf: 93,
    minCrf: 10,
    maxCrf: 55,
    preset: 6,
    svtParams: '',
    keyintSeconds: 10,
    pixelFormat: 'yuv420p10le',
    segmentSeconds: 4,
  },
  settingsKey: 'k',
  plan: {
    frames: SEGMENTS * 96,
    startSeconds: 0,
    endSeconds: SEGMENTS * 4,
    durationSeconds: SEGMENTS * 4,
    segments: Array.from({ length: SEGMENTS }, (_, i) => ({
      index: i,
      startFrame: i * 96,
      frames: 96,
      startSeconds: i * 4,
      endSeconds: i * 4 + 4,
      seekSeconds: i * 4,
      keepFromSeconds: i * 4,
      keepToSeconds: i * 4 + 4,
    })),
  },
  segments: Array.from({ length: SEGMENTS }, (_, i) => ({
    index: i,
    startFrame: i * 96,
    frames: 96,
    state: 'done',
    attempts: 1,
    crf: 30 + (i % 20),
    vmaf: vmaf(i),
    bytes: 1_000_000 + (i % 50) * 10_000,
    hash: 'h',
    extra: { probes: [20, 30, 40, 35, 33, 34].map((crf) => ({ crf, vmaf: 100 - crf / 5, bytes: 50_000 - crf * 500, seconds: 3.2 })) },
  })),
  status: 'done',
  updatedAt: new Date().toISOString(),
});
writeFileSync(path.join(workDir, 'manifest.json'), JSON.stringify(manifest, null, 1));

async function main(): Promise<void> {
  const cli = path.resolve(__dirname, '../dist/cli.js');
  let started = performance.now();
  const report = (await loadJobReport(workDir))!;
  const modelMs = performance.now() - started;
  started = performance.now();
  const html = reportHtml(report, await reportPageAssets());
  const htmlMs = performance.now() - started;
  const file = path.join(dir, 'report.html');
  started = performance.now();
  const run = spawnSync(process.execPath, [cli, 'report', workDir, '-o', file], { encoding: 'utf8' });
  const cliMs = performance.now() - started;
  if (run.status !== 0) throw new Error(run.stderr);
  started = performance.now();
  const json = spawnSync(process.execPath, [cli, 'report', workDir, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const jsonMs = performance.now() - started;
  if (json.status !== 0) throw new Error(json.stderr);

  const browser = await chromium.launch({
    executablePath: process.env.CHUNKED_AV1_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  started = performance.now();
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-rendered="true"]');
  const openMs = performance.now() - started;
  const rows = await page.locator('table.segments tbody tr').count();
  started = performance.now();
  await page.locator('#chart-vmaf .u-over').click({ position: { x: 200, y: 60 } });
  await page.waitForSelector('#chart-probes canvas');
  const selectMs = performance.now() - started;
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      segments: SEGMENTS,
      rows,
      modelMs: Math.round(modelMs),
      htmlMs: Math.round(htmlMs),
      htmlBytes: html.length,
      cliHtmlMs: Math.round(cliMs),
      cliJsonMs: Math.round(jsonMs),
      chromiumOpenMs: Math.round(openMs),
      selectSegmentMs: Math.round(selectMs),
    }),
  );
}

main().catch((error: unknown) => {
  rmSync(dir, { recursive: true, force: true });
  console.error(error);
  process.exitCode = 1;
});
