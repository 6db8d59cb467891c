import { parseArgs } from 'node:util';
import { UsageError } from '../errors';
import { locateOutput, locateWorkDir } from '../job/location';

/** What `status` and `clean` are pointed at: the job's work directory, found from what was typed. */
export interface JobTarget {
  target: string;
  workDir: string;
  /** The job's output as this command computes it (undefined when given a work directory). */
  output?: string;
  json: boolean;
}

/**
 * Parses `COMMAND WORK_DIR|INPUT [-o OUTPUT] [--work-dir DIR] [--json]` for the commands that read
 * a job without running it. Returns undefined after printing the help.
 */
export function parseJobTarget(argv: string[], command: string, help: string, acceptJson: boolean): JobTarget | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...(acceptJson ? { json: { type: 'boolean' as const, default: false } } : {}),
        output: { type: 'string', short: 'o' },
        'work-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(`${help}\n`);
    return undefined;
  }
  const [target, ...extra] = parsed.positionals;
  if (!target || extra.length) throw new UsageError(`${command} takes one WORK_DIR or INPUT\n${help}`);
  const location = { target, output: parsed.values.output as string | undefined, workDir: parsed.values['work-dir'] as string | undefined };
  const workDir = locateWorkDir(location);
  const output = locateOutput(location);
  return { target, workDir, ...(output ? { output } : {}), json: Boolean((parsed.values as { json?: boolean }).json) };
}
