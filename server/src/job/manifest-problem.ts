import { MAX_STATE_FILE_BYTES, readRegularFile } from '../sys';
import { manifestSchema } from './manifest';

/**
 * Why a manifest.json that exists does not load (readManifest answers undefined both for a
 * missing file and for one that fails the schema): the job then starts over, and the user is
 * told which file and which field, instead of a resume that silently encodes everything again
 * (issue 24: a hand-edited CRF of 999). A file that cannot be read at all (a FIFO, a folder)
 * is refused by readManifest itself. Returns undefined for a missing or a loadable file.
 */
export async function unloadableManifestReason(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readRegularFile(file, MAX_STATE_FILE_BYTES, 'a job manifest');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  const parsed = manifestSchema.safeParse(json);
  if (parsed.success) return undefined;
  const [issue] = parsed.error.issues;
  if (!issue) return 'not a manifest';
  const field = issue.path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('')
    .replace(/^\./, '');
  return `${field || 'the whole file'}: ${issue.message}`;
}

/** The warning line for a manifest that is there but does not load, or undefined. */
export async function unloadableManifestWarning(file: string): Promise<string | undefined> {
  const reason = await unloadableManifestReason(file);
  return reason && `${file}: not a manifest this version can resume (${reason}); starting the job over`;
}
