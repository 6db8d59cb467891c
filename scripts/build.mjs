// Bundles each entry point separately to CommonJS for Node 20 (the CLI, the language server, the
// VS Code client). `vscode` is provided by the editor at run time, so it stays external.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { chmod } from 'node:fs/promises';

const entries = [
  { in: 'server/src/cli.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { in: 'server/src/lsp/server.ts', out: 'dist/server.js' },
  { in: 'client/src/extension.ts', out: 'dist/client.js' },
  // The built-in VMAF engine's worker thread, started from dist/cli.js and dist/server.js alike.
  { in: 'server/src/vmaf/builtin/worker.ts', out: 'dist/vmaf-worker.js' },
  // The editor tests' mocha suite, loaded inside the extension host (tests only; not in the .vsix).
  { in: 'test/e2e/suite/index.ts', out: 'dist/test/suite.js' },
].filter((entry) => existsSync(entry.in));

const production = process.argv.includes('--production');

await Promise.all(entries.map((entry) => build({
  entryPoints: [entry.in],
  outfile: entry.out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  // mocha is loaded from node_modules by the editor-test bundle, not bundled into it.
  external: entry.out.startsWith('dist/test/') ? ['vscode', 'mocha'] : ['vscode'],
  banner: entry.banner ? { js: entry.banner } : undefined,
  // jsonc-parser's UMD build requires its parts dynamically, which a bundle cannot follow; its ESM build bundles.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  logLevel: 'warning',
})));
for (const entry of entries) if (entry.banner) await chmod(entry.out, 0o755);
console.log(`built ${entries.map((e) => e.out).join(', ')}`);
