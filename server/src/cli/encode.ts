import { ZodError } from 'zod';
import { UsageError, errnoMessage, errorMessage } from '../errors';
import { printable } from '../sys/printable';
import { OPTION_CATALOGUE, type OptionSpec } from '../../../common/option-catalogue';
import { HELP_FLAG, JSON_FLAG, catalogueFlags, flagValue, parseFlags, usageText, type CommandSpec, type FlagSpec } from './flags';
import { HostSpecError, parseHostList } from '../hosts/host-spec';
import { readFileSync } from 'node:fs';
import { parseEncodeOptions, type EncodeOptionsInput } from '../../../common/options';
import { runEncodeJob } from '../pipeline';
import { progressLine } from '../job/progress';
import { installShutdownHandlers } from '../job/shutdown';
import type { DoneEvent, JobEvent } from '../../../common/events';

const OPTION_FLAGS = catalogueFlags();

/** --hosts and --hosts-file become the `hosts` option (a checked list), not a catalogue value. */
const HOST_FLAGS: FlagSpec[] = [
  { name: 'hosts', value: 'string', placeholder: 'SPEC[,SPEC...]', help: 'also encode on other machines over ssh (GNU parallel): each SPEC is\n[N/][user@]host[:port] (N workers) or : for this machine' },
  { name: 'hosts-file', value: 'string', placeholder: 'FILE', help: 'the hosts, one or more a line (# comments)' },
];

export const ENCODE_COMMAND: CommandSpec = {
  name: 'encode',
  synopsis: 'encode INPUT [options]',
  flags: [...OPTION_FLAGS, ...HOST_FLAGS, JSON_FLAG, HELP_FLAG],
};

/** --hosts and --hosts-file → one list of checked host entries (UsageError naming the bad one). */
function hostsFromFlags(hosts: string | undefined, file: string | undefined): string[] | undefined {
  if (hosts === undefined && file === undefined) return undefined;
  try {
    const specs = hosts !== undefined ? parseHostList(hosts) : [];
    if (file !== undefined) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
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

/** Flags → validated EncodeOptions (UsageError for anything wrong). Exported for tests and the editor. */
export function encodeOptionsFromArgv(argv: string[]) {
  const { values, positionals } = parseFlags(argv, ENCODE_COMMAND);
  if (values.help) return { help: true as const };
  if (positionals.length !== 1) throw new UsageError(`encode needs exactly one INPUT; see chunked-av1 encode --help`);
  const input: Record<string, unknown> = { input: positionals[0]! };
  for (const flag of OPTION_FLAGS) {
    const value = flagValue(flag, values[flag.name]);
    if (value !== undefined) input[flag.key] = value;
  }
  const hosts = hostsFromFlags(values.hosts as string | undefined, values['hosts-file'] as string | undefined);
  if (hosts) input.hosts = hosts;
  try {
    return { help: false as const, json: values.json === true, options: parseEncodeOptions(input as EncodeOptionsInput) };
  } catch (error) {
    if (error instanceof ZodError) {
      const issue = error.issues[0];
      const key = issue?.path[0];
      const flag = typeof key === 'string' ? (OPTION_CATALOGUE as Record<string, OptionSpec>)[key]?.flag : undefined;
      throw new UsageError(`${flag ? `--${flag}: ` : ''}${issue?.message ?? 'invalid options'}`);
    }
    throw error;
  }
}

/** Per-segment CRF and verified VMAF after a --target-vmaf run, and how many segments warned. */
function targetQualitySummary(done: DoneEvent): string {
  const lines = done.segments.map((s) => `  segment ${s.index}: CRF ${s.crf ?? '?'}, VMAF ${s.vmaf === undefined ? '?' : s.vmaf.toFixed(2)}${s.warning ? ' (warning)' : ''}`);
  const warned = done.segments.filter((s) => s.warning).length;
  if (warned) lines.push(`  ${warned} segment(s) with a warning (see above)`);
  return `${lines.join('\n')}\n`;
}

export async function runEncodeCommand(argv: string[]): Promise<number> {
  const parsed = encodeOptionsFromArgv(argv);
  if (parsed.help) {
    process.stdout.write(`${ENCODE_USAGE}\n`);
    return 0;
  }
  const { options, json } = parsed;
  const controller = new AbortController();
  const tty = !json && process.stderr.isTTY;
  let lineShown = false;
  const clearLine = () => {
    if (lineShown) process.stderr.write('\r\x1b[2K');
    lineShown = false;
  };
  const removeHandlers = installShutdownHandlers(controller, {
    onFirstSignal: () => { clearLine(); process.stderr.write('chunked-av1: stopping (the next run resumes)…\n'); },
  });
  // With --hosts the progress line starts with "hosts 3 (12 workers) ".
  let hostsLabel = '';
  const onEvent = (event: JobEvent) => {
    if (event.event === 'plan' && event.hosts) hostsLabel = `hosts ${event.hosts.length} (${event.workers} workers) `;
    if (json) {
      process.stdout.write(`${JSON.stringify(event)}\n`);
      return;
    }
    if (event.event === 'log' && event.level !== 'debug') {
      clearLine();
      process.stderr.write(`chunked-av1: ${printable(event.message)}\n`);
    } else if (event.event === 'progress' && tty) {
      process.stderr.write(`\r\x1b[2K${hostsLabel}${progressLine(event)}`);
      lineShown = true;
    } else if (event.event === 'segment' && event.state === 'done' && event.warning) {
      clearLine();
      process.stderr.write(`chunked-av1: warning: ${printable(event.warning)}\n`);
    } else if (event.event === 'done') {
      clearLine();
      process.stderr.write(`chunked-av1: wrote ${printable(event.output)} (${event.frames} frames, ${(event.bytes / 1024 / 1024).toFixed(2)} MiB, ${event.seconds.toFixed(1)} s)\n`);
      if (options.targetVmaf !== undefined) process.stderr.write(targetQualitySummary(event));
    }
  };
  try {
    await runEncodeJob(options, { signal: controller.signal, onEvent });
    return 0;
  } catch (error) {
    clearLine();
    if (json) {
      const failed = (error as { failedSegments?: { index: number; error: string }[] }).failedSegments;
      const event: JobEvent = { event: 'error', message: (errnoMessage(error) ?? errorMessage(error)).split('\n')[0]! };
      const file = (error as { file?: string }).file;
      if (file) event.file = file;
      if (failed) event.failedSegments = failed;
      process.stdout.write(`${JSON.stringify(event)}\n`);
    }
    throw error;
  } finally {
    removeHandlers();
  }
}
