import { buildSync } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Loads a server module through an esbuild bundle, the way the product runs it. Needed for
 * modules that import execa: execa's ESM-only dependencies do not resolve under mocha's
 * tsx/cjs require hook (sindresorhus/execa#1159), but bundle fine.
 */
const cache = new Map<string, unknown>();
const outDir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-bundled-'));

export function requireBundled<T>(sourceFromRepoRoot: string): T {
  const entry = path.resolve(__dirname, '../..', sourceFromRepoRoot);
  let loaded = cache.get(entry);
  if (!loaded) {
    const outfile = path.join(outDir, `${cache.size}-${path.basename(entry, '.ts')}.cjs`);
    buildSync({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(outfile);
    cache.set(entry, loaded);
  }
  return loaded as T;
}
