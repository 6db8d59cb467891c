/**
 * The zones file's grammar (docs/zones.md), pure: text → one ZoneLine per zone, each token with
 * its place on the line (UTF-16 offsets, as the editor counts), and the syntax problems. What the
 * ranges and the values mean is decided elsewhere (zone-keys.ts, zone-resolve.ts).
 */

/** Where something is: a line (0-based) and a half-open span of characters on it. */
export interface Span {
  line: number;
  start: number;
  end: number;
}

export type RangeEnd = number | 'end';

export type RangeSpec =
  | { kind: 'frames'; start: number; end: RangeEnd; span: Span }
  /** Seconds from the first frame. */
  | { kind: 'times'; start: number; end: RangeEnd; span: Span }
  | { kind: 'chapter'; name: string; span: Span; nameSpan: Span }
  | { kind: 'segment'; index: number; span: Span };

export interface OverrideToken {
  key: string;
  value: string;
  span: Span;
  keySpan: Span;
  valueSpan: Span;
}

export interface ZoneLine {
  line: number;
  range: RangeSpec;
  overrides: OverrideToken[];
  comment?: string;
}

export type ZoneSeverity = 'error' | 'warning' | 'hint';

/** A text edit on one line (a quick fix's part). */
export interface LineEdit extends Span {
  text: string;
}

export interface ZoneFix {
  title: string;
  edits: LineEdit[];
}

export interface ZoneProblem extends Span {
  severity: ZoneSeverity;
  code: string;
  message: string;
  fixes?: ZoneFix[];
}

export interface ParsedZones {
  zones: ZoneLine[];
  problems: ZoneProblem[];
}

interface Token {
  text: string;
  start: number;
  end: number;
  /** The token was (or ended in) a quoted string; `text` holds it unquoted. */
  quoted: boolean;
  /** For `key=value` tokens: where the value starts. */
  equals?: number;
}

export const RANGE_FORMS = 'FRAME-FRAME, M:SS-M:SS, chapter "NAME" or segment N';

/** Splits a line into whitespace-separated tokens; `"…"` (with \" and \\) may hold spaces and #; an unquoted # starts a comment. */
function tokenize(text: string): { tokens: Token[]; comment?: { text: string; start: number }; unterminated?: number } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === ' ' || char === '\t') {
      i++;
      continue;
    }
    if (char === '#') return { tokens, comment: { text: text.slice(i + 1).trim(), start: i } };
    const start = i;
    let value = '';
    let quoted = false;
    let equals: number | undefined;
    while (i < text.length && text[i] !== ' ' && text[i] !== '\t') {
      const c = text[i]!;
      if (c === '#') break;
      if (c === '"') {
        quoted = true;
        i++;
        let closed = false;
        while (i < text.length) {
          if (text[i] === '\\' && i + 1 < text.length) {
            value += text[i + 1];
            i += 2;
          } else if (text[i] === '"') {
            closed = true;
            i++;
            break;
          } else value += text[i++];
        }
        if (!closed) return { tokens, unterminated: start };
        continue;
      }
      if (c === '=' && equals === undefined && !quoted) equals = value.length;
      value += c;
      i++;
    }
    tokens.push({ text: value, start, end: i, quoted, ...(equals !== undefined ? { equals: start + equals + 1 } : {}) });
  }
  return { tokens };
}

/** `1:02:03.5`, `2:03.5`, `63.5` → seconds; undefined when not a time. */
export function parseClock(text: string): number | undefined {
  const match = /^(?:(?:(\d+):)?(\d+):)?(\d+(?:\.\d+)?)s?$/.exec(text);
  if (!match) return undefined;
  const [, hours, minutes, seconds] = match;
  if ((minutes !== undefined || hours !== undefined) && Number(seconds) >= 60) return undefined;
  if (hours !== undefined && Number(minutes) >= 60) return undefined;
  return Number(hours ?? 0) * 3600 + Number(minutes ?? 0) * 60 + Number(seconds);
}

