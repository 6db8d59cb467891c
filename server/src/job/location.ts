import { statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors';
import { defaultOutputPath, defaultWorkDir, MANIFEST_FILE, MARKER_FILE } from '../workdir';

/**
 * Finds a job's work directory from what the user typed: the work directory itself, or the
 * input (with the same -o / --work-dir the encode used, else the defaults the encode uses).
 */
export interface JobLocationArgs {
  target: string;
  output?: string;
  workDir?: string;
}

/** Whether DIR looks like a work directory (its marker or manifest is there); ownership.ts verifies. */
export function isWorkDir(dir: string): boolean {
  const isFile = (file: string) => {
    try {
      return statSync(file).isFile();
    } catch {
      return false;
    }
  };
  try {
    return statSync(dir).isDirectory() && (isFile(path.join(dir, MARKER_FILE)) || isFile(path.join(dir, MANIFEST_FILE)));
  } catch {
    return false;
  }
}

/**
 * The output a command on an INPUT target means: -o, else the default next to the input.
 * Undefined when the target is a work directory (the output is then unknown to the command;
 * a path read from the manifest is never acted on).
 */
export function locateOutput(args: JobLocationArgs): string | undefined {
  const target = path.resolve(args.target);
  try {
    if (statSync(target).isDirectory()) return undefined;
  } catch {
    /* a missing input still names its default output */
  }
  return args.output ? path.resolve(args.output) : defaultOutputPath(target);
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
