import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';
import { MAX_SMALL_FILE_BYTES, readRegularFile } from '../sys';

/**
 * Which zones file belongs to a video, and its text. `--zones FILE` names it; without the flag,
 * `INPUT.zones` beside the input (film.mkv.zones), else `.chunked-av1/zones/INPUT_NAME.zones` in
 * the input's folder or the nearest folder above it that has a `.chunked-av1` (a workspace).
 */
export interface ZonesFile {
  file: string;
  text: string;
  /** Found beside the input or in the workspace, not named by --zones (the run says so). */
  discovered: boolean;
}

/** Where a video's zones file would be looked for, in order (the editor finds the video the other way round). */
export function zonesFileCandidates(input: string): string[] {
  const absolute = path.resolve(input);
  const name = `${path.basename(absolute)}.zones`;
  const candidates = [`${absolute}.zones`];
  for (let dir = path.dirname(absolute); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.chunked-av1'))) {
      candidates.push(path.join(dir, '.chunked-av1', 'zones', name));
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  return candidates;
}

/**
 * The video a zones file belongs to: `film.mkv.zones` → `film.mkv` beside it, or
 * `ROOT/.chunked-av1/zones/film.mkv.zones` → the first `film.mkv` under ROOT found by `find`.
 */
export function videoForZonesFile(zonesFile: string, find: (root: string, name: string) => string | undefined): string | undefined {
  const absolute = path.resolve(zonesFile);
  if (!absolute.endsWith('.zones')) return undefined;
  const name = path.basename(absolute).slice(0, -'.zones'.length);
  if (!name) return undefined;
  const zonesDir = path.dirname(absolute);
  if (path.basename(zonesDir) === 'zones' && path.basename(path.dirname(zonesDir)) === '.chunked-av1') {
    return find(path.dirname(path.dirname(zonesDir)), name);
  }
  const beside = path.join(zonesDir, name);
  return existsSync(beside) ? beside : undefined;
}

async function readZones(file: string): Promise<string> {
  try {
    return await readRegularFile(file, MAX_SMALL_FILE_BYTES, 'a zones file');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`${file}: zones file not found`, file);
    throw error;
  }
}

/** The zones file for INPUT: the one --zones names (which must exist), else the first candidate that exists, else none. */
export async function findZonesFile(input: string, explicit: string | undefined): Promise<ZonesFile | undefined> {
  if (explicit !== undefined) {
    const file = path.resolve(explicit);
    return { file, text: await readZones(file), discovered: false };
  }
  const file = zonesFileCandidates(input).find((candidate) => existsSync(candidate));
  return file ? { file, text: await readZones(file), discovered: true } : undefined;
}
