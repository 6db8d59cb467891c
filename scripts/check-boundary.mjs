// The boundaries the code keeps, checked in `npm run typecheck` and `npm test`, each refusal one
// plain line naming the file, the line and what to do:
// 1. The client/server boundary: client/ may import common/ and packages, never server/; common/
//    imports neither side; server/ never imports client/ (tsc's project references enforce the
//    same, TS6307; this names the offending line).
// 2. Inside server/src, one stage uses another only through that stage's index.ts (its public face).
// 3. The stage order (docs/design.md, "Stage order"): a folder of server/src may value-import only
//    folders on its own floor or below. A type-only import is allowed (it leaves nothing at run time).
// 4. No cycle between folders of server/src, counting value imports, even between folders that
//    share a floor.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Floors, lowest first; a stage may value-import its own floor and those below. Keep docs/design.md in step. */
export const STAGE_ORDER = [
  ['errors'],
  ['sys'],
  ['workdir'],
  ['probe'],
  ['plan'],
  ['zones'],
  ['encode'],
  ['segment'],
  ['vmaf'],
  ['metrics'],
  ['crf'],
  ['validate'],
  ['assemble'],
  ['inspect'],
  ['job'],
  ['hosts', 'report'],
  ['pipeline'],
  ['cli', 'lsp'],
];

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const forbidden = { client: ['server'], common: ['client', 'server'], server: ['client'] };
// Any relative specifier: static import/export ... from, side-effect import, import(), require().
const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;
// Static import/export statements with their clause (multi-line too), to tell type-only ones apart.
const staticImport = /^[ \t]*(import|export)\s+([^;'"]*?)\s*from\s*(['"])([^'"]+)\3/gm;

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(name)) yield full;
  }
}

const lineOf = (text, index) => text.slice(0, index).split('\n').length;

/** `import type {…}`, `export type *`, or braces where every name is `type X`. */
function isTypeOnly(clause) {
  const text = clause.trim();
  if (/^type\b/.test(text)) return true;
  const braces = /^\{([^}]*)\}$/.exec(text);
  if (!braces) return false;
  const names = braces[1]
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return names.length > 0 && names.every((name) => name.startsWith('type '));
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
        problems.push(`${path.relative(root, file)}:${lineOf(text, match.index)}: ${side}/ must not import ${target}/ ('${spec}')`);
      }
    }
  }
}

const serverSrc = path.join(root, 'server', 'src');
/** The folder (or root file without .ts) of server/src a path belongs to. */
const stageOf = (file) => path.relative(serverSrc, file).split(path.sep)[0].replace(/\.ts$/, '');
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
    problems.push(
      `${path.relative(root, file)}:${lineOf(text, match.index)}: imports ${target.join('/')} from another stage; use '${path.relative(path.dirname(file), path.join(serverSrc, target[0])) || '.'}' (its index.ts) and export it there`,
    );
  }
}

// The stage order and the folder graph (value imports only).
const floorOf = new Map(STAGE_ORDER.flatMap((floor, index) => floor.map((stage) => [stage, index])));
const edges = new Map(); // stage -> Map(stage -> first "file:line")
for (const file of sourceFiles(serverSrc)) {
  const fromStage = stageOf(file);
  const text = readFileSync(file, 'utf8');
  const where = (index) => `${path.relative(root, file)}:${lineOf(text, index)}`;
  if (!floorOf.has(fromStage)) {
    problems.push(
      `${where(0)}: ${fromStage} has no place in the stage order; add it to STAGE_ORDER in scripts/check-boundary.mjs and to docs/design.md`,
    );
    continue;
  }
  const typeOnlySpans = [...text.matchAll(staticImport)]
    .filter((match) => isTypeOnly(match[2]))
    .map((match) => [match.index, match.index + match[0].length]);
  for (const match of text.matchAll(specifier)) {
    const spec = match[2];
    if (!spec.startsWith('.')) continue;
    const resolved = path.resolve(path.dirname(file), spec);
    if (!resolved.startsWith(serverSrc + path.sep)) continue;
    const toStage = stageOf(resolved);
    if (toStage === fromStage || !floorOf.has(toStage)) continue;
    if (typeOnlySpans.some(([start, end]) => match.index >= start && match.index < end)) continue;
    if (floorOf.get(toStage) > floorOf.get(fromStage)) {
      problems.push(
        `${where(match.index)}: ${fromStage}/ comes before ${toStage}/ in the stage order (docs/design.md), so it must not use it ('${spec}'); move what both need down to ${fromStage}/ or below, or import only its type`,
      );
    }
    const out = edges.get(fromStage) ?? new Map();
    edges.set(fromStage, out);
    if (!out.has(toStage)) out.set(toStage, where(match.index));
  }
}
// A cycle between folders (possible only inside one floor once the order holds).
const state = new Map();
const stack = [];
function visit(stage) {
  state.set(stage, 'open');
  stack.push(stage);
  for (const next of (edges.get(stage) ?? new Map()).keys()) {
    if (state.get(next) === 'open') {
      const loop = [...stack.slice(stack.indexOf(next)), next];
      const steps = loop.slice(0, -1).map((from, i) => `${from}/ → ${loop[i + 1]}/ (${edges.get(from).get(loop[i + 1])})`);
      problems.push(`folders import each other in a loop: ${steps.join(', ')}; one of them must stop using the other`);
    } else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(stage, 'done');
}
for (const stage of edges.keys()) if (!state.has(stage)) visit(stage);

for (const problem of problems) console.error(problem);
if (problems.length) process.exit(1);
console.log(
  'boundary: client/, common/ and server/ import only what they may; stages use each other through their index.ts, in the stage order, with no loop between folders',
);
