import { mkdir, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors';
import { readManifest } from './manifest';
import { requireOwnEntries } from '../workdir';
import { MANIFEST_FILE, MARKER_FILE, isOwnWorkDirEntry } from '../workdir';
import { MAX_SMALL_FILE_BYTES, isInside, readRegularFile } from '../sys';

/**
 * Which directory a job may use as its work directory. A job writes into it and clean-up
 * removes what it wrote, so a directory is ours only when it carries the marker written when
 * the job made it. The decision (workDirRefusal) is pure; gathering the facts is the I/O.
 */
export const WORK_DIR_FORMAT = 'chunked-av1 work directory';

export const markerSchema = z.object({
  format: z.literal(WORK_DIR_FORMAT),
  version: z.literal(1),
  /** The output the job was made for (absolute path). */
  output: z.string(),
  createdAt: z.string(),
});
export type WorkDirMarker = z.infer<typeof markerSchema>;

export interface DirId {
  /** Resolved (realpath) path. */
  path: string;
  dev: number;
  ino: number;
}

export interface WorkDirFacts {
  /** The work directory as it will be used, or its resolved path and id when it exists. */
  workDir: string;
  existing?: DirId & { isDirectory: boolean; entries: string[]; marked: boolean };
  /** Resolved paths of the input and the output (the output's folder resolved, its name kept). */
  input: string;
  output: string;
  inputDir?: DirId;
  outputDir?: DirId;
  home?: DirId;
}

function sameDir(a: DirId, b: DirId | undefined): boolean {
  return b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

/** Why this work directory may not be used (one phrase), or undefined when it may. */
export function workDirRefusal(facts: WorkDirFacts): string | undefined {
  const dir = facts.existing;
  if ((dir?.path ?? facts.workDir) === facts.output) return "is the output's path; give a dedicated folder";
  if (!dir) return undefined; // a new directory: made, and marked, by this job
  if (!dir.isDirectory) return 'is not a folder';
  if (dir.path === path.parse(dir.path).root) return 'is the root folder; give a dedicated folder';
  if (sameDir(dir, facts.home)) return 'is your home folder; give a dedicated folder';
  if (sameDir(dir, facts.inputDir)) return "is the input's folder; give a dedicated folder";
  if (sameDir(dir, facts.outputDir)) return "is the output's folder; give a dedicated folder";
  if (isInside(facts.input, dir.path)) return `contains the input (${facts.input}); give a dedicated folder`;
  if (isInside(facts.output, dir.path)) return `contains the output (${facts.output}); give a dedicated folder`;
  if (facts.home && isInside(facts.home.path, dir.path)) return 'contains your home folder; give a dedicated folder';
  if (dir.entries.length && !dir.marked) {
    const shown = dir.entries.filter((name) => !isOwnWorkDirEntry(name)).slice(0, 3);
    return `is not empty and was not made by chunked-av1 (holds ${(shown.length ? shown : dir.entries.slice(0, 3)).join(', ')}); give a new or empty folder`;
  }
  return undefined;
}

async function dirId(dir: string): Promise<DirId | undefined> {
  try {
    const resolved = await realpath(dir);
    const info = await stat(resolved);
    return { path: resolved, dev: info.dev, ino: info.ino };
  } catch {
    return undefined;
  }
}

/** The output path with its folder resolved (the file itself may not exist yet). */
async function resolvedFile(file: string): Promise<string> {
  const dir = await realpath(path.dirname(file)).catch(() => path.dirname(file));
  return path.join(dir, path.basename(file));
}

/** Whether DIR carries our marker, or the manifest of a chunked-av1 made before the marker existed. */
export async function isMarkedWorkDir(dir: string): Promise<boolean> {
  const marker = await readRegularFile(path.join(dir, MARKER_FILE), MAX_SMALL_FILE_BYTES, 'a work directory marker').catch(() => undefined);
  if (marker !== undefined) {
    try {
      if (markerSchema.safeParse(JSON.parse(marker)).success) return true;
    } catch {
      /* not our marker */
    }
  }
  return (await readManifest(path.join(dir, MANIFEST_FILE)).catch(() => undefined)) !== undefined;
}

export async function workDirFacts(workDir: string, input: string, output: string): Promise<WorkDirFacts> {
  const resolvedInput = await realpath(input).catch(() => path.resolve(input));
  const facts: WorkDirFacts = {
    workDir: path.resolve(workDir),
    input: resolvedInput,
    output: await resolvedFile(path.resolve(output)),
    inputDir: await dirId(path.dirname(resolvedInput)),
    outputDir: await dirId(path.dirname(path.resolve(output))),
    home: await dirId(process.env.HOME || os.homedir()),
  };
  let info;
  try {
    info = await stat(workDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return facts;
    throw error; // ELOOP, ENOTDIR, EACCES...: the CLI names the path and the cause
  }
  const id = await dirId(workDir);
  if (!id) return facts;
  const isDirectory = info.isDirectory();
  facts.workDir = id.path;
  facts.existing = {
    ...id,
    isDirectory,
    entries: isDirectory ? await readdir(id.path) : [],
    marked: isDirectory ? await isMarkedWorkDir(id.path) : false,
  };
  return facts;
}

/**
 * Checks, before anything is written, that WORK_DIR may be used for a job from INPUT to OUTPUT;
 * throws a UserError naming the directory and the reason otherwise.
 */
export async function checkWorkDir(workDir: string, input: string, output: string): Promise<void> {
  const facts = await workDirFacts(workDir, input, output);
  const refusal = workDirRefusal(facts);
  if (refusal) throw new UserError(`${workDir}: cannot be the work directory: it ${refusal}`, workDir);
  // A job's own folder: none of its entries may be a link (an interrupted job's encoded/, say).
  if (facts.existing?.isDirectory) await requireOwnEntries(facts.existing.path);
}

/**
 * mkdir -p that reports the real cause: Node's recursive mkdir answers ENOENT where a plain
 * mkdir says EROFS (a read-only file system), so each level is made on its own.
 */
async function makeDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || path.dirname(dir) === dir) throw error;
    await makeDirectory(path.dirname(dir));
    await mkdir(dir).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}

/** Makes WORK_DIR (if new) and marks it as this job's; an existing marker is kept. */
export async function markWorkDir(workDir: string, output: string): Promise<void> {
  await makeDirectory(path.resolve(workDir));
  const marker: WorkDirMarker = { format: WORK_DIR_FORMAT, version: 1, output: path.resolve(output), createdAt: new Date().toISOString() };
  try {
    await writeFile(path.join(workDir, MARKER_FILE), `${JSON.stringify(marker)}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
