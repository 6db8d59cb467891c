/**
 * Installs the packaged chunked-av1.vsix into a fresh code-server and reports what a user gets:
 * the package's size, that the installed extension activates, and its activation time as the
 * extension logs it ("activated in … ms; language server ready after … ms").
 *   npm run package && node -r ./test/register.cjs test/e2e/measure-vsix.ts [path/to/chunked-av1.vsix]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeWorkbench, openWorkbench } from './browser';
import { CODE_SERVER_ENTRY, startCodeServer } from './codeServer';
import { basicClip } from '../helpers/clips';

function findLog(dir: string): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = findLog(full);
      if (found) return found;
    } else if (entry.name === 'Chunked AV1.log') return full;
  }
  return undefined;
}

async function main(): Promise<number> {
  const vsix = path.resolve(process.argv[2] ?? 'chunked-av1.vsix');
  if (!existsSync(vsix)) throw new Error(`${vsix}: not found; run npm run package first`);
  const temp = mkdtempSync(path.join(os.tmpdir(), 'chunked-av1-vsix-'));
  const state = path.join(temp, 'state');
  mkdirSync(path.join(state, 'extensions'), { recursive: true });
  execFileSync(
    process.execPath,
    [
      CODE_SERVER_ENTRY,
      '--extensions-dir',
      path.join(state, 'extensions'),
      '--user-data-dir',
      path.join(state, 'user-data'),
      '--install-extension',
      vsix,
    ],
    { stdio: 'ignore' },
  );
  const workspace = path.join(temp, 'workspace');
  mkdirSync(workspace, { recursive: true });
  basicClip(path.join(workspace, 'clip.mkv'), { seconds: 1, size: '160x120' });
  const server = await startCodeServer({ workspace, stateDir: state, trusted: true });
  const bench = await openWorkbench(server.url, workspace, [['skipWelcome', 'true']]);
  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const log = findLog(path.join(state, 'user-data', 'logs'));
      const line = log && /activated in (\d+) ms; language server ready after (\d+) ms/.exec(readFileSync(log, 'utf8'));
      if (line) {
        console.log(`vsix: ${vsix} ${(statSync(vsix).size / 1024).toFixed(0)} KiB`);
        console.log(`installed extension: activate() ${line[1]} ms until the client starts; language server ready after ${line[2]} ms`);
        return 0;
      }
      if (Date.now() > deadline) throw new Error('the installed extension did not log its activation within 90 s');
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await closeWorkbench(bench);
    await server.stop();
    rmSync(temp, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`measure-vsix: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
