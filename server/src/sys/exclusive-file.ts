import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/**
 * Files we make outside places we own (the partial output, report files, the finished record),
 * and the temp files of atomic writes. Each is created with O_CREAT|O_EXCL|O_NOFOLLOW under a
 * name with a random part, so nothing planted in advance (a symlink, a user's file, the input)
 * is ever opened, truncated or followed; its device and inode are recorded at creation, and
 * only a file that still has them is placed (link/rename) or removed.
 */
export interface FileId {
  dev: number;
  ino: number;
}

export function sameFile(a: FileId | undefined, b: FileId | undefined): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

/** Device and inode of FILE (following links), or undefined when nothing is there. */
export async function fileId(file: string): Promise<FileId | undefined> {
  try {
    const info = await stat(file);
    return { dev: info.dev, ino: info.ino };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A file this process created, by its path and the identity it had at creation. */
export interface CreatedFile extends FileId {
  path: string;
}

/** 16 hex digits from the kernel's random source: a name part nobody can guess in advance. */
export function randomTag(): string {
  return randomBytes(8).toString('hex');
}

const EXCLUSIVE_WRITE = constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW | constants.O_WRONLY;

/**
 * Creates a new, empty file named NAME(tag) in DIR, never opening anything that is already
 * there; tries a fresh tag when the name is taken. The caller writes through the handle.
 */
export async function createExclusive(dir: string, name: (tag: string) => string): Promise<{ file: CreatedFile; handle: FileHandle }> {
  for (let attempt = 0; ; attempt++) {
    const file = path.join(dir, name(randomTag()));
    let handle: FileHandle;
    try {
      handle = await open(file, EXCLUSIVE_WRITE, 0o666);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 8) continue;
      throw error;
    }
    const info = await handle.stat();
    return { file: { path: file, dev: info.dev, ino: info.ino }, handle };
  }
}

/** Whether FILE's path still names the regular file we created (lstat: a link in its place is not it). */
export async function isStillOurs(file: CreatedFile): Promise<boolean> {
  try {
    const info = await lstat(file.path);
    return info.isFile() && info.dev === file.dev && info.ino === file.ino;
  } catch {
    return false;
  }
}

/** Removes FILE only if its path still names what we created; anything else there is left alone. True when removed. */
export async function removeCreated(file: CreatedFile): Promise<boolean> {
  if (!(await isStillOurs(file))) return false;
  return unlink(file.path).then(
    () => true,
    () => false,
  );
}

/** Thrown when our temp file was replaced or removed by someone else before it was placed. */
export class NotOursError extends Error {
  constructor(readonly file: string) {
    super(`${file}: was replaced or removed by another program before it could be put in place; not using it`);
    this.name = 'NotOursError';
  }
}

/**
 * Puts our TEMP at TARGET. With REPLACE, rename (atomic, replaces what is there); without, link,
 * which fails with EEXIST instead of replacing, then the temp name is removed. Throws
 * NotOursError when TEMP no longer names the file we created.
 */
export async function placeCreated(temp: CreatedFile, target: string, replace: boolean): Promise<void> {
  if (!(await isStillOurs(temp))) throw new NotOursError(temp.path);
  if (replace) await rename(temp.path, target);
  else {
    await link(temp.path, target);
    await removeCreated(temp);
  }
}

/**
 * Writes CONTENT to a new exclusive temp file beside FILE (flushed to disk) and returns it, ready
 * for placeCreated; the temp is removed (by identity) when the write fails.
 */
export async function writeExclusiveTemp(file: string, content: string, name?: (tag: string) => string): Promise<CreatedFile> {
  const { file: temp, handle } = await createExclusive(path.dirname(file), name ?? ((tag) => `.${path.basename(file)}.${tag}.tmp`));
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await removeCreated(temp);
    throw error;
  }
  await handle.close();
  return temp;
}
