import { mkdir } from 'node:fs/promises';
import { ZodError } from 'zod';
import { CancelledError, UsageError, UserError, errnoMessage, errorMessage } from '../errors';
import {
  HELP_FLAG,
  JSON_FLAG,
  catalogueFlags,
  flagValue,
  optionIssueText,
  parseFlags,
  usageText,
  type CommandSpec,
  type FlagSpec,
  type ParsedFlags,
} from './flags';
import { parseEncodeOptions, qualityTargetOf, type EncodeOptions, type EncodeOptionsInput } from '../../../common/options';
import { runEncodeJob } from '../pipeline';
import { ProgressView } from '../job';
import { installShutdownHandlers } from '../job';
import { writeFinishedRecord } from '../job';
import { observeCommands } from '../sys';
import { printable } from '../sys';
import { HostSpecError, parseHostList } from '../hosts';
import { batchOutputs, batchSummaryLines, expandInputs, type BatchWritten } from './batch';
import { completeDone, summaryText } from './summary';
import { searchHandoffNote } from './search-handoff';
import type { DoneEvent, ErrorEvent, JobEvent } from '../../../common/events';
import { MAX_SMALL_FILE_BYTES, readRegularFileSync } from '../sys';

const OPTION_FLAGS = catalogueFlags();
const OUTPUT_DIR_FLAG: FlagSpec = {
  name: 'output-dir',
  value: 'string',
  placeholder: 'DIR',
  help: 'where the outputs of several inputs go (default: beside each input)',
};
const QUIET_FLAG: FlagSpec = { name: 'quiet', short: 'q', value: 'boolean', help: 'print only errors' };
const VERBOSE_FLAG: FlagSpec = {
  name: 'verbose',
  short: 'v',
  value: 'boolean',
  help: 'also print debug lines and each ffmpeg command line',
};

/** --hosts and --hosts-file become the `hosts` option (a checked list), not a catalogue value. */
const HOST_FLAGS: FlagSpec[] = [
  {
    name: 'hosts',
    value: 'string',
    placeholder: 'SPEC[,SPEC...]',
    help: 'also encode on other machines over ssh (GNU parallel): each SPEC is\n[N/][user@]host[:port] (N workers) or : for this machine',
  },
  { name: 'hosts-file', value: 'string', placeholder: 'FILE', help: 'the hosts, one or more a line (# comments)' },
];

export const ENCODE_COMMAND: CommandSpec = {
  name: 'encode',
  synopsis: 'encode INPUT... [options]',
  flags: [...OPTION_FLAGS, ...HOST_FLAGS, OUTPUT_DIR_FLAG, QUIET_FLAG, VERBOSE_FLAG, JSON_FLAG, HELP_FLAG],
  notes:
    'Several INPUTs, or a directory (its video files), are encoded one after the other; the exit\ncode is non-zero when any of them failed.',
};

/** --hosts and --hosts-file → one list of checked host entries (UsageError naming the bad one). */
function hostsFromFlags(hosts: string | undefined, file: string | undefined): string[] | undefined {
  if (hosts === undefined && file === undefined) return undefined;
  try {
    const specs = hosts !== undefined ? parseHostList(hosts) : [];
    if (file !== undefined) {
      let text: string;
      try {
        text = readRegularFileSync(file, MAX_SMALL_FILE_BYTES, 'a hosts file');
      } catch (error) {
        if (error instanceof UserError) throw error;
        throw new UsageError(`--hosts-file ${file}: ${errorMessage(error)}`);
      }
      specs.push(...parseHostList(text, { file: true }));
    }
    const list = parseHostList(specs.map((spec) => spec.text).join(','));
    return list.map((spec) => spec.text);
  } catch (error) {
    if (error instanceof HostSpecError) throw new UsageError(`--hosts${file !== undefined ? '/--hosts-file' : ''}: ${error.message}`);
    throw error;
  }
}
export const ENCODE_USAGE = usageText(ENCODE_COMMAND);

/** One input's flags → validated EncodeOptions (UsageError for anything wrong). */
function optionsFor(input: string, values: ParsedFlags['values'], output?: string): EncodeOptions {
  const raw: Record<string, unknown> = { input };
  for (const flag of OPTION_FLAGS) {
    const value = flagValue(flag, values[flag.name]);
    if (value !== undefined) raw[flag.key] = value;
  }
  if (output !== undefined) raw.output = output;
  const hosts = hostsFromFlags(values.hosts as string | undefined, values['hosts-file'] as string | undefined);
  if (hosts) raw.hosts = hosts;
  try {
    return parseEncodeOptions(raw as EncodeOptionsInput);
  } catch (error) {
    if (error instanceof ZodError) {
      const issue = error.issues[0];
      throw new UsageError(issue ? optionIssueText(issue, raw[String(issue.path[0])]) : 'invalid options');
    }
    throw error;
  }
}

