/**
 * Entry point of the extension-host test run: VS Code loads this bundle (dist/test/suite.js) through
 * the `extensionTestsPath` of the payload (code-server) or of @vscode/test-electron, and calls run().
 * Results also go to $CHUNKED_AV1_E2E_RESULTS as JSON, because console output of the extension host
 * reaches the runner only through the browser.
 */
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';

interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  ms?: number;
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 240_000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'bundle', mocha);
  // Required after pre-require so that describe/it exist; which files depends on the run
  // (one file alone: CHUNKED_AV1_E2E_ONLY, see run.ts). Each require is written out for the bundler.
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded after pre-require, so a static import cannot be used */
  const files: Record<string, () => void> = {
    extension: () => void require('./extension.test'),
    hosts: () => void require('./hosts.test'),
    zones: () => void require('./zones.test'),
    metric: () => void require('./metric.test'),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  // run.ts names the suite: `restricted` for the untrusted workspace, or one file run alone (CHUNKED_AV1_E2E_ONLY).
  const suite = process.env.CHUNKED_AV1_E2E_SUITE;
  if (suite === 'restricted')
    require('./restricted.test'); // eslint-disable-line @typescript-eslint/no-require-imports -- as above
  else if (suite) {
    if (!files[suite]) throw new Error(`CHUNKED_AV1_E2E_ONLY=${suite}: no such suite file (${Object.keys(files).join(', ')})`);
    files[suite]();
  } else for (const load of Object.values(files)) load();

  const results: TestResult[] = [];
  const resultsFile = process.env.CHUNKED_AV1_E2E_RESULTS;
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (resultsFile) writeFileSync(resultsFile, JSON.stringify({ failures, results }, null, 2));
      if (failures) reject(new Error(`${failures} editor test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => results.push({ title: test.fullTitle(), state: 'passed', ms: test.duration }));
    runner.on('fail', (test, error: Error | undefined) =>
      results.push({ title: test.fullTitle(), state: 'failed', error: String(error?.stack ?? error) }),
    );
    runner.on('pending', (test) => results.push({ title: test.fullTitle(), state: 'pending' }));
  });
}
