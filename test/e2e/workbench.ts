/**
 * What the UI tests do to code-server's workbench besides clicking our own items: open a file's
 * Explorer context menu and choose an item, run a command from the palette, and switch to the dark
 * theme for a screenshot.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

export const STEP_TIMEOUT = 120_000;
const DARK_THEME = 'Default Dark Modern';

/** Right-clicks the file in the Explorer and waits for the context menu's Encode to AV1 item. */
export async function openContextMenu(page: Page, file: string): Promise<void> {
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
 * Chooses an item of the open context menu. A click that lands while the menu is still laying
 * itself out can leave the item highlighted without running it (seen on a quiet machine), so until
 * the menu closes the highlighted item is chosen again with Enter.
 */
export async function chooseMenuItem(page: Page, label: RegExp): Promise<void> {
  const menu = page.locator('.monaco-menu');
  const item = page.locator('.monaco-menu .action-label', { hasText: label });
  await item.first().click();
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await menu.first().waitFor({ state: 'hidden', timeout: 3_000 });
      return;
    } catch {
      await item.first().hover();
      await page.keyboard.press('Enter');
    }
  }
  await menu.first().waitFor({ state: 'hidden', timeout: 3_000 });
}

/**
 * Drags the side bar's edge to `width` pixels, so the jobs tree's rows (segment, CRF, size, times)
 * are not cut off in the screenshots.
 */
export async function widenSideBar(page: Page, width: number): Promise<void> {
  const sideBar = await page.locator('#workbench\\.parts\\.sidebar').boundingBox();
  if (!sideBar || sideBar.width >= width) return;
  const edge = sideBar.x + sideBar.width;
  const y = sideBar.y + sideBar.height / 2;
  await page.mouse.move(edge - 1, y);
  await page.mouse.down();
  await page.mouse.move(sideBar.x + width, y, { steps: 8 });
  await page.mouse.up();
}

/** Runs a command by its title from the command palette (F1), as a keyboard user would. */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', {
    has: page.locator('.label-name', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }),
  });
  await row.first().click({ timeout: 15_000 });
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
}

/**
 * Runs `action` (a screenshot) in the dark theme, then restores the default one (light here). The
 * theme is switched through the workspace's settings.json, which VS Code watches; the workbench's
 * `vs-dark` class says when each switch has been painted, and `painted` may wait for more (a webview).
 */
export async function inDarkTheme(
  page: Page,
  workspace: string,
  action: () => Promise<unknown>,
  painted?: () => Promise<void>,
): Promise<void> {
  const settingsFile = path.join(workspace, '.vscode', 'settings.json');
  const original = readFileSync(settingsFile, 'utf8');
  try {
    writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(original), 'workbench.colorTheme': DARK_THEME }, null, 2));
    await page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 15_000 });
    await painted?.();
    await page.waitForTimeout(300);
    await action();
  } finally {
    writeFileSync(settingsFile, original);
  }
  await page.locator('.monaco-workbench:not(.vs-dark)').waitFor({ timeout: 15_000 });
}
