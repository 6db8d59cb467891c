import { CancelledError, EXIT_CANCELLED, EXIT_FAILURE, EXIT_USAGE, UsageError, UserError, errnoMessage, errorMessage } from './errors';
import { printable } from './sys';

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
};

export const USAGE = `usage: chunked-av1 <command> [options]

commands:
  encode INPUT [-o OUTPUT] [--crf N | --target-vmaf T] [--preset P] [--svt-params k=v:k=v]
               [--segment-seconds S] [--workers N] [--work-dir DIR] [--keep-work-dir]
               [--audio copy|opus] [--json] ...      encode INPUT to AV1 in parallel segments
  search INPUT --target-vmaf T [...]               each segment's CRF, VMAF and predicted size, no encode
  probe INPUT [--json]                              show what the pipeline sees in INPUT
  vmaf REFERENCE DISTORTED [--engine auto|libvmaf|builtin] [--json] ...   measure VMAF
  score REFERENCE DISTORTED --metric vmaf|ssimulacra2|xpsnr [--all] [--pool P] [--json]   measure a metric
  status WORK_DIR|INPUT [--json]                    show a job's state from its manifest
  clean INPUT                                       remove a job's work directory
  report WORK_DIR|INPUT [-o REPORT.html] [--json]   a job's quality report as one HTML file

Run "chunked-av1 <command> --help" for a command's options.`;

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
    process.stderr.write(`chunked-av1: unknown command "${name}"\n${USAGE}\n`);
    return EXIT_USAGE;
  }
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
