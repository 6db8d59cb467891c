/** Opens the code-server workbench in Debian's Chromium through playwright-core. */
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Workbench {
  browser: Browser;
  page: Page;
  /** Resolves with the code the extension-host test run hands to window.codeAutomationExit. */
  exitCode: Promise<number>;
  console: string[];
}

export async function openWorkbench(url: string, workspace: string, payload: [string, string][]): Promise<Workbench> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(message.text()));
  let resolveExit!: (code: number) => void;
  const exitCode = new Promise<number>((resolve) => { resolveExit = resolve; });
  await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
  const query = `folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  await page.goto(`${url}/?${query}`);
  return { browser, page, exitCode, console: consoleLines };
}

/** `vscode-remote://` URI of a path on the code-server machine, as the payload wants it. */
export function remotePath(port: number, file: string): string {
  return `vscode-remote://127.0.0.1:${port}${file}`;
}
