import { CancelledError, EXIT_CANCELLED, EXIT_FAILURE, EXIT_USAGE, UsageError, UserError, errnoMessage, errorMessage } from './errors';
import { nonUtf8ArgumentRefusal, printable } from './sys';
import { suggestFlag } from './cli/flags';

/**
 * `chunked-av1 <command> ...`. Each command lives in cli/<command>.ts and returns its exit code.
 * Errors become exactly one line on stderr: UserError → exit 1, UsageError → exit 2,
 * cancellation → exit 130. Anything unexpected is a bug: one line too, plus the stack with
 * CHUNKED_AV1_DEBUG=1.
 */
type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  encode: async () => (await import('./cli/encode')).runEncodeCommand,
  probe: async () => (await import('./cli/probe')).runProbeCommand,
  vmaf: async () => (await import('./cli/vmaf')).runVmafCommand,
  score: async () => (await import('./cli/score')).runScoreCommand,
  search: async () => (await import('./cli/search')).runSearchCommand,
  status: async () => (await import('./cli/status')).runStatusCommand,
  clean: async () => (await import('./cli/clean')).runCleanCommand,
  'segment-worker': async () => (await import('./cli/segment-worker')).runSegmentWorkerCommand,
  report: async () => (await import('./cli/report')).runReportCommand,
  zones: async () => (await import('./cli/zones')).runZonesCommand,
};

/** Each command's synopsis and what it does, in two aligned columns (80 columns wide). */
const COMMAND_LINES: [string, string][] = [
  ['encode INPUT... [options]', 'encode to AV1 in parallel segments: one INPUT,'],
  ['', 'several, or a directory, one after the other;'],
  ['', '-o OUTPUT for one, --output-dir DIR for many;'],
  ['', '--crf N or --target-vmaf T'],
  ['search INPUT --target-vmaf T', "each segment's CRF, VMAF and predicted size"],
  ['probe INPUT', 'what the pipeline sees, and its segment plan'],
  ['vmaf REFERENCE DISTORTED', 'measure VMAF (built-in engine or libvmaf)'],
  ['score REFERENCE DISTORTED', 'measure VMAF, SSIMULACRA2 or XPSNR (--metric)'],
  ['status WORK_DIR|INPUT', "a job's state from its manifest"],
  ['clean INPUT', "remove a job's work directory"],
  ['report WORK_DIR|INPUT', "a job's quality report as one HTML file"],
  ['zones import AV1AN_FILE', 'an Av1an zones file as ours (docs/zones.md)'],
];
const SYNOPSIS_WIDTH = Math.max(...COMMAND_LINES.map(([synopsis]) => synopsis.length)) + 3;

export const USAGE = [
  'usage: chunked-av1 <command> [options]',
  '',
  'commands:',
  ...COMMAND_LINES.map(([synopsis, what]) => `  ${synopsis.padEnd(SYNOPSIS_WIDTH)}${what}`),
  '',
  'Run "chunked-av1 <command> --help" for a command\'s options. --json: one JSON',
  'object a line on stdout, for scripts.',
].join('\n');

export async function main(argv: string[]): Promise<number> {
  // A closed stderr (`2>&1 | head`) is no crash: what is left to say has no reader. (encode also
  // stops its job on it; see cli/encode.ts.)
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version') {
    process.stdout.write(`${process.env.CHUNKED_AV1_VERSION ?? '0.1.0'}\n`);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    const near = suggestFlag(
      name,
      Object.keys(commands).filter((command) => command !== 'segment-worker'),
    );
    process.stderr.write(`chunked-av1: unknown command "${name}"${near ? ` (did you mean ${near}?)` : ''}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  // A name that is not UTF-8 never reached us intact: say so before it is taken for a missing file.
  const notUtf8 = nonUtf8ArgumentRefusal(argv);
  if (notUtf8) return reportError(new UserError(notUtf8));
  try {
    return await (
      await load()
    )(rest);
  } catch (error) {
    return reportError(error);
  }
}

export function reportError(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`chunked-av1: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof CancelledError) {
    process.stderr.write('chunked-av1: cancelled\n');
    return EXIT_CANCELLED;
  }
  if (error instanceof UserError) {
    process.stderr.write(`chunked-av1: ${printable(error.message)}\n`);
    return EXIT_FAILURE;
  }
  const fileSystem = errnoMessage(error);
  if (fileSystem) {
    process.stderr.write(`chunked-av1: ${printable(fileSystem)}\n`);
    return EXIT_FAILURE;
  }
  process.stderr.write(`chunked-av1: internal error: ${printable(errorMessage(error).split('\n')[0]!)}\n`);
  if (process.env.CHUNKED_AV1_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  return EXIT_FAILURE;
}

if (require.main === module) {
  // main reports its own failures and resolves to the exit code, so nothing is left to handle here.
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