/** Seconds as the zones file writes them: `1:17.1`, `0:05`, `1:02:03.25`. */
export function formatClock(seconds: number): string {
  const whole = Math.floor(seconds + 1e-9);
  let fraction = (seconds - whole).toFixed(3).slice(1).replace(/0+$/, '');
  if (fraction === '.') fraction = '';
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}${fraction}` : `${m}:${s}${fraction}`;
}

function parseRangeToken(token: Token, line: number): RangeSpec | undefined {
  const span = { line, start: token.start, end: token.end };
  if (token.quoted) return undefined;
  const dash = token.text.indexOf('-', 1);
  if (dash < 0) return undefined;
  const left = token.text.slice(0, dash);
  const right = token.text.slice(dash + 1);
  if (/^\d+$/.test(left) && (/^\d+$/.test(right) || right === 'end')) {
    return { kind: 'frames', start: Number(left), end: right === 'end' ? 'end' : Number(right), span };
  }
  const start = parseClock(left);
  const end = right === 'end' ? 'end' : parseClock(right);
  if (start !== undefined && end !== undefined) return { kind: 'times', start, end, span };
  return undefined;
}

function problem(span: Span, code: string, message: string, severity: ZoneSeverity = 'error'): ZoneProblem {
  return { ...span, severity, code, message };
}

/** One line's zone, or its problem; blank and comment-only lines give neither. */
function parseLine(text: string, line: number): { zone?: ZoneLine; problems: ZoneProblem[] } {
  const { tokens, comment, unterminated } = tokenize(text);
  if (unterminated !== undefined) {
    return {
      problems: [problem({ line, start: unterminated, end: text.length }, 'syntax', 'unterminated quoted string (a closing " is missing)')],
    };
  }
  if (!tokens.length) return { problems: [] };
  const first = tokens[0]!;
  let range: RangeSpec | undefined;
  let rest = 1;
  if (!first.quoted && (first.text === 'chapter' || first.text === 'segment')) {
    const arg = tokens[1];
    const wholeSpan = { line, start: first.start, end: arg?.end ?? first.end };
    if (!arg)
      return {
        problems: [
          problem(
            wholeSpan,
            'syntax',
            first.text === 'chapter' ? 'chapter needs a name: chapter "End Credits"' : 'segment needs a number: segment 12',
          ),
        ],
      };
    rest = 2;
    if (first.text === 'chapter') {
      if (arg.equals !== undefined && !arg.quoted)
        return { problems: [problem(wholeSpan, 'syntax', 'chapter needs a name before the overrides: chapter "End Credits"')] };
      range = { kind: 'chapter', name: arg.text, span: wholeSpan, nameSpan: { line, start: arg.start, end: arg.end } };
    } else {
      if (!/^\d+$/.test(arg.text) || arg.quoted)
        return { problems: [problem(wholeSpan, 'syntax', `segment needs a whole number, got "${arg.text}"`)] };
      range = { kind: 'segment', index: Number(arg.text), span: wholeSpan };
    }
  } else {
    range = parseRangeToken(first, line);
    if (!range) {
      return {
        problems: [
          problem(
            { line, start: first.start, end: first.end },
            'syntax',
            `"${first.text}" is not a range; a zone starts with ${RANGE_FORMS}`,
          ),
        ],
      };
    }
  }
  const problems: ZoneProblem[] = [];
  const overrides: OverrideToken[] = [];
  for (const token of tokens.slice(rest)) {
    const span = { line, start: token.start, end: token.end };
    if (token.equals === undefined) {
      problems.push(problem(span, 'syntax', `"${token.text}" is not key=value (e.g. crf=30 or target-vmaf=95)`));
      continue;
    }
    const key = token.text.slice(0, token.equals - token.start - 1);
    const value = token.text.slice(token.equals - token.start);
    overrides.push({
      key,
      value,
      span,
      keySpan: { line, start: token.start, end: token.start + key.length },
      valueSpan: { line, start: token.equals, end: token.end },
    });
  }
  const zone: ZoneLine = { line, range, overrides };
  if (comment?.text) zone.comment = comment.text;
  return { zone, problems };
}

/** Every zone of a zones file, in file order, and what is wrong with its syntax. */
export function parseZonesText(text: string): ParsedZones {
  const zones: ZoneLine[] = [];
  const problems: ZoneProblem[] = [];
  text.split(/\r?\n/).forEach((lineText, line) => {
    const parsed = parseLine(lineText, line);
    if (parsed.zone) zones.push(parsed.zone);
    problems.push(...parsed.problems);
  });
  return { zones, problems };
}

/** `"End Credits"` as a zones file writes a name (quotes and backslashes escaped). */
export function quoteName(name: string): string {
  return `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
