/**
 * What a person does, clicked through with Playwright in code-server: right-click a video → Encode
 * to AV1 → segments appear in the tree, the status bar shows progress, a completion message; then a
 * failing job: the Problems panel lists the segment and clicking it opens segment_list.txt on that
 * line. Each step is saved as a screenshot (used in the README), in the default theme as NAME.png
 * and, except the open context menu (a theme switch may close it), in the dark one as NAME-dark.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { closeWorkbench, openWorkbench, remotePath } from './browser';
import type { CodeServer } from './codeServer';
import { E2E } from './workspace';

const STEP_TIMEOUT = 120_000;
const DARK_THEME = 'Default Dark Modern';

/**
 * Screenshots in code-server's default theme (light here) as NAME.png and in the dark one as
 * NAME-dark.png. The theme is switched through the workspace's settings.json, which VS Code
 * watches, and restored before going on; the workbench's `vs-dark` class says when each switch
 * has been painted.
 */
async function shotBothThemes(page: Page, workspace: string, file: string): Promise<void> {
  await page.screenshot({ path: `${file}.png` });
  const settingsFile = path.join(workspace, '.vscode', 'settings.json');
  const original = readFileSync(settingsFile, 'utf8');
  try {
    writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(original), 'workbench.colorTheme': DARK_THEME }, null, 2));
    await page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${file}-dark.png` });
  } finally {
    writeFileSync(settingsFile, original);
  }
  await page.locator('.monaco-workbench:not(.vs-dark)').waitFor({ timeout: 15_000 });
}

/** Right-clicks the file in the Explorer and waits for the context menu's Encode to AV1 item. */
async function openContextMenu(page: Page, file: string): Promise<void> {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: file });
  // The jobs view has its own container, which replaces the Explorer in the side bar: go back to it.
  if (!(await row.first().isVisible())) await page.keyboard.press('Control+Shift+E');
  await row.first().waitFor({ timeout: STEP_TIMEOUT });
  const item = page.locator('.monaco-menu .action-label', { hasText: /^Encode to AV1$/ });
  // The development extension's menus arrive a few seconds after the Explorer shows: retry until then.
  const deadline = Date.now() + 60_000;
  for (;;) {
    await row.first().click({ button: 'right' });
    try {
      await item.waitFor({ timeout: 2_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1_000);
    }
  }
}

/**
 * Chooses *Encode to AV1* in the open context menu. A click that lands while the menu is still
 * laying itself out can leave the item highlighted without running it (seen on a quiet machine),
 * so until the menu closes the highlighted item is chosen again with Enter.
 */
async function chooseEncodeToAv1(page: Page): Promise<void> {
  const menu = page.locator('.monaco-menu');
  await page.locator('.monaco-menu .action-label', { hasText: /^Encode to AV1$/ }).click();
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await menu.first().waitFor({ state: 'hidden', timeout: 3_000 });
      return;
    } catch {
      await page.locator('.monaco-menu .action-label', { hasText: /^Encode to AV1$/ }).hover();
      await page.keyboard.press('Enter');
    }
  }
  await menu.first().waitFor({ state: 'hidden', timeout: 3_000 });
}

export async function runUiTest(server: CodeServer, extensionRoot: string, workspace: string, screenshotDir: string): Promise<boolean> {
  mkdirSync(screenshotDir, { recursive: true });
  rmSync(path.join(screenshotDir, 'failure.png'), { force: true });
  const started = Date.now();
  const bench = await openWorkbench(server.url, workspace, [
    ['extensionDevelopmentPath', remotePath(server.port, extensionRoot)],
    ['skipWelcome', 'true'],
  ]);
  const { page } = bench;
  const shot = (name: string) => shotBothThemes(page, workspace, path.join(screenshotDir, name));
  const shotDefaultTheme = (name: string) => page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
  const steps: string[] = [];
  const figures: Record<string, number> = {};
  try {
    // 1. Right-click a video: the menu offers Encode to AV1.
    await openContextMenu(page, E2E.uiClip);
    await shotDefaultTheme('1-explorer-encode-to-av1');
    steps.push('the Explorer context menu of a .mkv offers Encode to AV1');
    const clickedAt = Date.now();
    await chooseEncodeToAv1(page);

    // 2. The tree shows the job's segments; the status bar shows progress while it runs.
    // The jobs view lives in its own activity-bar container, which the encode reveals in the side bar.
    await page.locator('.activitybar .action-item a[aria-label^="Chunked AV1"]').first().waitFor({ timeout: STEP_TIMEOUT });
    const jobsPane = page.locator('#workbench\\.parts\\.sidebar', { has: page.locator('.title-label', { hasText: /Chunked AV1/i }) });
    const status = page.locator('.statusbar-item', { hasText: /AV1 \d+\/\d+/ });
    const segmentRow = jobsPane.locator('.monaco-list-row', { hasText: 'Segment 0' });
    await segmentRow.first().waitFor({ timeout: STEP_TIMEOUT });
    figures.encodeClickToFirstSegmentRowMs = Date.now() - clickedAt;
    let sawStatus = await status.first().isVisible();
    if (sawStatus) await shot('2-tree-and-status-bar');
    steps.push('the jobs view (its own activity-bar container) shows the segments');

    // 3. Completion message with the size and the saving.
    const done = page.locator('.notification-toast', { hasText: 'AV1 done' });
    while (!(await done.first().isVisible())) {
      if (!sawStatus && (await status.first().isVisible())) {
        sawStatus = true;
        await shot('2-tree-and-status-bar');
      }
      if (Date.now() - clickedAt > STEP_TIMEOUT) throw new Error('no completion message');
      await page.waitForTimeout(100);
    }
    assert.ok(sawStatus, 'the status bar showed progress while the job ran');
    steps.push('the status bar showed progress');
    assert.match(await done.first().innerText(), /AV1 done: .*\d+(\.\d)? (B|KB|MB).*smaller than the source.* in /s);
    await jobsPane.locator('.monaco-list-row', { hasText: 'Segment 1' }).first().waitFor();
    await shot('3-completed');
    steps.push('a completion message gives size, saving and time');
    assert.equal(await status.count(), 0, 'the status bar item is hidden when idle');

    // 4. A failing job: the Problems panel lists the segment; clicking it opens segment_list.txt there.
    await openContextMenu(page, E2E.uiFailingClip);
    await chooseEncodeToAv1(page);
    await page.locator('.notification-toast', { hasText: 'AV1 failed' }).first().waitFor({ timeout: STEP_TIMEOUT });
    await page.keyboard.press('Control+Shift+M');
    const marker = page.locator('.markers-panel .monaco-list-row', { hasText: /segment \d+ \(.*failed/ });
    await marker.first().waitFor({ timeout: 30_000 });
    await shot('4-problems-panel');
    steps.push('the Problems panel lists the failed segment');
    const failedIndex = Number(/segment (\d+) \(/.exec(await marker.first().innerText())![1]);
    await marker.first().click();
    const tab = page.locator('.tab', { hasText: 'segment_list.txt' });
    await tab.first().waitFor({ timeout: 30_000 });
    const position = page.locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ });
    const positionText = await position.first().innerText();
    const line = Number(/Ln (\d+)/.exec(positionText)![1]);
    // Line numbers are 1-based in the status bar; the list's header line comes first.
    const editorText = await page.locator('.monaco-editor .view-lines').first().innerText();
    const fileLines = editorText
      .split('\n')
      .map((l, i) => [l, i + 1] as const)
      .filter(([l]) => /^\s*file\s/.test(l))
      .map(([, n]) => n);
    assert.equal(line, fileLines[failedIndex], `the cursor is on segment ${failedIndex}'s file line (status bar: ${positionText})`);
    await shot('5-segment-list-at-failed-line');
    steps.push("clicking the problem opens segment_list.txt at the failed segment's line");
    figures.uiTestSeconds = Math.round((Date.now() - started) / 1000);
    console.log(
      `\nUI test (${((Date.now() - started) / 1000).toFixed(1)} s)\n${steps.map((s) => `  ✔ ${s}`).join('\n')}\n  figures: ${JSON.stringify(figures)}`,
    );
    return true;
  } catch (error) {
    await page.screenshot({ path: path.join(screenshotDir, 'failure.png') }).catch(() => undefined);
    console.log(
      `\nUI test FAILED after: ${steps.join('; ') || 'nothing'}\n  ${(error as Error).stack}\n  (screenshot: ${screenshotDir}/failure.png)`,
    );
    return false;
  } finally {
    await closeWorkbench(bench);
  }
}
