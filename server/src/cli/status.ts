import { parseArgs } from 'node:util';
import { UsageError, UserError } from '../errors';
import { lockOwner } from '../job-lock';
import { locateWorkDir } from '../job-location';
import { formatJobStatus, jobStatus } from '../job-status';
import { loadManifest } from '../manifest';
import { workDirLayout } from '../workdir';

const HELP = `usage: chunked-av1 status WORK_DIR|INPUT [-o OUTPUT] [--work-dir DIR] [--json]

Prints a job's state from its manifest without running anything. Given an INPUT, the work
directory is found the way "encode" places it (next to the output); pass the same -o or
--work-dir the encode used if you changed them.
  --json   one JSON object: state, counts, and every segment (index, state, attempts, crf, bytes, error, file)
Exit 0 when a job was found, 1 when there is none.`;

export async function runStatusCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        output: { type: 'string', short: 'o' },
        'work-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const [target, ...extra] = parsed.positionals;
  if (!target || extra.length) throw new UsageError(`status takes one WORK_DIR or INPUT\n${HELP}`);
  const workDir = locateWorkDir({ target, output: parsed.values.output, workDir: parsed.values['work-dir'] });
  const layout = workDirLayout(workDir);
  const manifest = await loadManifest(layout.manifest);
  if (!manifest) throw new UserError(`${target}: no chunked-av1 job found (no readable ${layout.manifest})`, target);
  const status = jobStatus(manifest, layout.root, layout.encoded, lockOwner(layout.root)?.pid);
  process.stdout.write(parsed.values.json ? `${JSON.stringify(status)}\n` : `${formatJobStatus(status)}\n`);
  return 0;
}