/** Flags → validated EncodeOptions for exactly one INPUT. Exported for tests and the editor. */
export function encodeOptionsFromArgv(argv: string[]) {
  const { values, positionals } = parseFlags(argv, ENCODE_COMMAND);
  if (values.help) return { help: true as const };
  if (positionals.length !== 1) throw new UsageError(`encode needs exactly one INPUT; see chunked-av1 encode --help`);
  return { help: false as const, json: values.json === true, options: optionsFor(positionals[0]!, values) };
}

export interface EncodeRequest {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  /** One entry per input, in order. */
  jobs: EncodeOptions[];
  /** --output-dir, made if missing. */
  outputDir?: string;
}

/** Flags → one EncodeOptions per input (files, directories expanded). */
export function encodeRequestFromArgv(argv: string[]): EncodeRequest | undefined {
  const { values, positionals } = parseFlags(argv, ENCODE_COMMAND);
  if (values.help) return undefined;
  if (!positionals.length) throw new UsageError('encode needs an INPUT; see chunked-av1 encode --help');
  if (values.quiet && values.verbose) throw new UsageError('--quiet and --verbose are exclusive; see chunked-av1 encode --help');
  const inputs = expandInputs(positionals);
  // The flags were fine; the folder holds nothing to encode: a failure of the input (exit 1), not of the usage.
  if (!inputs.length) throw new UserError(`${positionals.join(', ')}: no video files to encode`);
  const outputs = batchOutputs(inputs, values.output as string | undefined, values['output-dir'] as string | undefined);
  return {
    json: values.json === true,
    quiet: values.quiet === true,
    verbose: values.verbose === true,
    jobs: inputs.map((input, i) => optionsFor(input, values, outputs[i])),
    ...(typeof values['output-dir'] === 'string' ? { outputDir: values['output-dir'] } : {}),
  };
}

/** The one line an error becomes (as cli.ts prints it), for the batch's per-file report. */
function errorLine(error: unknown): string {
  if (error instanceof UserError || error instanceof UsageError) return printable(error.message);
  return printable(errnoMessage(error) ?? errorMessage(error).split('\n')[0]!);
}

interface Terminal {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  /** stdout, silenced once its reader has gone (EPIPE). */
  out: (text: string) => void;
  err: (text: string) => void;
}

/** One encode with its terminal output: the live line, logs, the summary (or its JSON events). */
async function encodeOne(options: EncodeOptions, term: Terminal, signal: AbortSignal): Promise<DoneEvent> {
  const tty = !term.json && !term.quiet && process.stderr.isTTY;
  const view = new ProgressView(qualityTargetOf(options) !== undefined, undefined, options.preset);
  let lineShown = false;
  let durationSeconds: number | undefined;
  let lastDraw = 0;
  // With --hosts the progress line starts with "hosts 3 (12 workers) ".
  let hostsLabel = '';
  const clearLine = () => {
    if (lineShown) term.err('\r\x1b[2K');
    lineShown = false;
  };
  const draw = (force = false) => {
    if (!tty || (!force && performance.now() - lastDraw < 200)) return;
    lastDraw = performance.now();
    term.err(`\r\x1b[2K${hostsLabel}${view.line((process.stderr.columns ?? 80) - hostsLabel.length)}`);
    lineShown = true;
  };
  // The line is redrawn every second even when no event comes (a long probe, the mux).
  const timer = tty ? setInterval(() => draw(true), 1000) : undefined;
  timer?.unref();
  const say = (text: string) => {
    clearLine();
    term.err(`chunked-av1: ${printable(text)}\n`);
    draw(true);
  };
  const stopObserving = term.verbose
    ? observeCommands((argv) => say(`$ ${argv.map((a) => JSON.stringify(a)).join(' ')}`))
    : () => undefined;
  const onEvent = (event: JobEvent) => {
    view.observe(event);
    if (event.event === 'plan' && event.hosts) hostsLabel = `hosts ${event.hosts.length} (${event.workers} workers) `;
    if (event.event === 'plan') durationSeconds = event.durationSeconds;
    if (term.json) {
      term.out(`${JSON.stringify(event.event === 'done' ? completeDone(event, options, durationSeconds) : event)}\n`);
      return;
    }
    if (term.quiet) return;
    if (event.event === 'log' && (event.level !== 'debug' || term.verbose)) say(event.message);
    else if (event.event === 'resume') say(`resuming: ${event.kept} of ${event.total} segments already done (kept from the last run)`);
    else if (event.event === 'segment' && event.state === 'done' && event.warning) say(`warning: ${event.warning}`);
    else if (event.event === 'done') {
      clearLine();
      // summaryText makes the names it prints printable; its own line breaks stay.
      term.err(`chunked-av1: ${summaryText(completeDone(event, options, durationSeconds))}\n`);
    } else if (event.event === 'phase') draw(true);
    else if (event.event !== 'log') draw();
  };
  try {
    const handoff = await searchHandoffNote(options);
    if (handoff) onEvent({ event: 'log', level: 'info', message: handoff });
    const done = completeDone(await runEncodeJob(options, { signal, onEvent }), options, durationSeconds);
    if (!(await writeFinishedRecord(options.input, done).catch(() => false)) && !term.quiet && !term.json) {
      term.err(`chunked-av1: note: no finished-job record written beside ${done.output} (a file that is not ours is in its place)\n`);
    }
    return done;
  } catch (error) {
    clearLine();
    if (term.json) {
      const failed = (error as { failedSegments?: { index: number; error: string }[] }).failedSegments;
      const event: ErrorEvent = { event: 'error', message: (errnoMessage(error) ?? errorMessage(error)).split('\n')[0]! };
      const file = (error as { file?: string }).file;
      if (file) event.file = file;
      if (failed) event.failedSegments = failed;
      term.out(`${JSON.stringify(event)}\n`);
    }
    throw error;
  } finally {
    if (timer) clearInterval(timer);
    stopObserving();
  }
}

