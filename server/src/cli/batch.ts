import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError, UserError } from '../errors';
import { defaultOutputPath } from '../workdir';
import { size } from '../job';
import { isUtf8, nonUtf8FileRefusal, printable } from '../sys';
import { savedPercent } from './summary';

/** Extensions a directory's "video files" have (lower case, with the dot). */
export const VIDEO_EXTENSIONS: ReadonlySet<string> = new Set([
  '.mkv',
  '.mp4',
  '.m4v',
  '.mov',
  '.webm',
  '.avi',
  '.ts',
  '.m2ts',
  '.mts',
  '.mpg',
  '.mpeg',
  '.wmv',
  '.flv',
  '.y4m',
]);

/** Our own outputs (NAME.av1.mkv) are not inputs: a second batch over a folder must not re-encode them. */
function isOwnOutputName(name: string): boolean {
  return /\.av1\.(mkv|mp4)$/i.test(name);
}

/**
 * The inputs a batch means: each file argument as given, each directory's video files (not
 * hidden, not our outputs, not in sub-directories) in name order. A missing path stays in the
 * list so that its own encode reports it, like a single input would.
 */
export function expandInputs(args: readonly string[]): string[] {
  const inputs: string[] = [];
  for (const arg of args) {
    let isDirectory = false;
    try {
      isDirectory = statSync(arg).isDirectory();
    } catch {
      /* reported by its encode */
    }
    if (!isDirectory) {
      inputs.push(arg);
      continue;
    }
    const isVideoName = (name: string) =>
      !name.startsWith('.') && VIDEO_EXTENSIONS.has(path.extname(name).toLowerCase()) && !isOwnOutputName(name);
    // A video whose name is not UTF-8 would be skipped without a word (its decoded name is no file): refused, named as it is.
    const notUtf8 = readdirSync(arg, { encoding: 'buffer' }).find((name) => !isUtf8(name) && isVideoName(name.toString('utf8')));
    if (notUtf8) throw new UserError(nonUtf8FileRefusal(Buffer.concat([Buffer.from(path.join(arg, '/')), notUtf8])));
    const names = readdirSync(arg).filter(isVideoName).sort();
    for (const name of names) {
      const file = path.join(arg, name);
      try {
        if (statSync(file).isFile()) inputs.push(file);
      } catch {
        /* vanished */
      }
    }
  }
  return inputs;
}

/** Each input's output: -o for a single input, else the default name in --output-dir or beside the input. */
export function batchOutputs(inputs: readonly string[], output: string | undefined, outputDir: string | undefined): (string | undefined)[] {
  if (output !== undefined && inputs.length !== 1)
    throw new UsageError('-o names one output; for several inputs use --output-dir DIR; see chunked-av1 encode --help');
  if (output !== undefined && outputDir !== undefined)
    throw new UsageError('-o and --output-dir are exclusive; see chunked-av1 encode --help');
  const outputs = inputs.map(
    (input) =>
      output ?? (outputDir === undefined ? undefined : path.join(path.resolve(outputDir), path.basename(defaultOutputPath(input)))),
  );
  const seen = new Map<string, string>();
  inputs.forEach((input, i) => {
    const target = path.resolve(outputs[i] ?? defaultOutputPath(input));
    const other = seen.get(target);
    if (other !== undefined)
      throw new UsageError(`${input} and ${other} would both be written to ${target}; encode them separately with -o`);
    seen.set(target, input);
  });
  return outputs;
}

export interface BatchWritten {
  input: string;
  bytes: number;
  sourceBytes: number;
}

/** `12% saved` or `357% larger`: a size against its source, in words that cannot hide a growth. */
function againstSource(bytes: number, sourceBytes: number): string {
  const saved = savedPercent(bytes, sourceBytes);
  if (saved === undefined) return '';
  return saved >= 0 ? `${saved}% saved` : `${-saved}% larger`;
}

/**
 * The batch's closing lines: how many were written, the total, and each file that failed or came
 * out larger than its source (a total "66% saved" must not hide a file that grew 357%). Pure.
 */
export function batchSummaryLines(
  total: number,
  written: readonly BatchWritten[],
  failed: readonly { input: string; cause: string }[],
): string[] {
  const bytes = written.reduce((sum, w) => sum + w.bytes, 0);
  const source = written.reduce((sum, w) => sum + w.sourceBytes, 0);
  const grew = written.filter((w) => w.sourceBytes > 0 && w.bytes > w.sourceBytes);
  const overall = againstSource(bytes, source);
  const totals = written.length
    ? ` (${size(bytes)} from ${size(source)}${overall ? `, ${overall} in total` : ''}${grew.length ? `; ${grew.length} larger than its source` : ''})`
    : '';
  const lines = [`batch: ${written.length} of ${total} written${totals}${failed.length ? `, ${failed.length} failed:` : ''}`];
  for (const f of failed) lines.push(`  ${printable(f.input)}: ${f.cause}`);
  for (const w of grew)
    lines.push(
      `  larger than its source: ${printable(w.input)}: ${size(w.bytes)} from ${size(w.sourceBytes)}, ${againstSource(w.bytes, w.sourceBytes)}`,
    );
  return lines;
}
