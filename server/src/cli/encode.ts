import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { UsageError, errorMessage } from '../errors';
import { parseEncodeOptions, type EncodeOptionsInput } from '../../../common/options';
import { runEncodeJob } from '../pipeline';
import { HostSpecError, parseHostList } from '../hosts/host-spec';
import { progressLine } from '../job/progress';
import { installShutdownHandlers } from '../job/shutdown';
import type { DoneEvent, JobEvent } from '../../../common/events';

export const ENCODE_USAGE = `usage: chunked-av1 encode INPUT [options]

  -o, --output FILE        output file (default: INPUT_BASENAME.av1.mkv next to INPUT; .mp4 for MP4)
  --crf N                  fixed CRF 0-63 (default 35)
  --target-vmaf T          search each segment's CRF for this VMAF instead of a fixed CRF
                           (exclusive with --crf; the editor's default preset uses 93)
  --min-crf N, --max-crf N CRF range of the search (default 10-55)
  --samples N              VMAF samples per segment (default 3)
  --sample-duration S      length of each sample in seconds (default 2); samples covering
                           85% of a segment or more: the whole segment is encoded instead
  --vmaf-subsample N       score every Nth frame (default 8)
  --vmaf-pool P            harmonic_mean (default), mean, min or pN (e.g. p5)
  --vmaf-engine E          auto (default: libvmaf when ffmpeg has it), libvmaf or builtin
  --vmaf-ffmpeg PATH       an ffmpeg with libvmaf (1.x or later) for the VMAF measurements only
  --max-encoded-percent P  warn when a segment's encode is over P% of the source's size (default 80)
  --preset P               SVT-AV1 preset -1..13 (default 8)
  --probe-preset P|same    SVT-AV1 preset of the --target-vmaf probes (default same: --preset,
                           exact; a faster one is cheaper but shifts the CRF→VMAF curve)
  --svt-params k=v:k=v     extra SVT-AV1 parameters
  --keyint-seconds S       keyframe interval in seconds (default 10)
  --pixel-format F         yuv420p10le (default) or yuv420p
  --segment-seconds S      target segment length (default 10)
  --workers N              parallel encoders (default: from cores and memory)
  --work-dir DIR           work directory (default: next to the output)
  --keep-work-dir          keep the work directory after success
  --audio copy|opus        copy audio (default) or re-encode it to Opus
  --allow-dv-strip         encode a Dolby Vision source's base layer, dropping the RPU
  --fail-fast              stop at the first failed segment
  --hosts SPEC[,SPEC...]   also encode on other machines over ssh (GNU parallel): each SPEC is
                           [N/][user@]host[:port] (N workers) or : for this machine
  --hosts-file FILE        the hosts, one or more a line (# comments)
  --hosts-strict           stop when a host fails the check (default: go on without it)
  --ffmpeg PATH, --ffprobe PATH
  --json                   newline-delimited JSON events on stdout`;

const FLAGS = {
  output: { type: 'string', short: 'o' },
  crf: { type: 'string' },
  'target-vmaf': { type: 'string' },
  'min-crf': { type: 'string' },
  'max-crf': { type: 'string' },
  samples: { type: 'string' },
  'sample-seconds': { type: 'string' },
  'sample-duration': { type: 'string' },
  'vmaf-subsample': { type: 'string' },
  'vmaf-pool': { type: 'string' },
  'vmaf-engine': { type: 'string' },
  'vmaf-ffmpeg': { type: 'string' },
  'max-encoded-percent': { type: 'string' },
  preset: { type: 'string' },
  'probe-preset': { type: 'string' },
  'svt-params': { type: 'string' },
  'keyint-seconds': { type: 'string' },
  'pixel-format': { type: 'string' },
  'segment-seconds': { type: 'string' },
  workers: { type: 'string' },
  'work-dir': { type: 'string' },
  'keep-work-dir': { type: 'boolean' },
  audio: { type: 'string' },
  'allow-dv-strip': { type: 'boolean' },
  'fail-fast': { type: 'boolean' },
  'pin-workers': { type: 'boolean' },
  hosts: { type: 'string' },
  'hosts-file': { type: 'string' },
  'hosts-strict': { type: 'boolean' },
  ffmpeg: { type: 'string' },
  ffprobe: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw new UsageError(`--${name} needs a number, got "${value}"`);
  return parsed;
}

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