export async function runEncodeCommand(argv: string[]): Promise<number> {
  const request = encodeRequestFromArgv(argv);
  if (!request) {
    process.stdout.write(`${ENCODE_USAGE}\n`);
    return 0;
  }
  const controller = new AbortController();
  let stdoutGone = false;
  let stderrGone = false;
  // A reader that went away (`| head`, or `2>&1 | head` for stderr) stops the run like Ctrl-C:
  // clean stop, lock released, 130.
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stdoutGone = true;
    if (!controller.signal.aborted) controller.abort(new CancelledError('stdout closed'));
  };
  const onStderrError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stderrGone = true;
    if (!controller.signal.aborted) controller.abort(new CancelledError('stderr closed'));
  };
  process.stdout.on('error', onStdoutError);
  process.stderr.on('error', onStderrError);
  const term: Terminal = {
    json: request.json,
    quiet: request.quiet,
    verbose: request.verbose,
    out: (text) => {
      if (!stdoutGone) process.stdout.write(text);
    },
    err: (text) => {
      if (!stderrGone) process.stderr.write(text);
    },
  };
  const removeHandlers = installShutdownHandlers(controller, {
    onFirstSignal: () => {
      // The live line is cleared only where one is drawn: a log file or a pipe gets no terminal codes.
      if (!request.quiet) term.err(`${process.stderr.isTTY ? '\r\x1b[2K' : ''}chunked-av1: stopping (the next run resumes)…\n`);
    },
  });
  try {
    if (request.outputDir !== undefined) await mkdir(request.outputDir, { recursive: true });
    if (request.jobs.length === 1) {
      await encodeOne(request.jobs[0]!, term, controller.signal);
      return 0;
    }
    return await encodeBatch(request.jobs, term, controller.signal);
  } finally {
    removeHandlers();
    process.stdout.off('error', onStdoutError);
    process.stderr.off('error', onStderrError);
  }
}

/** Several inputs in turn: a failure is reported and the next input starts; a cancel stops all. */
async function encodeBatch(jobs: EncodeOptions[], term: Terminal, signal: AbortSignal): Promise<number> {
  const written: BatchWritten[] = [];
  const failed: { input: string; cause: string }[] = [];
  for (const [i, options] of jobs.entries()) {
    if (!term.quiet && !term.json) term.err(`chunked-av1: [${i + 1}/${jobs.length}] ${options.input}\n`);
    try {
      const done = await encodeOne(options, term, signal);
      written.push({ input: options.input, bytes: done.bytes, sourceBytes: done.sourceBytes });
    } catch (error) {
      if (error instanceof CancelledError || signal.aborted) throw error instanceof CancelledError ? error : new CancelledError();
      failed.push({ input: options.input, cause: errorLine(error) });
      term.err(`chunked-av1: ${errorLine(error)}\n`);
    }
  }
  if (!term.json && (!term.quiet || failed.length))
    term.err(`chunked-av1: ${batchSummaryLines(jobs.length, written, failed).join('\n')}\n`);
  return failed.length ? 1 : 0;
}
