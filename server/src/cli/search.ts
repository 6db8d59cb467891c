import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { CancelledError, UsageError } from '../errors';
import { HELP_FLAG, JSON_FLAG, catalogueFlags, parseFlags, usageText, type CommandSpec } from './flags';
import { encodeOptionsFromArgv } from './encode';
import { runSearchJob } from '../pipeline';
import { ProgressView, clock, size } from '../job';
import { installShutdownHandlers } from '../job';
import { defaultOutputPath } from '../workdir';
import { printable } from '../sys';
import { planSamples } from '../crf';
import { poolLabel, type VmafPool } from '../vmaf';
import type { CrfDecision } from '../crf';
import { describeTarget, qualityTargetOf, type EncodeOptions } from '../../../common/options';
import type { JobEvent, PlanEvent } from '../../../common/events';

/**
 * `chunked-av1 search INPUT --target-vmaf T`: the per-segment CRF search of an encode, without
 * the final encodes (ab-av1's crf-search, per segment). Every measurement goes to the work
 * directory's quality cache, which is kept, so the `encode` with the same settings that follows
 * measures nothing again (and reuses a whole-segment probe as the segment's encode).
 * The search runs through the pipeline (runSearchJob), the one coupling to the CRF search.
 */
/**
 * Encode options that change nothing in a search (what happens after the encodes): accepted, so
 * that an encode's command line works as a search's, but not listed in `search --help`.
 */
const ENCODE_ONLY_FLAGS: ReadonlySet<string> = new Set([
  'report',
  'keep-work-dir',
  'audio',
  'overwrite',
  'fail-fast',
  'crf',
  'hosts-strict',
  'also-score',
]);

export const SEARCH_COMMAND: CommandSpec = {
  name: 'search',
  synopsis: 'search INPUT --target-vmaf T | --target-metric M [--target N] [options]',
  flags: [...catalogueFlags().map((flag) => (ENCODE_ONLY_FLAGS.has(flag.name) ? { ...flag, unlisted: true } : flag)), JSON_FLAG, HELP_FLAG],
  notes:
    'Takes the options of "encode" (the same ones must be given to the encode that follows to reuse\nthe measurements); those that only matter after the encodes are accepted and ignored. Prints\neach segment\'s CRF, VMAF and predicted size, the total against the source, and how long the\nfull encode would take. Warns first when the encode\'s output already exists.',
};

export interface SegmentPrediction {
  index: number;
  frames: number;
  crf: number;
  vmaf?: number;
  predictedBytes?: number;
  /** Seconds the chosen probe cost (cut, encode, measure), scaled to the whole segment. */
  predictedSeconds?: number;
  warning?: string;
}

/** What a segment's decision predicts for its full encode: the chosen probe scaled from its samples to the segment. Pure. */
export function predictSegment(
  index: number,
  frames: number,
  decision: CrfDecision,
  options: EncodeOptions,
  frameRate: number,
): SegmentPrediction {
  const prediction: SegmentPrediction = { index, frames, crf: decision.crf };
  if (decision.vmaf !== undefined) prediction.vmaf = decision.vmaf;
  if (decision.warning) prediction.warning = decision.warning;
  const chosen = decision.probes.find((p) => p.crf === decision.crf);
  if (chosen) {
    const sampled = planSamples({
      segmentFrames: frames,
      frameRate,
      samples: options.samples,
      sampleSeconds: options.sampleSeconds,
    }).frames;
    const scale = frames / Math.max(1, sampled);
    prediction.predictedBytes = Math.round(chosen.bytes * scale);
    prediction.predictedSeconds = chosen.seconds * scale;
  }
  return prediction;
}

/** The encode that follows a search stops on an existing output (without -y): said before the search, not after. */
export function existingOutputWarning(options: EncodeOptions): string | undefined {
  if (options.overwrite) return undefined;
  const output = path.resolve(options.output ?? defaultOutputPath(options.input));
  if (!existsSync(output)) return undefined;
  return `${output} already exists: the encode that follows stops on it; give it -y to replace it, or another -o`;
}

