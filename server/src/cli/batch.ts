import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors';
import { defaultOutputPath } from '../workdir';

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
    const names = readdirSync(arg)
      .filter((name) => !name.startsWith('.') && VIDEO_EXTENSIONS.has(path.extname(name).toLowerCase()) && !isOwnOutputName(name))
      .sort();
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
