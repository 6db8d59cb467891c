import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';
import { lockOwner } from '../job/lock';
import { parseJobTarget } from './job-target';
import { isWorkDir } from '../job/location';
import { readManifest } from '../job/manifest';
import { temporaryOutputPath, workDirLayout } from '../job/workdir';

const HELP = `usage: chunked-av1 clean INPUT|WORK_DIR [-o OUTPUT] [--work-dir DIR]

Removes a job's work directory (segments, encoded segments, manifest) and any partial output.
The finished output is never touched. Refuses while a run is using the job.`;

/** Names a work directory may contain; anything else means it is not ours to delete. */
const WORK_DIR_ENTRIES = /^(manifest\.json(\.journal|\..*\.tmp)?|segments|encoded|samples|probes|segment_list\.txt|quality-cache\.jsonl|lock|\.children|.*\.log|.*\.tmp(\..*)?)$/;

export async function runCleanCommand(argv: string[]): Promise<number> {
  const job = parseJobTarget(argv, 'clean', HELP, false);
  if (!job) return 0;
  const { workDir } = job;
  if (!existsSync(workDir)) {
    process.stdout.write(`nothing to clean: ${workDir} does not exist\n`);
    return 0;
  }
  if (!isWorkDir(workDir)) throw new UserError(`${workDir}: not a chunked-av1 work directory (no manifest.json); not removing it`, workDir);
  const strangers = readdirSync(workDir).filter((name) => !WORK_DIR_ENTRIES.test(name));
  if (strangers.length) {
    throw new UserError(`${workDir}: holds files chunked-av1 did not write (${strangers.slice(0, 3).join(', ')}); not removing it`, workDir);
  }
  const owner = lockOwner(workDir);
  if (owner) throw new UserError(`${workDir}: a chunked-av1 run (pid ${owner.pid}) is using this job; cancel it first`, workDir);
  const manifest = await readManifest(workDirLayout(workDir).manifest);
  rmSync(workDir, { recursive: true, force: true });
  const removed = [workDir];
  if (manifest?.output) {
    const partial = temporaryOutputPath(manifest.output);
    if (existsSync(partial)) {
      rmSync(partial, { force: true });
      removed.push(partial);
    }
  }
  process.stdout.write(`removed ${removed.map((p) => path.resolve(p)).join(', ')}\n`);
  return 0;
}
