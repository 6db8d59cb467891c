/**
 * Whether a job may write its output without asking: the output must not replace an existing file
 * (unless the user chose Replace), and must lie inside a workspace folder or the input's folder
 * (unless the user confirmed the place). The decision is pure; `resolveReal` and `outputFacts` are
 * the only file-system reads, so that a symlinked folder or `..` cannot hide where a file really goes.
 */
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { StartJobRefusal } from '../../../common/protocol';

/** True when `child` is `parent` or lies below it (both absolute and already resolved). */
export function isWithin(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  const up = relative === '..' || relative.startsWith(`..${path.sep}`);
  return relative === '' || (!up && !path.isAbsolute(relative));
}

export interface OutputFacts {
  /** The output path with every existing ancestor's symlinks resolved. */
  output: string;
  /** Something (a file, a link, a folder) is already at the output path. */
  exists: boolean;
  /** The folders a job may write into without asking: workspace folders and the input's folder, resolved. */
  allowedFolders: string[];
}

export interface Consent {
  overwrite: boolean;
  allowOutsideWorkspace: boolean;
}

/** The first reason the job must not start without the user's word, or undefined. */
export function outputRefusal(facts: OutputFacts, consent: Consent): StartJobRefusal | undefined {
  if (!consent.allowOutsideWorkspace && !facts.allowedFolders.some((folder) => isWithin(facts.output, folder))) {
    return { reason: 'outputOutsideWorkspace', output: facts.output };
  }
  if (facts.exists && !consent.overwrite) return { reason: 'outputExists', output: facts.output };
  return undefined;
}

/** Resolves symlinks in the longest existing prefix of `target`; the rest is appended unchanged. */
export function resolveReal(target: string): string {
  const absolute = path.resolve(target);
  let existing = absolute;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  try {
    return path.join(realpathSync(existing), ...rest);
  } catch {
    return absolute;
  }
}

function occupied(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

export function outputFacts(output: string, input: string, workspaceFolders: string[]): OutputFacts {
  return {
    output: resolveReal(output),
    // lstat: a dangling symlink at the output path is still something the rename would replace.
    exists: occupied(output),
    allowedFolders: [...workspaceFolders, path.dirname(input)].map(resolveReal),
  };
}
