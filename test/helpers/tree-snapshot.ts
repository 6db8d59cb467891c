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

/** A name as a key: itself when it is UTF-8, else its bytes with each byte outside UTF-8 as `\\xHH`. */
function nameKey(name: Buffer): string {
  const text = name.toString('utf8');
  return Buffer.from(text, 'utf8').equals(name)
    ? text
    : [...name].map((b) => (b < 0x80 ? String.fromCharCode(b) : `\\x${b.toString(16)}`)).join('');
}

export function snapshotTree(root: string): TreeSnapshot {
  const snapshot: TreeSnapshot = new Map();
  // Names are read as bytes: a name that is not UTF-8 (hostile-causes) is still a file to compare.
  const walk = (dir: Buffer, relativeDir: string) => {
    let names: Buffer[];
    try {
      names = readdirSync(dir, { encoding: 'buffer' });
    } catch {
      return; // unreadable (a mount point being unmounted, permissions): nothing to compare
    }
    const entries = names.map((name) => ({ name, key: nameKey(name) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const { name, key } of entries) {
      const file = Buffer.concat([dir, Buffer.from('/'), name]);
      const relative = relativeDir ? `${relativeDir}/${key}` : key;
      const info = lstatSync(file);
      if (info.isSymbolicLink()) snapshot.set(relative, `link → ${readlinkSync(file, 'utf8')}`);
      else if (info.isDirectory()) {
        snapshot.set(relative, 'folder');
        walk(file, relative);
      } else if (info.isFile()) snapshot.set(relative, `file ${createHash('sha256').update(readFileSync(file)).digest('hex')}`);
      else snapshot.set(relative, 'other');
    }
  };
  walk(Buffer.from(path.resolve(root)), '');
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
