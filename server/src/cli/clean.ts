import { existsSync, readdirSync } from 'node:fs';
import { UserError } from '../errors';
import { lockOwner } from '../job';
import { parseJobTarget } from './job-target';
import { leftOverWarning, removeWorkDir } from '../job';
import { isMarkedWorkDir } from '../job';
import { isOwnWorkDirEntry } from '../workdir';
import { removeRecordedPartial } from '../workdir';

const HELP = `usage: chunked-av1 clean INPUT|WORK_DIR [-o OUTPUT] [--work-dir DIR]

Removes what a job wrote in its work directory (segments, encoded segments, manifest), then the
directory when that leaves it empty, and, given the INPUT (and the -o of the encode), the
partial output a killed run left next to the output (only the file that run recorded as created). The finished output is never touched. Refuses while a run is
using the job, and for a directory chunked-av1 did not make.`;

export async function runCleanCommand(argv: string[]): Promise<number> {
  const job = parseJobTarget(argv, 'clean', HELP, false);
  if (!job) return 0;
  const { workDir } = job;
  const removed: string[] = [];
  if (!existsSync(workDir)) {
    process.stdout.write(`nothing to clean: ${workDir} does not exist\n`);
  } else {
    if (!(await isMarkedWorkDir(workDir)))
      throw new UserError(`${workDir}: not a chunked-av1 work directory (no marker or manifest); not removing it`, workDir);
    const strangers = readdirSync(workDir).filter((name) => !isOwnWorkDirEntry(name));
    if (strangers.length) {
      throw new UserError(
        `${workDir}: holds files chunked-av1 did not write (${strangers.slice(0, 3).join(', ')}); not removing it`,
        workDir,
      );
    }
    const owner = lockOwner(workDir);
    if (owner) throw new UserError(`${workDir}: a chunked-av1 run (pid ${owner.pid}) is using this job; cancel it first`, workDir);
    // Only the partial this job recorded creating, at a path computed from what was typed and
    // still holding the file it created: never a user's file that merely has such a name.
    const partial = job.output ? await removeRecordedPartial(workDir, job.output) : undefined;
    const result = await removeWorkDir(workDir);
    const kept = leftOverWarning(workDir, result);
    if (kept) throw new UserError(kept, workDir);
    removed.push(workDir);
    if (partial) removed.push(partial);
  }
  if (removed.length) process.stdout.write(`removed ${removed.join(', ')}\n`);
  return 0;
}
