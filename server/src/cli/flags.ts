import { parseArgs } from 'node:util';
import { UsageError, errorMessage } from '../errors';
import { nearestName } from '../sys';
import { OPTION_CATALOGUE, defaultOf, rangeOf, type FlagValue, type OptionKey, type OptionSpec } from '../../../common/option-catalogue';

/**
 * Every subcommand's flags as data: one table gives node's parseArgs its options, the `--help`
 * text its lines, and an unknown flag its "did you mean". A flag cannot be parsed yet missing
 * from the help (a unit test checks each command).
 */
export interface FlagSpec {
  name: string;
  short?: string;
  /** Accepted, not listed (older names). */
  aliases?: string[];
  /** How its text is read; `boolean` takes no value. */
  value: FlagValue;
  placeholder?: string;
  help: string;
  /** Accepted but not listed in this command's --help (an encode's flag that `search` ignores). */
  unlisted?: boolean;
}

export interface CommandSpec {
  name: string;
  /** The line after `usage: chunked-av1 `, e.g. `encode INPUT [options]`. */
  synopsis: string;
  flags: FlagSpec[];
  /** Paragraphs after the flag list. */
  notes?: string;
}

export const HELP_FLAG: FlagSpec = { name: 'help', short: 'h', value: 'boolean', help: 'show this help' };
export const JSON_FLAG: FlagSpec = { name: 'json', value: 'boolean', help: 'newline-delimited JSON on stdout' };

/** The catalogue's CLI flags, with each one's default and range appended to its help. */
export function catalogueFlags(keys?: OptionKey[]): (FlagSpec & { key: OptionKey })[] {
  const flags: (FlagSpec & { key: OptionKey })[] = [];
  for (const key of keys ?? (Object.keys(OPTION_CATALOGUE) as OptionKey[])) {
    const option = OPTION_CATALOGUE[key] as OptionSpec;
    if (!option.flag || !option.value) continue;
    const facts: string[] = [];
    const range = rangeOf(option.schema);
    // Every catalogue default is a primitive (see OPTION_CATALOGUE).
    const fallback = defaultOf(option.schema) as string | number | boolean | undefined;
    if (range) facts.push(range);
    if (fallback !== undefined && fallback !== '' && fallback !== false) facts.push(`default ${String(fallback)}`);
    const help = `${option.help ?? ''}${facts.length ? ` (${facts.join('; ')})` : ''}`;
    flags.push({
      key,
      name: option.flag,
      short: option.short,
      aliases: option.aliases,
      value: option.value,
      placeholder: option.placeholder,
      help,
    });
  }
  return flags;
}

function flagLabel(flag: FlagSpec): string {
  const long = `--${flag.name}${flag.value === 'boolean' ? '' : ` ${flag.placeholder ?? 'VALUE'}`}`;
  return flag.short ? `-${flag.short}, ${long}` : long;
}

/** The `--help` text: synopsis, then one aligned entry per flag (wrapped help lines indented). */
export function usageText(command: CommandSpec): string {
  const listed = command.flags.filter((flag) => !flag.unlisted);
  const labels = listed.map(flagLabel);
  const width = Math.min(30, Math.max(...labels.map((label) => label.length)) + 2);
  const lines = [`usage: chunked-av1 ${command.synopsis}`, ''];
  listed.forEach((flag, i) => {
    const [first = '', ...rest] = flag.help.split('\n');
    const label = labels[i]!;
    if (label.length + 2 > width) lines.push(`  ${label}`, `  ${' '.repeat(width)}${first}`);
    else lines.push(`  ${label.padEnd(width)}${first}`);
    for (const more of rest) lines.push(`  ${' '.repeat(width)}${more}`);
  });
  if (command.notes) lines.push('', command.notes);
  return lines.join('\n');
}

/**
 * Flags other tools use for what one of ours does, far from ours in spelling: ab-av1's
 * `--min-vmaf` is our `--target-vmaf` (leven would offer `--min-crf`).
 */
const SYNONYMS: Record<string, string> = {
  '--min-vmaf': '--target-vmaf',
  '--target': '--target-vmaf',
  '--svt': '--svt-params',
  '--keyint': '--keyint-seconds',
  '--pix-format': '--pixel-format',
  '--pix-fmt': '--pixel-format',
  '--force': '--overwrite',
};

/** The nearest known flag (or command) to an unknown one: a known synonym, else a name close enough to be a typo. */
export function suggestFlag(unknown: string, known: string[]): string | undefined {
  return nearestName(unknown, known, SYNONYMS);
}

