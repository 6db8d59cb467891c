/**
 * The UI test's report step (#15), on the workbench page the UI test left open: a target-quality
 * encode chosen with *Encode to AV1 with Preset...*, then *Show Report* on its completion message.
 * The report shows one bar and one table row per segment; clicking a bar selects that segment in
 * the jobs tree. Screenshots 6-report.png (default theme, light here) and 7-report-dark.png. Then
 * the report is closed and opened again from the job's context menu in the tree.
 *
 * The webview's page sits two iframes deep: VS Code's `iframe.webview` holds `iframe#active-frame`,
 * which holds our page (client/src/report/webview.ts).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { chooseMenuItem, inDarkTheme, openContextMenu, runFromPalette, STEP_TIMEOUT } from './workbench';
import { E2E } from './workspace';

/** The segment whose bar is clicked: not the first, so a default selection cannot pass for it. */
const CLICKED_SEGMENT = 2;

function reportPage(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** Waits until the report page has drawn a report of the expected number of segments. */
async function waitForReport(page: Page): Promise<FrameLocator> {
  const report = reportPage(page);
  await report.locator(`body[data-rendered="true"][data-segments="${E2E.reportSegments}"]`).waitFor({ timeout: 60_000 });
  return report;
}

/** Encodes the report clip with the target-quality preset and waits for its completion message. */
async function encodeWithQualityPreset(page: Page): Promise<void> {
  await openContextMenu(page, E2E.reportClip);
  await chooseMenuItem(page, /^Encode to AV1 with Preset\.\.\.$/);
  const quality = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: /^quality$/ }) });
  await quality.first().click({ timeout: 30_000 });
}

export async function runReportStep(page: Page, workspace: string, screenshotDir: string, steps: string[]): Promise<void> {
  // A clean window for the screenshots: no Problems panel, no earlier messages.
  await runFromPalette(page, 'View: Hide Panel');
  await runFromPalette(page, 'Notifications: Clear All Notifications');

  await encodeWithQualityPreset(page);
  const outputName = `${path.parse(E2E.reportClip).name}.av1.mkv`;
  const done = page.locator('.notification-toast', { hasText: `AV1 done: ${outputName}` });
  // The message may hide itself after a while: click its button as soon as it shows.
  await done.first().waitFor({ timeout: 2 * STEP_TIMEOUT });
  await done
    .first()
    .locator('.monaco-button', { hasText: /^Show Report$/ })
    .click();
  steps.push('the completion message of a target-quality job offers Show Report, which opens the report');

  let report = await waitForReport(page);
  const vmafChart = report.locator('#chart-vmaf');
  assert.equal(await vmafChart.getAttribute('data-bars'), String(E2E.reportSegments), 'one VMAF bar per segment');
  assert.equal(await report.locator('table.segments tbody tr').count(), E2E.reportSegments, 'one table row per segment');
  steps.push(`the report has one VMAF bar and one table row for each of the ${E2E.reportSegments} segments`);

  // Segment k's bar is centred on its time span; the segments are equally long here.
  const plot = vmafChart.locator('.u-over');
  const box = await plot.boundingBox();
  assert.ok(box, 'the VMAF chart is drawn');
  await plot.click({ position: { x: (box.width * (CLICKED_SEGMENT + 0.5)) / E2E.reportSegments, y: box.height / 2 } });
  const jobsPane = page.locator('#workbench\\.parts\\.sidebar', { has: page.locator('.title-label', { hasText: /Chunked AV1/i }) });
  const selectedRow = jobsPane.locator('.monaco-list-row.selected');
  await selectedRow.first().waitFor({ timeout: 30_000 });
  assert.equal((await selectedRow.first().locator('.label-name').innerText()).trim(), `Segment ${CLICKED_SEGMENT}`);
  assert.match(await report.locator('p.details').innerText(), new RegExp(`^Segment ${CLICKED_SEGMENT} \\(done\\)`));
  await report.locator('#chart-probes').waitFor({ timeout: 15_000 });
  steps.push(`clicking segment ${CLICKED_SEGMENT}'s bar selects it in the jobs tree and shows its CRF search`);

  await runFromPalette(page, 'Notifications: Clear All Notifications');
  await page.screenshot({ path: path.join(screenshotDir, '6-report.png') });
  await inDarkTheme(
    page,
    workspace,
    () => page.screenshot({ path: path.join(screenshotDir, '7-report-dark.png') }),
    // The page redraws its charts in the theme's colours when the body's class changes.
    () => report.locator('body.vscode-dark[data-rendered="true"] #chart-probes').waitFor({ timeout: 15_000 }),
  );

  // From the tree: close the report, then the job's context menu opens it again.
  await runFromPalette(page, 'View: Close Editor');
  await report.locator('body').waitFor({ state: 'detached', timeout: 15_000 });
  const jobRow = jobsPane.locator('.monaco-list-row', { hasText: E2E.reportClip });
  await jobRow.first().click({ button: 'right' });
  await chooseMenuItem(page, /^Show Report$/);
  report = await waitForReport(page);
  assert.equal(await report.locator('table.segments tbody tr').count(), E2E.reportSegments);
  steps.push("the job's context menu in the tree opens the report again");
}
