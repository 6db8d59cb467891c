import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * What a folder holds, entry by entry: a file by its content's sha256, a symlink by its target
 * (never followed), a folder by its name. Hostile-input tests take one before and after a run
 * to prove that nothing that was there was removed or changed.
 */
export type TreeSnapshot = Map<string, string>;

export function snapshotTree(root: string): TreeSnapshot {
  const snapshot: TreeSnapshot = new Map();
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return; // unreadable (a mount point being unmounted, permissions): nothing to compare
    }
    for (const name of names.sort()) {
      const file = path.join(dir, name);
      const relative = path.relative(root, file);
      const info = lstatSync(file);
      if (info.isSymbolicLink()) snapshot.set(relative, `link → ${readlinkSync(file)}`);
      else if (info.isDirectory()) {
        snapshot.set(relative, 'folder');
        walk(file);
      } else if (info.isFile()) snapshot.set(relative, `file ${createHash('sha256').update(readFileSync(file)).digest('hex')}`);
      else snapshot.set(relative, 'other');
    }
  };
  walk(root);
  return snapshot;
}

/** Every entry of BEFORE is still in AFTER, with the same content (new entries are allowed). */
export function assertTreeKept(before: TreeSnapshot, after: TreeSnapshot): void {
  const lost = [...before].filter(([name, what]) => after.get(name) !== what).map(([name]) => name);
  assert.deepEqual(lost, [], `removed or changed: ${lost.join(', ')}`);
}

/** Nothing was removed, changed or added (a refused run leaves no trace). */
export function assertTreeUnchanged(before: TreeSnapshot, after: TreeSnapshot): void {
  assertTreeKept(before, after);
  const added = [...after.keys()].filter((name) => !before.has(name));
  assert.deepEqual(added, [], `left behind: ${added.join(', ')}`);
}