export async function runSearchCommand(argv: string[]): Promise<number> {
  // Unknown flags and a wrong INPUT count are named against this command's help, not encode's.
  const own = parseFlags(argv, SEARCH_COMMAND);
  if (!own.values.help && own.positionals.length !== 1)
    throw new UsageError('search needs exactly one INPUT; see chunked-av1 search --help');
  const parsed = encodeOptionsFromArgv(argv);
  if (parsed.help) {
    process.stdout.write(`${usageText(SEARCH_COMMAND)}\n`);
    return 0;
  }
  const { options, json } = parsed;
  const target = qualityTargetOf(options);
  if (!target) throw new UsageError('search needs --target-vmaf T or --target-metric M [--target N]; see chunked-av1 search --help');
  const controller = new AbortController();
  const removeHandlers = installShutdownHandlers(controller);
  // A reader that went away (`--json | head`, `2>&1 | head`) stops the search like Ctrl-C (exit 130).
  // The listeners stay until the process ends: the results are written after the job.
  const gone = { stdout: false, stderr: false };
  const closedPipe = (stream: 'stdout' | 'stderr') => (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    gone[stream] = true;
    if (!controller.signal.aborted) controller.abort(new CancelledError(`${stream} closed`));
  };
  process.stdout.on('error', closedPipe('stdout'));
  process.stderr.on('error', closedPipe('stderr'));
  const out = (text: string) => {
    if (!gone.stdout) process.stdout.write(text);
  };
  const err = (text: string) => {
    if (!gone.stderr) process.stderr.write(text);
  };
  const warnExisting = existingOutputWarning(options);
  if (warnExisting) {
    if (json) out(`${JSON.stringify({ event: 'log', level: 'warn', message: warnExisting })}\n`);
    else err(`chunked-av1: warning: ${printable(warnExisting)}\n`);
  }
  const tty = !json && process.stderr.isTTY;
  const view = new ProgressView(true);
  let plan: PlanEvent | undefined;
  const results: SegmentPrediction[] = [];
  const clear = () => {
    if (tty) err('\r\x1b[2K');
  };
  const timer = tty ? setInterval(() => err(`\r\x1b[2Ksearching  ${view.line()}`), 1000) : undefined;
  timer?.unref();
  const onEvent = (event: JobEvent) => {
    view.observe(event);
    if (event.event === 'plan') plan = event;
    if (json) out(`${JSON.stringify(event)}\n`);
    else if (event.event === 'log' && event.level !== 'debug') {
      clear();
      err(`chunked-av1: ${event.message}\n`);
    }
  };
  try {
    await runSearchJob(options, {
      signal: controller.signal,
      onEvent,
      searchOnly: ({ index, frames, decision }) => {
        const prediction = predictSegment(index, frames, decision, options, plan?.fps ?? 0);
        results.push(prediction);
        if (json) out(`${JSON.stringify({ event: 'search-segment', ...prediction })}\n`);
        else {
          clear();
          err(
            `chunked-av1: segment ${index}: CRF ${prediction.crf}, VMAF ${prediction.vmaf?.toFixed(2) ?? '?'}, ~${prediction.predictedBytes === undefined ? '?' : size(prediction.predictedBytes)}\n`,
          );
        }
      },
    });
  } finally {
    if (timer) clearInterval(timer);
    clear();
    removeHandlers();
  }
  results.sort((a, b) => a.index - b.index);
  const sourceBytes = (await stat(options.input)).size;
  const predictedBytes = results.reduce((sum, r) => sum + (r.predictedBytes ?? 0), 0);
  const workers = Math.max(1, plan?.workers ?? 1);
  const encodeSeconds = results.reduce((sum, r) => sum + (r.predictedSeconds ?? 0), 0) / workers;
  // The output holds the streams the mux carries besides the video: their bytes are known already.
  const carried = plan?.carried ?? { bytes: 0, kinds: [] };
  const outputBytes = predictedBytes + carried.bytes;
  const percent = sourceBytes > 0 ? Math.round((outputBytes / sourceBytes) * 1000) / 10 : undefined;
  if (json) {
    out(
      `${JSON.stringify({ event: 'search', target: target.value, ...(target.metric !== 'vmaf' ? { targetMetric: target.metric } : {}), segments: results, predictedBytes, carriedBytes: carried.bytes, predictedOutputBytes: outputBytes, sourceBytes, percentOfSource: percent, encodeSeconds: Math.round(encodeSeconds), workers })}\n`,
    );
    return 0;
  }
  const rows = results.map((r) => [
    String(r.index),
    String(r.frames),
    String(r.crf),
    r.vmaf?.toFixed(2) ?? '?',
    r.predictedBytes === undefined ? '?' : size(r.predictedBytes),
  ]);
  const header = ['segment', 'frames', 'CRF', 'VMAF', 'predicted size'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const table = [header, ...rows].map(
    (row) =>
      `  ${row
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd()}`,
  );
  out(
    [
      `search for ${target.metric === 'vmaf' ? `VMAF ${target.value} (${poolLabel(target.pool as VmafPool)}` : describeTarget(target).replace(/\)$/, '')}, both sides in ${options.pixelFormat}, the encode's pixel format) on ${options.input}`,
      ...table,
      `predicted output: ${size(outputBytes)}, ${percent ?? '?'}% of the source file (${size(sourceBytes)}): ${carried.kinds.length ? `video ${size(predictedBytes)} + ${size(carried.bytes)} ${carried.kinds.join(', ')}` : 'the video alone'}`,
      `a full encode would take about ${clock(encodeSeconds)} with ${workers} worker(s) (the probes' own pace, their VMAF included)`,
      'measurements kept in the work directory: "encode" with the same options reuses them',
    ].join('\n') + '\n',
  );
  return 0;
}
