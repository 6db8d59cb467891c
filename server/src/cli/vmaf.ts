import { parseArgs } from 'node:util';
import { UsageError, errorMessage } from '../errors';
import { installShutdownHandlers } from '../job/shutdown';
import { requireVmafFfmpeg, resolveTools } from '../sys/tools';
import { isVmafPool, measureVmaf, type VmafEngineChoice, type VmafPool } from '../vmaf/index';

const VMAF_USAGE = `usage: chunked-av1 vmaf REFERENCE DISTORTED [--engine auto|libvmaf|builtin] [--subsample N]
                        [--pool mean|harmonic_mean|min|pN] [--model v0.6.1|4k|PATH] [--threads N]
                        [--json] [--ffmpeg PATH] [--ffprobe PATH] [--vmaf-ffmpeg PATH]

Prints the pooled VMAF score of DISTORTED against REFERENCE (frame by frame from the first frame).
--json prints the whole result: pooled values, per-frame scores and features.
--vmaf-ffmpeg runs libvmaf in another ffmpeg (libvmaf 1.x or later) than the one that decodes.`;

function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} needs a whole number >= 1, got "${value}"`);
  return n;
}

/** `chunked-av1 vmaf REFERENCE DISTORTED`: measure VMAF with libvmaf or the built-in engine. */
export async function runVmafCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: {
        engine: { type: 'string' }, subsample: { type: 'string' }, pool: { type: 'string' }, model: { type: 'string' },
        threads: { type: 'string' }, json: { type: 'boolean' }, ffmpeg: { type: 'string' }, ffprobe: { type: 'string' },
        'vmaf-ffmpeg': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${errorMessage(error)}\n${VMAF_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${VMAF_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError(`vmaf needs REFERENCE and DISTORTED\n${VMAF_USAGE}`);
  const engine = values.engine ?? 'auto';
  if (engine !== 'auto' && engine !== 'libvmaf' && engine !== 'builtin') throw new UsageError(`--engine must be auto, libvmaf or builtin, got "${engine}"`);
  const pool = values.pool ?? 'mean';
  if (!isVmafPool(pool)) throw new UsageError(`--pool must be mean, harmonic_mean, min or pN (0..100), got "${pool}"`);

  const controller = new AbortController();
  const removeHandlers = installShutdownHandlers(controller);
  try {
    const tools = { ffmpeg: values.ffmpeg, ffprobe: values.ffprobe, vmafFfmpeg: values['vmaf-ffmpeg'] };
    if (engine !== 'builtin') await requireVmafFfmpeg(resolveTools(tools));
    const result = await measureVmaf(positionals[0]!, positionals[1]!, {
      engine: engine as VmafEngineChoice,
      pool: pool as VmafPool,
      subsample: positiveInteger('subsample', values.subsample),
      threads: positiveInteger('threads', values.threads),
      model: values.model,
      tools,
      signal: controller.signal,
    });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      const scored = result.frames.length === result.frameCount ? `${result.frameCount} frames` : `${result.frames.length} of ${result.frameCount} frames`;
      process.stdout.write(`VMAF ${result.score.toFixed(6)} (${result.pool} of ${scored}; ${result.engine} engine, model ${result.model})\n`);
    }
    return 0;
  } finally {
    removeHandlers();
  }
}