/** The first argument (before `--`) that names no flag of this command. */
function firstUnknownFlag(argv: string[], command: CommandSpec): string | undefined {
  const longs = new Set(command.flags.flatMap((flag) => [flag.name, ...(flag.aliases ?? [])]));
  const shorts = new Set(command.flags.flatMap((flag) => (flag.short ? [flag.short] : [])));
  const takesValue = new Set(
    command.flags
      .filter((flag) => flag.value !== 'boolean')
      .flatMap((flag) => [
        `--${flag.name}`,
        ...(flag.aliases ?? []).map((alias) => `--${alias}`),
        ...(flag.short ? [`-${flag.short}`] : []),
      ]),
  );
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return undefined;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0]!;
      if (!longs.has(name)) return `--${name}`;
      if (!arg.includes('=') && takesValue.has(`--${name}`)) i++;
    } else if (arg.startsWith('-') && arg.length > 1) {
      const short = arg[1]!;
      if (!shorts.has(short)) return arg;
      if (arg.length === 2 && takesValue.has(arg)) i++;
    }
  }
  return undefined;
}

/** `--preset -1` → `--preset=-1`: a value-taking flag's next argument is its value, dash or not. */
function joinDashValues(argv: string[], command: CommandSpec): string[] {
  const takesValue = new Set(
    command.flags.filter((flag) => flag.value !== 'boolean').flatMap((flag) => [flag.name, ...(flag.aliases ?? [])]),
  );
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      joined.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    if (arg.startsWith('--') && !arg.includes('=') && takesValue.has(arg.slice(2)) && next?.startsWith('-')) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

export interface ParsedFlags {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * Parses argv against the command's flags. Mistakes are one line: the unknown flag with the
 * nearest known one, or the parser's complaint, then where to look.
 */
export function parseFlags(argv: string[], command: CommandSpec): ParsedFlags {
  const seeHelp = `see chunked-av1 ${command.name} --help`;
  const unknown = firstUnknownFlag(argv, command);
  if (unknown) {
    const known = command.flags.filter((flag) => !flag.unlisted).map((flag) => `--${flag.name}`);
    const suggestion = unknown.startsWith('--') ? suggestFlag(unknown, known) : undefined;
    throw new UsageError(`unknown option ${unknown}${suggestion ? ` (did you mean ${suggestion}?)` : ''}; ${seeHelp}`);
  }
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const flag of command.flags) {
    const type = flag.value === 'boolean' ? 'boolean' : 'string';
    options[flag.name] = flag.short ? { type, short: flag.short } : { type };
    for (const alias of flag.aliases ?? []) options[alias] = { type };
  }
  try {
    const { values, positionals } = parseArgs({ args: joinDashValues(argv, command), options, allowPositionals: true, strict: true });
    for (const flag of command.flags) {
      for (const alias of flag.aliases ?? []) if (values[flag.name] === undefined) values[flag.name] = values[alias];
    }
    return { values, positionals };
  } catch (error) {
    throw new UsageError(`${errorMessage(error).split('\n')[0]!.replace(/\.$/, '')}; ${seeHelp}`);
  }
}

/**
 * The options schema's complaint about a catalogue option, in the flag's words and the catalogue's
 * range (the one place ranges are written): `--preset: 14 is out of range 0–13`.
 */
export function optionIssueText(issue: { code: string; path: PropertyKey[]; message: string; expected?: unknown }, value: unknown): string {
  const key = issue.path[0];
  const option = typeof key === 'string' ? (OPTION_CATALOGUE as Record<string, OptionSpec>)[key] : undefined;
  if (!option?.flag) return issue.message;
  const flag = `--${option.flag}`;
  const range = rangeOf(option.schema);
  const shown = typeof value === 'string' ? `"${value}"` : String(value);
  const [low, high] = range.split('..');
  const span = low !== undefined && high !== undefined ? (low.startsWith('-') ? `${low} to ${high}` : `${low}–${high}`) : range;
  if (value !== undefined && (issue.code === 'too_big' || issue.code === 'too_small') && /^-?[\d.]+\.\.-?[\d.]+$/.test(range))
    return `${flag}: ${shown} is out of range ${span}`;
  if (value !== undefined && issue.code === 'invalid_type' && issue.expected === 'int')
    return `${flag}: ${shown} is not a whole number${range ? ` (range ${span})` : ''}`;
  if (value !== undefined && issue.code === 'invalid_value' && range.includes('|'))
    return `${flag}: ${shown} is not one of ${range.split('|').join(', ')}`;
  return `${flag}: ${issue.message}`;
}

/** A flag's text as its catalogue type: numbers checked here, ranges by the options schema. */
export function flagValue(flag: FlagSpec, text: string | boolean | undefined): unknown {
  if (text === undefined || typeof text === 'boolean') return text;
  if (flag.value === 'number-or-same' && text === 'same') return 'same';
  if (flag.value === 'number' || flag.value === 'number-or-same') {
    const parsed = Number(text);
    if (text.trim() === '' || !Number.isFinite(parsed)) throw new UsageError(`--${flag.name} needs a number, got "${text}"`);
    return parsed;
  }
  if (flag.value === 'list')
    return text
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  return text;
}
