/**
 * The README's picture of a zones file in the editor (#26): code-server with a workspace of one
 * generated clip, encoded through its Explorer menu; then `film.mkv.zones` beside it, opened with
 * Quick Open, shows a code lens above each zone (the run's figures), a misspelt key underlined
 * (its "did you mean" in the Problems panel), and the hover on a range (its frames,
 * times and the segments it covers with their CRF and size). Saved as docs/screenshots/8-zones.png.
 * Not part of the test suite (the zones suite checks the same features through the provider
 * commands); run by hand after `npm run build`:
 *   node -r ./test/register.cjs test/e2e/zones-shot.ts [OUT.png]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { basicClip } from '../helpers/clips';
import { closeWorkbench, openWorkbench, remotePath } from './browser';
import { startCodeServer } from './codeServer';
import { chooseMenuItem, openContextMenu, STEP_TIMEOUT, widenSideBar } from './workbench';

const ROOT = path.resolve(__dirname, '../..');
const CLIP = 'film.mkv';
/** Two kinds of picture, 4 s each, at 12 fps with a keyframe a second: four 2 s segments. */
const SOURCE = 'testsrc2=s=192x144:r=12:d=4[a];mandelbrot=s=192x144:r=12,trim=duration=4[b];[a][b]concat=n=2';
// The hovered zone comes last, below blank lines: its hover opens above it, over them.
const ZONES = [
  '# film.mkv.zones: the test card sharper, the fractal cheaper',
  '0-24       crf=30               # title card',
  '24-48      target-vmf=40',
  ...Array<string>(6).fill(''),
  '48-96      crf=45 preset=10     # the fractal',
  '',
].join('\n');

async function main(): Promise<number> {
  const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'docs/screenshots/8-zones.png'));
  const temp = mkdtempSync(path.join(os.tmpdir(), 'chunked-av1-zones-shot-'));
  const workspace = path.join(temp, 'workspace');
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  basicClip(path.join(workspace, CLIP), { seconds: 8, fps: 12, gopFrames: 12, source: SOURCE });
  const settings = {
    'chunkedAv1.presets': { quick: { crf: 40, preset: 13, pixelFormat: 'yuv420p' } },
    'chunkedAv1.defaultPreset': 'quick',
    'chunkedAv1.segmentSeconds': 2,
    'chunkedAv1.split': 'keyframe',
    'chunkedAv1.outputPath': '${fileDirname}/out/${fileBasenameNoExtension}.av1.mkv',
    'chunkedAv1.workDirectory': '${workspaceFolder}/.av1-work',
    'files.exclude': { '.av1-work': true, out: true, '.vscode': true },
    'workbench.startupEditor': 'none',
    'editor.hover.delay': 200,
    'editor.minimap.enabled': false,
  };
  writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  const server = await startCodeServer({ workspace, stateDir: path.join(temp, 'state'), trusted: true });
  let code = 1;
  try {
    const bench = await openWorkbench(server.url, workspace, [
      ['extensionDevelopmentPath', remotePath(server.port, ROOT)],
      ['skipWelcome', 'true'],
    ]);
    const { page } = bench;
    try {
      await page.locator('.explorer-folders-view').first().waitFor({ timeout: STEP_TIMEOUT });
      await widenSideBar(page, 300);
      await openContextMenu(page, CLIP);
      await chooseMenuItem(page, /^Encode to AV1$/);
      await page.locator('.notification-toast', { hasText: 'AV1 done' }).first().waitFor({ timeout: STEP_TIMEOUT });
      // Written after the run: its misspelt key would stop an encode.
      writeFileSync(path.join(workspace, `${CLIP}.zones`), ZONES);
      await page.keyboard.press('Control+Shift+E');
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 15_000 });
      await input.fill(`${CLIP}.zones`);
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: `${CLIP}.zones` })
        .first()
        .click({ timeout: 15_000 });
      await page
        .locator('.codelens-decoration', { hasText: /segments? · CRF/ })
        .first()
        .waitFor({ timeout: STEP_TIMEOUT });
      await page.locator('.squiggly-error').first().waitFor({ timeout: STEP_TIMEOUT });
      // Close the toasts; then the hover on the second zone's range.
      for (const close of await page.locator('.notification-toast .codicon-notifications-clear').all()) await close.click().catch(() => {});
      // The Problems panel gives the misspelt key's "did you mean".
      await page.keyboard.press('Control+Shift+M');
      await page.locator('.markers-panel', { hasText: 'did you mean target-vmaf' }).first().waitFor({ timeout: 30_000 });
      const line = await page.locator('.view-lines .view-line', { hasText: '48-96' }).first().boundingBox();
      if (!line) throw new Error('the last zone is not shown');
      await page.mouse.move(line.x + 14, line.y + line.height / 2);
      await page.locator('.monaco-hover', { hasText: 'covers segment' }).first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(300);
      mkdirSync(path.dirname(out), { recursive: true });
      await page.screenshot({ path: out });
      console.log(`zones screenshot: ${out}`);
      code = 0;
    } catch (error) {
      await page.screenshot({ path: path.join(temp, 'failure.png') }).catch(() => undefined);
      console.error(`zones screenshot FAILED: ${(error as Error).stack}\n  (see ${temp}/failure.png)`);
    } finally {
      await closeWorkbench(bench);
    }
  } finally {
    await server.stop();
    if (code === 0 && !process.env.KEEP_TEST_DIRS) rmSync(temp, { recursive: true, force: true });
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`zones-shot: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
