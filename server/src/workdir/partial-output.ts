import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { createExclusive, removeCreated, writeFileAtomic, type CreatedFile } from '../sys';
import { NAME_MAX_BYTES } from './workdir';
import { MAX_SMALL_FILE_BYTES, readRegularFile } from '../sys';

/**
 * The joined output before it has passed validation: a new file beside the output (so the final
 * link/rename is atomic), created exclusively under a name with a random part, so two runs on
 * one output never share it and nothing planted at a name (a symlink, a user's file, the input)
 * is written through or removed. Its path and identity are recorded in the work directory
 * (partial-output.json), so a later run or `clean` removes a killed run's partial, and only when
 * that path still names the file that run created.
 */
export const PARTIAL_RECORD_FILE = 'partial-output.json';

const recordSchema = z.object({ path: z.string(), dev: z.number(), ino: z.number() });

/** `.NAME.partial-TAG.EXT` (or a hash of the output's path when that name would be too long). */
export function partialOutputName(output: string, tag: string): string {
  const parsed = path.parse(path.resolve(output));
  const wanted = `.${parsed.name}.partial-${tag}${parsed.ext}`;
  if (Buffer.byteLength(wanted) <= NAME_MAX_BYTES) return wanted;
  const hash = createHash('sha256').update(path.resolve(output)).digest('hex').slice(0, 16);
  return `.chunked-av1-${hash}.partial-${tag}${parsed.ext.slice(0, 16)}`;
}

/** Whether FILE could be a partial output of OUTPUT: in its folder, named as partialName names it. */
export function isPartialOutputPath(output: string, file: string): boolean {
  const dir = path.dirname(path.resolve(output));
  if (path.dirname(file) !== dir) return false;
  const match = /\.partial-([0-9a-f]{16})(\.[^.]*)?$/.exec(path.basename(file));
  return match !== null && partialOutputName(output, match[1]!) === path.basename(file);
}

/** Creates this run's partial output and records it in WORK_DIR before anything is written to it. */
export async function createPartialOutput(workDir: string, output: string): Promise<Awaited<ReturnType<typeof createExclusive>>> {
  const created = await createExclusive(path.dirname(path.resolve(output)), (tag) => partialOutputName(output, tag));
  try {
    const { path: file, dev, ino } = created.file;
    await writeFileAtomic(path.join(workDir, PARTIAL_RECORD_FILE), `${JSON.stringify({ path: file, dev, ino })}\n`);
  } catch (error) {
    await created.handle.close().catch(() => undefined);
    await removeCreated(created.file);
    throw error;
  }
  return created;
}

/**
 * Removes the partial output recorded in WORK_DIR for OUTPUT (a killed run's), only if the record
 * names a partial of this output and that path still holds the file the run created. Returns the
 * path removed, if any.
 */
export async function removeRecordedPartial(workDir: string, output: string): Promise<string | undefined> {
  let record: CreatedFile;
  try {
    const parsed = recordSchema.safeParse(
      JSON.parse(await readRegularFile(path.join(workDir, PARTIAL_RECORD_FILE), MAX_SMALL_FILE_BYTES, 'a partial output record')),
    );
    if (!parsed.success) return undefined;
    record = parsed.data;
  } catch {
    return undefined;
  }
  if (!isPartialOutputPath(output, record.path)) return undefined;
  return (await removeCreated(record)) ? record.path : undefined;
}
