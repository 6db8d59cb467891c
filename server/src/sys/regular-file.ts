import { constants, fstatSync, openSync, closeSync, readSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { UserError } from '../errors';

/**
 * Reading a file we expect to be a small regular file (a manifest, a marker, a model, a hosts
 * file…): a FIFO would block the open or the read forever, a device (/dev/zero) would be read
 * until memory runs out, a folder gives an error that names no file. So the file is opened
 * with O_NONBLOCK (a FIFO opens at once), checked with fstat on the descriptor that is read
 * (no window for a swap), and read only up to a bound.
 */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

function kindOf(info: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Why FILE (followed if a link) is no regular file to read, as the end of a line naming it:
 * `no such file`, `is a FIFO (named pipe), not a regular file`, …; undefined for a regular file.
 */
export function regularFileProblem(file: string): string | undefined {
  try {
    const info = statSync(file);
    return info.isFile() ? undefined : `is ${kindOf(info)}, not a regular file`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
    return code === 'EACCES' ? 'permission denied' : (error as Error).message;
  }
}

function notRegular(file: string, what: string, role: string): UserError {
  return new UserError(`${file}: is ${what}, not a regular file; ${role} must be a file`, file);
}

function tooLarge(file: string, size: number, maxBytes: number, role: string): UserError {
  return new UserError(`${file}: is ${size} bytes, more than the ${maxBytes} a ${role} can be`, file);
}

/** The text of FILE if it is a regular file of at most MAX_BYTES; a UserError naming it otherwise. ENOENT passes through. */
export async function readRegularFile(file: string, maxBytes: number, role: string): Promise<string> {
  const handle = await open(file, OPEN_FLAGS);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw notRegular(file, kindOf(info), role);
    if (info.size > maxBytes) throw tooLarge(file, info.size, maxBytes, role);
    const buffer = Buffer.alloc(info.size);
    const { bytesRead } = await handle.read(buffer, 0, info.size, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** readRegularFile, synchronously (for the few readers that are synchronous). */
export function readRegularFileSync(file: string, maxBytes: number, role: string): string {
  const fd = openSync(file, OPEN_FLAGS);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw notRegular(file, kindOf(info), role);
    if (info.size > maxBytes) throw tooLarge(file, info.size, maxBytes, role);
    const buffer = Buffer.alloc(info.size);
    const bytesRead = readSync(fd, buffer, 0, info.size, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Size bounds: far above any real file of the kind, far below what would hurt. */
export const MAX_STATE_FILE_BYTES = 256 * 1024 * 1024;
export const MAX_SMALL_FILE_BYTES = 16 * 1024 * 1024;
