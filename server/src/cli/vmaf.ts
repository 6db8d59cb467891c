import { UsageError } from '../errors';
import { HELP_FLAG, JSON_FLAG, parseFlags, usageText, type CommandSpec } from './flags';
import { installShutdownHandlers } from '../job';
import { requireVmafFfmpeg, resolveTools } from '../sys';
import { isVmafPool, measureVmaf, vmafResultLine } from '../vmaf';

export const VMAF_COMMAND: CommandSpec = {
  name: 'vmaf',
  synopsis: 'vmaf REFERENCE DISTORTED [options]',
  flags: [
    { name: 'engine', value: 'string', placeholder: 'E', help: 'auto (default), libvmaf or builtin' },
    { name: 'subsample', value: 'string', placeholder: 'N', help: 'score every Nth frame' },
    { name: 'pool', value: 'string', placeholder: 'P', help: 'mean (default), harmonic_mean, min or pN' },
    { name: 'model', value: 'string', placeholder: 'M', help: 'v0.6.1 (default), 4k or the path of a JSON model' },
    { name: 'threads', value: 'string', placeholder: 'N', help: 'threads of the VMAF computation' },
    JSON_FLAG,
    { name: 'ffmpeg', value: 'string', placeholder: 'PATH', help: 'the ffmpeg that decodes' },
    { name: 'ffprobe', value: 'string', placeholder: 'PATH', help: 'the ffprobe' },
    {
      name: 'vmaf-ffmpeg',
      value: 'string',
      placeholder: 'PATH',
      help: 'runs libvmaf in another ffmpeg (libvmaf 1.x or later) than the one that decodes',
    },
    HELP_FLAG,
  ],
  notes: [
    'Prints the pooled VMAF score of DISTORTED against REFERENCE (frame by frame from the first frame).',
    "Both are measured in DISTORTED's pixel format (the encode's: what the encoder was fed), REFERENCE",
    "converted through ffmpeg's format filter when it differs, as the encode's own verification does.",
    '--json prints the whole result on one line: pooled values, per-frame scores and features.',
  ].join('\n'),
};

function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} needs a whole number >= 1, got "${value}"`);
  return n;
}

/** `chunked-av1 vmaf REFERENCE DISTORTED`: measure VMAF with libvmaf or the built-in engine. */
export async function runVmafCommand(argv: string[]): Promise<number> {
  const { values: flags, positionals } = parseFlags(argv, VMAF_COMMAND);
  const values = flags as Record<string, string | undefined> & { help?: boolean; json?: boolean };
  if (values.help) {
    process.stdout.write(`${usageText(VMAF_COMMAND)}\n`);
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError('vmaf needs REFERENCE and DISTORTED; see chunked-av1 vmaf --help');
  const engine = values.engine ?? 'auto';
  if (engine !== 'auto' && engine !== 'libvmaf' && engine !== 'builtin')
    throw new UsageError(`--engine must be auto, libvmaf or builtin, got "${engine}"`);
  const pool = values.pool ?? 'mean';
  if (!isVmafPool(pool)) throw new UsageError(`--pool must be mean, harmonic_mean, min or pN (0..100), got "${pool}"`);

  const controller = new AbortController();
  const removeHandlers = installShutdownHandlers(controller);
  try {
    const tools = { ffmpeg: values.ffmpeg, ffprobe: values.ffprobe, vmafFfmpeg: values['vmaf-ffmpeg'] };
    if (engine !== 'builtin') await requireVmafFfmpeg(resolveTools(tools));
    const result = await measureVmaf(positionals[0]!, positionals[1]!, {
      engine,
      pool,
      subsample: positiveInteger('subsample', values.subsample),
      threads: positiveInteger('threads', values.threads),
      model: values.model,
      tools,
      signal: controller.signal,
    });
    // One JSON object on one line (newline-delimited JSON, as every --json). A reader that left
    // early (`| head -c 100`) gets no stack trace: EPIPE only means nobody reads the rest.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
    process.stdout.write(`${values.json ? JSON.stringify(result) : vmafResultLine(result)}\n`);
    return 0;
  } finally {
    removeHandlers();
  }
}
