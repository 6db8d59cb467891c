/**
 * The editor tests, in a real VS Code: code-server 4.100.3 driven by Debian's Chromium.
 *   1. the extension-host mocha suite (dist/test/suite.js via the payload's extensionTestsPath),
 *      with two namespace hosts (test/helpers/hosts.ts, needs root) for its chunkedAv1.hosts test;
 *   2. the UI test (ui.ts): what a person clicks and sees, with screenshots in test-results/screenshots
 *      (git-ignored; docs/screenshots/ with `npm run screenshots`);
 *   3. restricted mode: an untrusted workspace's own chunkedAv1.ffmpegPath is ignored.
 * Usage: npm run test:e2e   (after npm run build; scripts/setup.sh --e2e installs code-server)
 * One suite file alone: CHUNKED_AV1_E2E_ONLY=zones (or metric) npm run test:e2e (only that file of suite/: no UI
 * test, no hosts, no restricted-mode suite).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeWorkbench, openWorkbench, remotePath, CHROMIUM } from './browser';
import { CODE_SERVER_ENTRY, startCodeServer, type CodeServer } from './codeServer';
import { createTestHosts, unavailableReason, type TestHosts } from '../helpers/hosts';
import { prepareRestrictedWorkspace } from './restrictedWorkspace';
import { runUiTest } from './ui';
import { prepareWorkspace } from './workspace';

const ROOT = path.resolve(__dirname, '../..');
const SUITE = path.join(ROOT, 'dist/test/suite.js');
const SUITE_TIMEOUT_MS = 6 * 60_000;

interface SuiteReport {
  failures: number;
  results: { title: string; state: string; ms?: number; error?: string }[];
}

async function runSuite(server: CodeServer, workspace: string, resultsFile: string, label: string): Promise<boolean> {
  const payload: [string, string][] = [
    ['extensionDevelopmentPath', remotePath(server.port, ROOT)],
    ['extensionTestsPath', remotePath(server.port, SUITE)],
    ['skipWelcome', 'true'],
  ];
  const started = Date.now();
  const bench = await openWorkbench(server.url, workspace, payload);
  try {
    const code = await Promise.race([
      bench.exitCode,
      new Promise<number>((_, reject) =>
        setTimeout(() => reject(new Error(`${label}: no result after ${SUITE_TIMEOUT_MS / 1000} s`)), SUITE_TIMEOUT_MS),
      ),
    ]);
    const report: SuiteReport | undefined = existsSync(resultsFile)
      ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteReport)
      : undefined;
    console.log(`\n${label} (${((Date.now() - started) / 1000).toFixed(1)} s, exit ${code})`);
    for (const result of report?.results ?? []) {
      const mark = result.state === 'passed' ? '✔' : result.state === 'pending' ? '-' : '✖';
      console.log(`  ${mark} ${result.title}${result.ms !== undefined ? ` (${result.ms} ms)` : ''}`);
      if (result.error)
        console.log(
          result.error
            .split('\n')
            .map((l) => `      ${l}`)
            .join('\n'),
        );
    }
    if (!report) console.log(bench.console.slice(-40).join('\n'));
    return code === 0 && Boolean(report) && report!.failures === 0;
  } finally {
    await closeWorkbench(bench);
  }
}

async function runRestrictedSuite(temp: string): Promise<boolean> {
  const restrictedWorkspace = path.join(temp, 'untrusted');
  prepareRestrictedWorkspace(restrictedWorkspace);
  const restricted = await startCodeServer({
    workspace: restrictedWorkspace,
    stateDir: path.join(temp, 'state-untrusted'),
    trusted: false,
    env: { CHUNKED_AV1_E2E_RESULTS: path.join(temp, 'results-restricted.json'), CHUNKED_AV1_E2E_SUITE: 'restricted' },
  });
  try {
    return await runSuite(restricted, restrictedWorkspace, path.join(temp, 'results-restricted.json'), 'restricted-mode suite');
  } finally {
    await restricted.stop();
  }
}

/** A suite file run alone (CHUNKED_AV1_E2E_ONLY), skipping the rest; suite/index.ts knows the names. */
const ONLY_SUITES = ['zones', 'metric'];

