// Mocha's TypeScript hook: transpiles the project's .ts files to CommonJS with esbuild as they are
// required. Unlike tsx, it leaves node_modules alone, so ESM-only packages (execa and its
// dependencies) load through Node's own require(esm) and keep their `import` export conditions.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS require hook, loaded with node -r
const { transformSync } = require('esbuild');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
const fs = require('node:fs');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    loader: 'ts',
    format: 'cjs',
    target: 'node20',
    sourcefile: filename,
    sourcemap: 'inline',
  });
  module._compile(code, filename);
};
