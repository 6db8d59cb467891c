import { stat } from 'node:fs/promises';
import { UserError, errorMessage } from '../errors';
import { formatBytes } from '../sys';
import { inputFileIdentity, type InputIdentity } from './source-identity';

/**
 * The input we read is the input we join: the run takes the input's identity (device, inode,
 * size, modification time, a hash of its first and last MiB) before its first read, and checks
 * it again before and after each phase that reads the input (segment copies, the join and mux).
 * A file replaced, rewritten or appended to meanwhile stops the run with one line; the work
 * directory keeps only what was made from the original, so putting it back resumes the job.
 */
export interface InputWatch {
  file: string;
  identity: InputIdentity;
  dev: number;
  ino: number;
}

/** The input as the run first sees it, or undefined when it is not a regular file (the probe then says why). */
export async function watchInput(file: string): Promise<InputWatch | undefined> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  return { file, ...(await inputFileIdentity(file)) };
}

/** The input changed while the run was reading it: the job stops, resumable. */
export class InputChangedError extends UserError {
  constructor(file: string, cause: string) {
    super(
      `${file}: the input changed during the run (${cause}); put the original back and run the same command again to resume, or run it as it is to start over`,
      file,
    );
    this.name = 'InputChangedError';
  }
}

/** Why the file now at `watch.file` is not the one the run started from, or undefined. */
export function changeDuringRun(watch: InputWatch, now: { identity: InputIdentity; dev: number; ino: number }): string | undefined {
  const before = watch.identity.size;
  const after = now.identity.size;
  if (before !== after) {
    const [a, b] = [formatBytes(before), formatBytes(after)];
    return a === b ? `size ${before} → ${after} bytes` : `size ${a} → ${b}`;
  }
  if (watch.dev !== now.dev || watch.ino !== now.ino) return 'replaced by another file of the same size';
  if (watch.identity.edgeHash !== now.identity.edgeHash) return 'its content changed, same size';
  if (Math.abs(watch.identity.mtimeMs - now.identity.mtimeMs) > 1) return 'its modification time changed';
  return undefined;
}

/** Throws InputChangedError when the input is no longer the file the run started from. */
export async function requireUnchangedInput(watch: InputWatch): Promise<void> {
  let now: Awaited<ReturnType<typeof inputFileIdentity>>;
  try {
    now = await inputFileIdentity(watch.file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const cause = code === 'ENOENT' ? 'it was removed' : `it can no longer be read (${code ?? errorMessage(error)})`;
    throw new InputChangedError(watch.file, cause);
  }
  const cause = changeDuringRun(watch, now);
  if (cause) throw new InputChangedError(watch.file, cause);
}
