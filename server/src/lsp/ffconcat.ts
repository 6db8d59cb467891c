/**
 * Reads ffconcat lists (`segment_list.txt`, `*.ffconcat`) the way ffmpeg's concat demuxer tokenizes
 * them: a directive, then tokens where single quotes quote literally and a backslash escapes the next
 * character outside quotes (so `'it'\''s.mkv'` is `it's.mkv`). Pure: no file I/O.
 */
export const DIRECTIVES = [
  'ffconcat',
  'file',
  'duration',
  'inpoint',
  'outpoint',
  'file_packet_metadata',
  'file_packet_meta',
  'option',
  'stream',
  'exact_stream_id',
  'stream_meta',
  'stream_codec',
  'stream_extradata',
  'chapter',
] as const;

export interface Token {
  value: string;
  /** Character offsets in the line, end exclusive. */
  start: number;
  end: number;
}

export interface ConcatLine {
  line: number;
  directive: Token;
  args: Token[];
}

export interface ConcatFileEntry {
  line: number;
  /** The path as written (unescaped), relative to the list's folder unless absolute. */
  path: string;
  range: { start: number; end: number };
  /** 0-based position among the `file` lines: the segment index in a segment_list.txt. */
  ordinal: number;
}

export function tokenizeLine(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i += 1;
    if (i >= text.length || text[i] === '#') break;
    const start = i;
    let value = '';
    while (i < text.length && !/\s/.test(text[i]!)) {
      const ch = text[i]!;
      if (ch === '\\' && i + 1 < text.length) {
        value += text[i + 1];
        i += 2;
      } else if (ch === "'") {
        const close = text.indexOf("'", i + 1);
        const stop = close === -1 ? text.length : close;
        value += text.slice(i + 1, stop);
        i = close === -1 ? text.length : close + 1;
      } else {
        value += ch;
        i += 1;
      }
    }
    tokens.push({ value, start, end: i });
  }
  return tokens;
}

export function parseConcatList(text: string): ConcatLine[] {
  const lines: ConcatLine[] = [];
  text.split(/\r?\n/).forEach((content, line) => {
    const tokens = tokenizeLine(content);
    if (!tokens.length) return;
    const [directive, ...args] = tokens as [Token, ...Token[]];
    lines.push({ line, directive, args });
  });
  return lines;
}

export function fileEntries(text: string): ConcatFileEntry[] {
  const entries: ConcatFileEntry[] = [];
  for (const { line, directive, args } of parseConcatList(text)) {
    if (directive.value !== 'file' || !args[0]) continue;
    entries.push({ line, path: args[0].value, range: { start: args[0].start, end: args[0].end }, ordinal: entries.length });
  }
  return entries;
}

/** Quotes a path for a `file` line the way ffmpeg expects (the inverse of tokenizeLine). */
export function quoteConcatPath(file: string): string {
  return `'${file.replace(/'/g, "'\\''")}'`;
}
