// The client/server boundary: client/ may import common/ and packages, never server/; common/
// imports neither side; server/ never imports client/. tsc's project references enforce the same
// (TS6307), this check names the offending line in plain words and runs in `npm test`.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const forbidden = { client: ['server'], common: ['client', 'server'], server: ['client'] };
const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(name)) yield full;
  }
}

const problems = [];
for (const [side, banned] of Object.entries(forbidden)) {
  for (const file of sourceFiles(path.join(root, side))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(specifier)) {
      const spec = match[2];
      if (!spec.startsWith('.')) continue;
      const target = path.relative(root, path.resolve(path.dirname(file), spec)).split(path.sep)[0];
      if (banned.includes(target)) {
        const line = text.slice(0, match.index).split('\n').length;
        problems.push(`${path.relative(root, file)}:${line}: ${side}/ must not import ${target}/ ('${spec}')`);
      }
    }
  }
}
// Inside server/src, one stage uses another only through that stage's index.ts (its public part).
const serverSrc = path.join(root, 'server', 'src');
const stages = new Set(
  readdirSync(serverSrc).filter(
    (name) => statSync(path.join(serverSrc, name)).isDirectory() && readdirSync(path.join(serverSrc, name)).includes('index.ts'),
  ),
);
for (const file of sourceFiles(serverSrc)) {
  const from = path.relative(serverSrc, file).split(path.sep);
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(specifier)) {
    const spec = match[2];
    if (!spec.startsWith('.')) continue;
    const target = path.relative(serverSrc, path.resolve(path.dirname(file), spec)).split(path.sep);
    if (target.length < 2 || !stages.has(target[0]) || (from.length > 1 && from[0] === target[0])) continue;
    if (target.length === 2 && target[1] === 'index') continue;
    const line = text.slice(0, match.index).split('\n').length;
    problems.push(
      `${path.relative(root, file)}:${line}: imports ${target.join('/')} from another stage; use '${path.relative(path.dirname(file), path.join(serverSrc, target[0])) || '.'}' (its index.ts) and export it there (node scripts/stage-barrels.mjs)`,
    );
  }
}
for (const problem of problems) console.error(problem);
if (problems.length) process.exit(1);
console.log('boundary: client/, common/ and server/ import only what they may; stages use each other through their index.ts');
