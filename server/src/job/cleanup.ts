import { lstat, readdir, rm, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { MARKER_FILE, WORK_DIR_OWN_DIRS, WORK_DIR_OWN_FILES } from '../workdir';
import { isMarkedWorkDir } from './ownership';

/**
 * Removing a work directory after success, `clean`, or a cancelled run: only the entries a job
 * writes, each by name (workdir.ts lists them), then the directory itself with rmdir, which
 * fails on anything left. Nothing is removed recursively except a job's own probe folders
 * inside its own (marked) work directory. Whatever is not ours stays, and is reported.
 */
export interface CleanupResult {
  /** The work directory was removed. */
  removed: boolean;
  /** Names left in it that chunked-av1 did not write (relative to the work directory). */
  leftOver: string[];
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function removeIfEmpty(dir: string): Promise<boolean> {
  try {
    await rmdir(dir);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return true;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw error;
  }
}

async function removeFile(file: string): Promise<void> {
  await unlink(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/**
 * Removes what a job wrote in WORK_DIR. Refuses (returns removed: false, nothing touched) when
 * the directory does not carry our marker.
 */
export async function removeWorkDir(workDir: string): Promise<CleanupResult> {
  const root = path.resolve(workDir);
  const leftOver: string[] = [];
  if (!(await isMarkedWorkDir(root))) return { removed: false, leftOver: await entries(root) };
  for (const name of await entries(root)) {
    const own = WORK_DIR_OWN_DIRS[name];
    if (own && Object.hasOwn(WORK_DIR_OWN_DIRS, name)) {
      const dir = path.join(root, name);
      // A symlink in our folder's place could lead anywhere: it is not ours to empty.
      if (!(await lstat(dir)).isDirectory()) {
        leftOver.push(name);
        continue;
      }
      for (const entry of await entries(dir)) {
        if (own.files?.test(entry)) await removeFile(path.join(dir, entry));
        else if (own.trees?.test(entry)) await rm(path.join(dir, entry), { recursive: true, force: true });
        else leftOver.push(path.join(name, entry));
      }
      await removeIfEmpty(dir);
    } else if (WORK_DIR_OWN_FILES.test(name)) {
      await removeFile(path.join(root, name));
    } else if (name !== MARKER_FILE) {
      leftOver.push(name);
    }
  }
  // The marker goes last, and only with the directory: a folder still holding someone's files
  // stays recognisably ours, so a later run or `clean` may use it again.
  if (leftOver.length) return { removed: false, leftOver };
  await removeFile(path.join(root, MARKER_FILE));
  const removed = await removeIfEmpty(root);
  return { removed, leftOver: removed ? [] : await entries(root) };
}

/** The one line saying that a work directory was kept, and why; undefined when it was removed. */
export function leftOverWarning(workDir: string, result: CleanupResult): string | undefined {
  return result.removed
    ? undefined
    : `${workDir}: kept, it holds files chunked-av1 did not write (${result.leftOver.slice(0, 3).join(', ')})`;
}