/** Flags → validated EncodeOptions (UsageError for anything wrong). Exported for tests and the editor. */
export function encodeOptionsFromArgv(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${errorMessage(error)}\n${ENCODE_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true as const };
  if (positionals.length !== 1) throw new UsageError(`encode needs exactly one INPUT\n${ENCODE_USAGE}`);
  const input: EncodeOptionsInput = {
    input: positionals[0]!,
    output: values.output,
    workDir: values['work-dir'],
    keepWorkDir: values['keep-work-dir'] ?? false,
    crf: numberFlag('crf', values.crf),
    targetVmaf: numberFlag('target-vmaf', values['target-vmaf']),
    minCrf: numberFlag('min-crf', values['min-crf']),
    maxCrf: numberFlag('max-crf', values['max-crf']),
    samples: numberFlag('samples', values.samples),
    sampleSeconds: numberFlag('sample-duration', values['sample-duration']) ?? numberFlag('sample-seconds', values['sample-seconds']),
    vmafSubsample: numberFlag('vmaf-subsample', values['vmaf-subsample']),
    vmafPool: values['vmaf-pool'],
    vmafEngine: values['vmaf-engine'] as EncodeOptionsInput['vmafEngine'],
    maxEncodedPercent: numberFlag('max-encoded-percent', values['max-encoded-percent']),
    preset: numberFlag('preset', values.preset),
    probePreset: values['probe-preset'] === 'same' ? 'same' : numberFlag('probe-preset', values['probe-preset']),
    svtParams: values['svt-params'],
    keyintSeconds: numberFlag('keyint-seconds', values['keyint-seconds']),
    pixelFormat: values['pixel-format'] as EncodeOptionsInput['pixelFormat'],
    segmentSeconds: numberFlag('segment-seconds', values['segment-seconds']),
    workers: numberFlag('workers', values.workers),
    audio: values.audio as EncodeOptionsInput['audio'],
    allowDvStrip: values['allow-dv-strip'] ?? false,
    failFast: values['fail-fast'] ?? false,
    pinWorkers: values['pin-workers'] ?? false,
    ffmpeg: values.ffmpeg,
    ffprobe: values.ffprobe,
    vmafFfmpeg: values['vmaf-ffmpeg'],
    hosts: hostsFromFlags(values.hosts, values['hosts-file']),
    hostsStrict: values['hosts-strict'] ?? false,
  };
  for (const key of Object.keys(input) as (keyof EncodeOptionsInput)[]) if (input[key] === undefined) delete input[key];
  try {
    return { help: false as const, json: values.json ?? false, options: parseEncodeOptions(input) };
  } catch (error) {
    if (error instanceof ZodError) {
      const issue = error.issues[0];
      const where = issue?.path.length ? `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ` : '';
      throw new UsageError(`${where}${issue?.message ?? 'invalid options'}`);
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
      process.stderr.write(`chunked-av1: ${event.message}\n`);
    } else if (event.event === 'progress' && tty) {
      process.stderr.write(`\r\x1b[2K${hostsLabel}${progressLine(event)}`);
      lineShown = true;
    } else if (event.event === 'segment' && event.state === 'done' && event.warning) {
      clearLine();
      process.stderr.write(`chunked-av1: warning: ${event.warning}\n`);
    } else if (event.event === 'done') {
      clearLine();
      process.stderr.write(`chunked-av1: wrote ${event.output} (${event.frames} frames, ${(event.bytes / 1024 / 1024).toFixed(2)} MiB, ${event.seconds.toFixed(1)} s)\n`);
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
      const event: JobEvent = { event: 'error', message: errorMessage(error).split('\n')[0]! };
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
