import { open } from 'node:fs/promises';
import path from 'node:path';
import { placeCreated, removeCreated, writeExclusiveTemp } from './exclusive-file';

/**
 * Atomic write: a new temp file in the same directory (created exclusively under a random name,
 * so nothing planted there is followed), fsync, rename, fsync the directory.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const temp = await writeExclusiveTemp(file, content, (tag) => `${path.basename(file)}.${process.pid}.${BigInt(`0x${tag}`)}.tmp`);
  try {
    await placeCreated(temp, file, true);
  } catch (error) {
    await removeCreated(temp);
    throw error;
  }
  try {
    const dir = await open(path.dirname(file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    /* directories cannot be fsynced everywhere; the rename is still atomic */
  }
}
