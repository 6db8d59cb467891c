import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors';
import { isInside } from '../sys';
import { MARKER_FILE, WORK_DIR_OWN_DIRS, WORK_DIR_OWN_FILES, type WorkDirLayout } from './workdir';

/**
 * Nothing inside a work directory is followed if it is a link. Our own entries (segments/,
 * encoded/, manifest.json, segment_list.txt, the marker, each segment file…) are checked with
 * lstat before each use, so a symlink or a FIFO put in their place (in an interrupted job's
 * folder, say) is refused before anything is read or written through it.
 */
export type EntryKind = 'file' | 'folder';

function notOurs(file: string, what: string, kind: EntryKind): UserError {
  return new UserError(
    `${file}: is ${what}, not the ${kind} chunked-av1 wrote there; not following it (remove it, or start the job again with \`chunked-av1 clean\`)`,
    file,
  );
}

/** Throws when FILE exists and is not a plain KIND (a symlink, a FIFO, a device, or a folder for a file). */
export async function requireOwnEntry(file: string, kind: EntryKind): Promise<void> {
  let info;
  try {
    info = await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (info.isSymbolicLink()) throw notOurs(file, 'a symbolic link', kind);
  if (kind === 'folder' && !info.isDirectory()) throw notOurs(file, info.isFile() ? 'a file' : 'a special file', kind);
  // A folder for a file is the errno line every other EISDIR gets.
  if (kind === 'file' && info.isDirectory()) throw new UserError(`${file}: is a folder, not a file (EISDIR)`, file);
  if (kind === 'file' && !info.isFile()) throw notOurs(file, 'a special file (FIFO, device or socket)', kind);
}

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Checks every entry of ROOT that a job writes, and the files in its own folders, before they are used. */
export async function requireOwnEntries(root: string): Promise<void> {
  for (const name of await names(root)) {
    const file = path.join(root, name);
    const own = Object.hasOwn(WORK_DIR_OWN_DIRS, name) ? WORK_DIR_OWN_DIRS[name] : undefined;
    if (own) {
      await requireOwnEntry(file, 'folder');
      for (const entry of await names(file)) {
        if (own.files?.test(entry)) await requireOwnEntry(path.join(file, entry), 'file');
        else if (own.trees?.test(entry)) await requireOwnEntry(path.join(file, entry), 'folder');
      }
    } else if (name === MARKER_FILE || WORK_DIR_OWN_FILES.test(name)) {
      await requireOwnEntry(file, 'file');
    }
  }
}

/** Before a segment is encoded: its folders and files are still ours (lstat, never followed). */
export async function requireOwnSegmentFiles(layout: WorkDirLayout, index: number): Promise<void> {
  await requireOwnEntry(layout.segmentsDir, 'folder');
  await requireOwnEntry(layout.encodedDir, 'folder');
  for (const file of [layout.segment(index), layout.encoded(index), layout.encodedTemp(index)]) await requireOwnEntry(file, 'file');
}

/**
 * Why a file we were asked to write (a report, say) may not be TARGET: it lies in the job's work
 * directory, or is one of its files under another name (a hard link or a symlink, compared by
 * device and inode). Undefined when it may be written.
 */
export async function jobStateFileRefusal(target: string, workDir: string): Promise<string | undefined> {
  const root = await realpath(workDir).catch(() => undefined);
  if (root === undefined) return undefined;
  const folder = await realpath(path.dirname(path.resolve(target))).catch(() => path.dirname(path.resolve(target)));
  if (folder === root || isInside(folder, root)) return `is inside the job's work directory ${root}`;
  const info = await stat(target).catch(() => undefined);
  if (!info) return undefined;
  for (const name of await names(root)) {
    const own = await stat(path.join(root, name)).catch(() => undefined);
    if (own && own.dev === info.dev && own.ino === info.ino) return `is the job's ${name} (in ${root}) under another name`;
  }
  return undefined;
}
