import path from 'node:path';

/**
 * The concat demuxer's list (segment_list.txt). Pure text building; the file is written by the
 * pipeline as soon as the plan exists (the editor shows failed segments on their line).
 *
 * Quoting follows ffmpeg's own tokenizer (av_get_token): inside single quotes everything is
 * literal except the closing quote, so a quote is written as '\'' (close, escaped quote, reopen),
 * as in a POSIX shell. Newlines cannot be represented and are refused. Entries are the names we
 * choose inside the work directory (encoded/segment_NNN.mkv), relative, never its own path: the
 * mux opens the list from the work directory (mux.ts, concatListInput), so whatever bytes that
 * path holds never reach the demuxer's URL resolution.
 */
export function quoteConcatPath(file: string): string {
  if (/[\n\r]/.test(file)) throw new Error(`a file name with a line break cannot go in a concat list: ${JSON.stringify(file)}`);
  return `'${file.replace(/'/g, "'\\''")}'`;
}

export interface ConcatEntry {
  /** Path of the encoded segment, relative to the list's directory or absolute. */
  file: string;
  /** Exact duration on the source clock: the next file starts this much later (keeps VFR timing). */
  durationSeconds: number;
}

export function concatListText(entries: ConcatEntry[]): string {
  const lines = ['ffconcat version 1.0'];
  for (const entry of entries) {
    lines.push(`file ${quoteConcatPath(entry.file)}`);
    lines.push(`duration ${entry.durationSeconds.toFixed(6)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The list's path for an encoded segment: relative to the work directory, with forward slashes. */
export function listPath(workDir: string, file: string): string {
  return path.relative(workDir, file).split(path.sep).join('/');
}
