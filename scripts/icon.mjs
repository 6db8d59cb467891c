// Renders the extension's 128x128 icon (media/icon.png, packaged) from media/icon.svg in the
// Chromium the editor tests use (no ImageMagick needed). Run after editing the SVG: node scripts/icon.mjs
import { readFileSync, statSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync('media/icon.svg', 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: 'media/icon.png', omitBackground: true });
} finally {
  await browser.close();
}
console.log(`media/icon.png: ${statSync('media/icon.png').size} bytes`);