async function main(): Promise<number> {
  const only = process.env.CHUNKED_AV1_E2E_ONLY;
  if (only && !ONLY_SUITES.includes(only)) {
    console.error(`e2e: CHUNKED_AV1_E2E_ONLY=${only}: not a suite that runs alone (${ONLY_SUITES.join(', ')})`);
    return 1;
  }
  for (const [what, file] of [
    ['code-server', CODE_SERVER_ENTRY],
    ['Chromium', CHROMIUM],
    ['the suite bundle', SUITE],
  ] as const) {
    if (!existsSync(file)) {
      console.error(`e2e: ${what} is missing (${file}); run scripts/setup.sh --e2e and npm run build`);
      return 1;
    }
  }
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
  const temp = mkdtempSync(path.join(os.tmpdir(), 'chunked-av1-e2e-'));
  const workspace = path.join(temp, 'workspace');
  prepareWorkspace(workspace);
  const figuresFile = path.join(temp, 'figures.json');
  let ok = true;

  // Made before code-server starts: its environment (the ssh config) reaches the extension host
  // and the language server. Where namespaces cannot be made, the suite's hosts test says why and skips.
  const hostsUnavailable = only ? `only the ${only} suite runs` : unavailableReason();
  if (hostsUnavailable && !only && process.env.CI === 'true') throw new Error(`namespace hosts are required in CI: ${hostsUnavailable}`);
  const hosts: TestHosts | undefined = hostsUnavailable ? undefined : await createTestHosts([{}, {}]);
  const hostsEnv: Record<string, string> = hosts
    ? { ...hosts.env, CHUNKED_AV1_E2E_HOSTS: hosts.hosts.map((h) => h.address).join(',') }
    : { CHUNKED_AV1_E2E_HOSTS_SKIPPED: hostsUnavailable! };
  let server: CodeServer | undefined;
  try {
    server = await startCodeServer({
      workspace,
      stateDir: path.join(temp, 'state'),
      trusted: true,
      env: {
        CHUNKED_AV1_E2E_RESULTS: path.join(temp, 'results.json'),
        CHUNKED_AV1_E2E_FIGURES: figuresFile,
        ...hostsEnv,
        ...(only ? { CHUNKED_AV1_E2E_SUITE: only } : {}),
      },
    });
    // The UI test goes first, so its screenshots show a fresh window (jobs persist across windows).
    // Screenshots go to test-results/ (git-ignored); `npm run screenshots` points this at docs/screenshots.
    const screenshots = process.env.CHUNKED_AV1_SCREENSHOTS_DIR
      ? path.resolve(process.env.CHUNKED_AV1_SCREENSHOTS_DIR)
      : path.join(ROOT, 'test-results', 'screenshots');
    if (!only) {
      ok = (await runUiTest(server, ROOT, workspace, screenshots)) && ok;
      console.log(`screenshots: ${screenshots}`);
    }
    ok = (await runSuite(server, workspace, path.join(temp, 'results.json'), 'extension-host suite')) && ok;
  } finally {
    await server?.stop();
    hosts?.teardown();
  }
  console.log(`(main code-server stopped at ${elapsed()})`);
  if (!only) ok = (await runRestrictedSuite(temp)) && ok;

  console.log(`\ne2e total: ${elapsed()}`);
  if (existsSync(figuresFile)) console.log(`\nfigures: ${readFileSync(figuresFile, 'utf8')}`);
  if (ok && !process.env.KEEP_TEST_DIRS) rmSync(temp, { recursive: true, force: true });
  else console.log(`e2e files kept in ${temp}`);
  return ok ? 0 : 1;
}

// Exit explicitly: after a failed step a browser connection or helper process can keep the event
// loop alive, and CI must get the verdict rather than hang (stdout to a pipe or file is synchronous here).
main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`e2e: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
