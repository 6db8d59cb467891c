import { UserError } from '../errors';
import { lockOwner } from '../job/lock';
import { parseJobTarget } from './job-target';
import { formatJobStatus, jobStatus } from '../job/status';
import { loadManifest } from '../job/manifest';
import { workDirLayout } from '../job/workdir';

const HELP = `usage: chunked-av1 status WORK_DIR|INPUT [-o OUTPUT] [--work-dir DIR] [--json]

Prints a job's state from its manifest without running anything. Given an INPUT, the work
directory is found the way "encode" places it (next to the output); pass the same -o or
--work-dir the encode used if you changed them.
--json: one JSON object: state, counts, and every segment (index, state, attempts, crf, bytes, error, file, host)
Exit 0 when a job was found, 1 when there is none.`;

export async function runStatusCommand(argv: string[]): Promise<number> {
  const job = parseJobTarget(argv, 'status', HELP, true);
  if (!job) return 0;
  const { target, workDir } = job;
  const layout = workDirLayout(workDir);
  const manifest = await loadManifest(layout.manifest);
  if (!manifest) throw new UserError(`${target}: no chunked-av1 job found (no readable ${layout.manifest})`, target);
  const status = jobStatus(manifest, layout.root, layout.encoded, lockOwner(layout.root)?.pid);
  process.stdout.write(job.json ? `${JSON.stringify(status)}\n` : `${formatJobStatus(status)}\n`);
  return 0;
}
