/**
 * What a person does, clicked through with Playwright in code-server: right-click a video → Encode
 * to AV1 → segments appear in the tree, the status bar shows progress, a completion message; then a
 * failing job: the Problems panel lists the segment and clicking it opens segment_list.txt on that
 * line; then a target-quality job's quality report (report.ts). Each step is saved as a screenshot
 * (used in the README), in the default theme as NAME.png and, except the open context menu (a theme
 * switch may close it), in the dark one as NAME-dark.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { closeWorkbench, openWorkbench, remotePath } from './browser';
import type { CodeServer } from './codeServer';
import { runReportStep } from './report';
import { chooseMenuItem, inDarkTheme, openContextMenu, runFromPalette, STEP_TIMEOUT, widenSideBar } from './workbench';
import { E2E } from './workspace';

/** NAME.png in code-server's default theme (light here), NAME-dark.png in the dark one. */
async function shotBothThemes(page: Page, workspace: string, file: string): Promise<void> {
  await page.screenshot({ path: `${file}.png` });
  await inDarkTheme(page, workspace, () => page.screenshot({ path: `${file}-dark.png` }));
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
    await page.locator('.explorer-folders-view').first().waitFor({ timeout: STEP_TIMEOUT });
    await widenSideBar(page, 540);
    // 1. Right-click a video: the menu offers Encode to AV1.
    await openContextMenu(page, E2E.uiClip);
    await shotDefaultTheme('1-explorer-encode-to-av1');
    steps.push('the Explorer context menu of a .mkv offers Encode to AV1');
    // On a quiet machine the job can finish between two polls (2 s for this clip), so the page
    // itself notes every status bar text it shows; the polls below only take the screenshot.
    await page.evaluate(`(() => {
      window.__av1StatusSeen = false;
      const check = () => {
        for (const item of document.querySelectorAll('.statusbar-item'))
          if (/AV1 \\d+\\/\\d+/.test(item.textContent || '')) window.__av1StatusSeen = true;
      };
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    const clickedAt = Date.now();
    await chooseMenuItem(page, /^Encode to AV1$/);

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
    sawStatus ||= (await page.evaluate('window.__av1StatusSeen === true')) === true;
    assert.ok(sawStatus, 'the status bar showed progress while the job ran');
    steps.push('the status bar showed progress');
    assert.match(await done.first().innerText(), /AV1 done: .*\d+(\.\d)? (B|KiB|MiB).*smaller than the source.* in /s);
    await jobsPane.locator('.monaco-list-row', { hasText: 'Segment 1' }).first().waitFor();
    // The message can arrive a moment before the tree's next refresh: picture the job as done.
    await jobsPane
      .locator('.monaco-list-row', { hasText: /ui clip\.mkv\s*done/ })
      .first()
      .waitFor({ timeout: 15_000 });
    await shot('3-completed');
    steps.push('a completion message gives size, saving and time');
    assert.equal(await status.count(), 0, 'the status bar item is hidden when idle');

    // 4. A failing job: the Problems panel lists the segment; clicking it opens segment_list.txt there.
    await openContextMenu(page, E2E.uiFailingClip);
    await chooseMenuItem(page, /^Encode to AV1$/);
    await page.locator('.notification-toast', { hasText: 'AV1 failed' }).first().waitFor({ timeout: STEP_TIMEOUT });
    // The toasts would cover the Problems panel in the screenshot; the message was seen above.
    await runFromPalette(page, 'Notifications: Clear All Notifications');
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

    // 6. An output larger than its source (a crude H.264 clip, a CRF 5 preset picked from the menu): the message says so.
    await openContextMenu(page, E2E.uiGrowsClip);
    await chooseMenuItem(page, /^Encode to AV1 with Preset\.\.\.$/);
    await page
      .locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: /^grows$/ }) })
      .first()
      .click({ timeout: 30_000 });
    const grown = page.locator('.notification-toast', { hasText: 'AV1 done: ui grows' });
    await grown.first().waitFor({ timeout: STEP_TIMEOUT });
    assert.match(await grown.first().innerText(), /AV1 done: ui grows\.av1\.mkv — .*\d+% larger than the source \(.*\).* in /s);
    steps.push('an output larger than its source: the completion message says how much larger');

    // 7. A target-quality job's report, from its completion message and from its job in the tree.
    await runReportStep(page, workspace, screenshotDir, steps);
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
