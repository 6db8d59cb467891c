// Gives each stage folder of server/src an index.ts that exports what other stages import from it
// (named re-exports: lazy getters, safe in import cycles), and points those imports at the folder.
// Run from the repository root after adding a cross-stage import: node scripts/stage-barrels.mjs
import { readFileSync, writeFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
const root = path.resolve('server/src');
const STAGES = ['probe', 'plan', 'segment', 'crf', 'encode', 'validate', 'assemble', 'job', 'hosts', 'report', 'sys', 'vmaf'];
function* files(dir) {
  for (const n of readdirSync(dir)) {
    const f = path.join(dir, n);
    if (statSync(f).isDirectory()) yield* files(f);
    else if (f.endsWith('.ts') && !f.endsWith('.as.ts') && !f.endsWith('.d.ts')) yield f;
  }
}
const stageOf = (file) => {
  const rel = path.relative(root, file).split(path.sep);
  return rel.length > 1 && STAGES.includes(rel[0]) ? rel[0] : undefined;
};
const importRe = /(?:import|export)\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)';/g;
const exportsByStage = new Map(); // stage -> Map(moduleRel -> {values:Set, types:Set})
const edits = [];
for (const file of files(root)) {
  const text = readFileSync(file, 'utf8');
  const fromStage = stageOf(file);
  for (const m of text.matchAll(importRe)) {
    if (m[3].endsWith('/index')) {
      edits.push({ file, whole: m[0], replacement: m[0].replace(`'${m[3]}'`, `'${m[3].slice(0, -'/index'.length)}'`) });
      continue;
    }
    const [whole, typeOnly, names, spec] = m;
    if (!spec.startsWith('.')) continue;
    let target = path.resolve(path.dirname(file), spec);
    const targetFile = existsSync(target + '.ts') ? target + '.ts' : undefined;
    if (!targetFile) continue;
    const toStage = stageOf(targetFile);
    if (!toStage || toStage === fromStage) continue;
    const moduleRel = './' + path.relative(path.join(root, toStage), targetFile).replace(/\.ts$/, '');
    const entry = exportsByStage.get(toStage) ?? new Map();
    exportsByStage.set(toStage, entry);
    const sets = entry.get(moduleRel) ?? { values: new Set(), types: new Set() };
    entry.set(moduleRel, sets);
    for (let name of names
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      let isType = Boolean(typeOnly);
      if (name.startsWith('type ')) {
        isType = true;
        name = name.slice(5).trim();
      }
      const exported = name.split(/\s+as\s+/)[0].trim();
      (isType ? sets.types : sets.values).add(exported);
    }
    let folderSpec = path.relative(path.dirname(file), path.join(root, toStage));
    if (!folderSpec.startsWith('.')) folderSpec = './' + folderSpec;
    edits.push({ file, whole, replacement: whole.replace(`'${spec}'`, `'${folderSpec}'`) });
  }
}
// What an earlier run exported stays exported (its importers already point at the folder).
const GENERATED = '// What other stages may use (scripts/stage-barrels.mjs keeps this list; edit the code, not it).';
for (const stage of STAGES) {
  const indexFile = path.join(root, stage, 'index.ts');
  if (!existsSync(indexFile)) continue;
  const text = readFileSync(indexFile, 'utf8');
  if (!text.includes(GENERATED)) continue;
  const entry = exportsByStage.get(stage) ?? new Map();
  exportsByStage.set(stage, entry);
  for (const m of text.slice(text.indexOf(GENERATED)).matchAll(/export\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)';/g)) {
    const sets = entry.get(m[3]) ?? { values: new Set(), types: new Set() };
    entry.set(m[3], sets);
    for (const name of m[2]
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean))
      (m[1] ? sets.types : sets.values).add(name);
  }
}
for (const [stage, modules] of exportsByStage) {
  const indexFile = path.join(root, stage, 'index.ts');
  const existing = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : '';
  const lines = [];
  const marker0 = '// What other stages may use (scripts/stage-barrels.mjs keeps this list; edit the code, not it).';
  const hand = existing.includes(marker0) ? existing.slice(0, existing.indexOf(marker0)) : existing;
  // Names the hand-written part of an index already exports (crf/, vmaf/) are not exported twice.
  const handExports = new Set(
    [...hand.matchAll(/export\s+(?:async\s+)?(?:function|class|const|interface|type)\s+(\w+)/g)].map((m) => m[1]),
  );
  for (const m of hand.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g))
    for (const n of m[1].split(','))
      handExports.add(
        n
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)
          .pop()
          .trim(),
      );
  const handTypeStar = [...hand.matchAll(/export\s+type\s+\*\s+from\s+'([^']+)'/g)].map((m) => m[1]);
  for (const [mod, sets] of modules) {
    for (const n of [...sets.values]) if (handExports.has(n)) sets.values.delete(n);
    for (const n of [...sets.types]) if (handExports.has(n) || handTypeStar.includes(mod)) sets.types.delete(n);
  }
  for (const [mod, { values, types }] of [...modules].sort()) {
    const onlyTypes = [...types].filter((t) => !values.has(t)).sort();
    if (values.size) lines.push(`export { ${[...values].sort().join(', ')} } from '${mod}';`);
    if (onlyTypes.length) lines.push(`export type { ${onlyTypes.join(', ')} } from '${mod}';`);
  }
  const marker = '// What other stages may use (scripts/stage-barrels.mjs keeps this list; edit the code, not it).';
  const kept = existing.includes(marker) ? existing.slice(0, existing.indexOf(marker)) : existing;
  writeFileSync(
    indexFile,
    `${kept}${kept && !kept.endsWith('\n\n') ? (kept.endsWith('\n') ? '\n' : '\n\n') : ''}${marker}\n${lines.join('\n')}\n`,
  );
}
for (const { file, whole, replacement } of edits) writeFileSync(file, readFileSync(file, 'utf8').replace(whole, replacement));
console.log(`stages: ${[...exportsByStage.keys()].join(', ')}; imports rewritten: ${edits.length}`);
