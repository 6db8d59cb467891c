import { UsageError } from '../errors';
import { HELP_FLAG, JSON_FLAG, parseFlags, usageText, type CommandSpec } from './flags';
import { locateOutput, locateWorkDir } from '../job';

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
  const spec = jobTargetCommand(command, help, acceptJson);
  const { values, positionals } = parseFlags(argv, spec);
  if (values.help) {
    process.stdout.write(`${usageText(spec)}\n`);
    return undefined;
  }
  const [target, ...extra] = positionals;
  if (!target || extra.length) throw new UsageError(`${command} takes one WORK_DIR or INPUT; see chunked-av1 ${command} --help`);
  const location = { target, output: values.output as string | undefined, workDir: values['work-dir'] as string | undefined };
  const workDir = locateWorkDir(location);
  const output = locateOutput(location);
  return { target, workDir, ...(output ? { output } : {}), json: values.json === true };
}

/** The flags of a command that reads a job: `help` is its usage line, then what it does. */
export function jobTargetCommand(command: string, help: string, acceptJson: boolean): CommandSpec {
  const [usage = '', ...notes] = help.split('\n');
  return {
    name: command,
    synopsis: usage.replace(/^usage: chunked-av1 /, ''),
    flags: [
      { name: 'output', short: 'o', value: 'string', placeholder: 'OUTPUT', help: 'the output the encode wrote (when not the default)' },
      { name: 'work-dir', value: 'string', placeholder: 'DIR', help: 'the work directory the encode used (when not the default)' },
      ...(acceptJson ? [JSON_FLAG] : []),
      HELP_FLAG,
    ],
    notes: notes.join('\n').trim(),
  };
}
