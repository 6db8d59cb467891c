import { constants } from 'node:fs';
import { access, lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors';
import { fileId, placeCreated, sameFile, type CreatedFile } from '../sys';

/**
 * Where the finished output may go. Files are compared by device and inode (after symlinks),
 * never by path string, so the input reached through a symlink, a hard link or `..` is still
 * the input. An existing file is replaced only with --overwrite, checked before any work and
 * again at the final rename, where a file that appeared meanwhile is not replaced either.
 */
/** What is at the output path now (lstat: a dangling symlink is something). */
async function existing(file: string): Promise<'none' | 'folder' | 'file'> {
  try {
    await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw error;
  }
  const target = await stat(file).catch(() => undefined);
  return target?.isDirectory() ? 'folder' : 'file';
}

/** Same-file refusal; the phrase names both paths. */
function sameAsInput(output: string, input: string): UserError {
  return new UserError(`${output}: is the input ${input} (the same file, through a link or another path); choose another -o`, output);
}

/**
 * Checks, before any work, that OUTPUT can be written: not the input, not a folder, not an
 * existing file unless OVERWRITE, in a folder that exists and can be written. A missing input
 * is left to the probe to report.
 */
export async function checkOutputTarget(input: string, output: string, overwrite: boolean): Promise<void> {
  if (sameFile(await fileId(input), await fileId(output))) throw sameAsInput(output, input);
  const what = await existing(output);
  if (what === 'folder') throw new UserError(`${output}: is a folder; give the output's file name with -o`, output);
  if (what === 'file' && !overwrite) throw new UserError(`${output}: already exists; pass --overwrite (-y) to replace it`, output);
  const dir = path.dirname(output);
  const dirInfo = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new UserError(`${dir}: the output's folder does not exist`, dir);
    throw error;
  });
  if (!dirInfo.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, '${dir}'`), { code: 'ENOTDIR', path: dir });
  await access(dir, constants.W_OK); // EACCES or EROFS, with the folder's path
}

/** Filesystems without hard links answer link() with one of these; the rename is used instead. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK']);

function appeared(output: string): UserError {
  return new UserError(
    `${output}: a file appeared there during the encode; not replacing it (pass --overwrite (-y) to replace it)`,
    output,
  );
}

/**
 * Moves the finished TEMP (created by this run, exclusively: its identity is checked again here)
 * to OUTPUT. Without OVERWRITE, link() places it only if nothing is there (it fails with EEXIST
 * instead of replacing), so a file that appeared during the encode is kept. With it, the output
 * is still never the input (compared again: a link to the input may have been made there during
 * the encode).
 */
export async function placeOutput(temp: CreatedFile, output: string, overwrite: boolean, input: string): Promise<void> {
  if (overwrite) {
    if (sameFile(await fileId(input), await fileId(output))) throw sameAsInput(output, input);
    await placeCreated(temp, output, true);
    return;
  }
  try {
    await placeCreated(temp, output, false);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') throw appeared(output);
    if (!NO_HARD_LINKS.has(code)) throw error;
    if ((await existing(output)) !== 'none') throw appeared(output);
    await placeCreated(temp, output, true);
  }
}
