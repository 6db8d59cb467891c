import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * Which input a job (or a cached measurement) was made from: its path, size, modification time
 * and a hash of its first and last MiB. Cheap enough to take at every start, and enough to notice
 * a file replaced or rewritten under the same name.
 */
const MIB = 1024 * 1024;

export const inputIdentitySchema = z.object({
  path: z.string(),
  size: z.number(),
  mtimeMs: z.number(),
  /** sha256 of the first and last MiB. */
  edgeHash: z.string(),
});
export type InputIdentity = z.infer<typeof inputIdentitySchema>;

export async function inputIdentity(file: string): Promise<InputIdentity> {
  return (await inputFileIdentity(file)).identity;
}

/** The identity plus the file's device and inode (what a run watches; not kept in records, as a copy or a move changes them). */
export async function inputFileIdentity(file: string): Promise<{ identity: InputIdentity; dev: number; ino: number }> {
  const info = await stat(file);
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(MIB, info.size));
    await handle.read(head, 0, head.length, 0);
    hash.update(head);
    if (info.size > MIB) {
      const tailLength = Math.min(MIB, info.size - MIB);
      const tail = Buffer.alloc(tailLength);
      await handle.read(tail, 0, tailLength, info.size - tailLength);
      hash.update(tail);
    }
  } finally {
    await handle.close();
  }
  return {
    identity: { path: path.resolve(file), size: info.size, mtimeMs: info.mtimeMs, edgeHash: hash.digest('hex') },
    dev: info.dev,
    ino: info.ino,
  };
}

/** Why an earlier job's record cannot be reused for this input, or undefined when it can. */
export function inputChange(previous: InputIdentity, current: InputIdentity): string | undefined {
  if (previous.size !== current.size) return `its size changed (${previous.size} → ${current.size} bytes)`;
  if (previous.edgeHash !== current.edgeHash) return 'its content changed';
  if (Math.abs(previous.mtimeMs - current.mtimeMs) > 1) return 'its modification time changed';
  return undefined;
}
