/** Opens the code-server workbench in Debian's Chromium through playwright-core. */
import { execFileSync } from 'node:child_process';
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
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(message.text()));
  let resolveExit!: (code: number) => void;
  const exitCode = new Promise<number>((resolve) => {
    resolveExit = resolve;
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
  const query = `folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  // The workbench page is large; on a loaded 2-core machine its load event can take longer than
  // playwright's 30 s default, which failed whole editor runs while nothing was wrong.
  await page.goto(`${url}/?${query}`, { timeout: 120_000 });
  return { browser, page, exitCode, console: consoleLines };
}

/** `vscode-remote://` URI of a path on the code-server machine, as the payload wants it. */
export function remotePath(port: number, file: string): string {
  return `vscode-remote://127.0.0.1:${port}${file}`;
}

/**
 * Closes the browser; if Chromium does not answer within 15 s (seen on a loaded machine), kills the
 * Chromium processes this runner started (children of this process, by pid).
 */
export async function closeWorkbench(bench: Workbench): Promise<void> {
  const closed = await Promise.race([
    bench.browser.close().then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000)),
  ]);
  if (closed) return;
  const children = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  for (const line of children.split('\n')) {
    const [pid, command] = line.trim().split(/\s+/);
    if (pid && command?.startsWith('chrom')) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
}
