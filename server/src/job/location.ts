import { statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors';
import { defaultOutputPath, defaultWorkDir, MANIFEST_FILE } from './workdir';

/**
 * Finds a job's work directory from what the user typed: the work directory itself, or the
 * input (with the same -o / --work-dir the encode used, else the defaults the encode uses).
 */
export interface JobLocationArgs {
  target: string;
  output?: string;
  workDir?: string;
}

export function isWorkDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && statSync(path.join(dir, MANIFEST_FILE)).isFile();
  } catch {
    return false;
  }
}

export function locateWorkDir(args: JobLocationArgs): string {
  if (args.workDir) return path.resolve(args.workDir);
  const target = path.resolve(args.target);
  let isDirectory = false;
  try {
    isDirectory = statSync(target).isDirectory();
  } catch {
    /* a missing input still names its default work dir */
  }
  if (isDirectory) {
    if (args.output) throw new UsageError(`${args.target} is a directory: -o applies to an INPUT, not a work directory`);
    return target;
  }
  return defaultWorkDir(args.output ? path.resolve(args.output) : defaultOutputPath(target));
}
