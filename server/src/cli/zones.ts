import path from 'node:path';
import { UsageError, UserError } from '../errors';
import { MAX_SMALL_FILE_BYTES, printable, readRegularFile } from '../sys';
import { importAv1anZones } from '../zones';
import { HELP_FLAG, parseFlags, usageText, type CommandSpec } from './flags';

export const ZONES_COMMAND: CommandSpec = {
  name: 'zones',
  synopsis: 'zones import AV1AN_ZONES_FILE',
  flags: [HELP_FLAG],
  notes: [
    'import: reads an Av1an zones file (START END ENCODER [reset] ARGS...) and prints it in our',
    'format (docs/zones.md) on stdout; what does not map is named in a comment on its line and on',
    'stderr. Save it beside the input as INPUT.zones, or pass it to encode with --zones.',
  ].join('\n'),
};

/** `chunked-av1 zones import FILE`: an Av1an zones file in our format, on stdout. */
export async function runZonesCommand(argv: string[]): Promise<number> {
  const parsed = parseFlags(argv, ZONES_COMMAND);
  if (parsed.values.help) {
    process.stdout.write(`${usageText(ZONES_COMMAND)}\n`);
    return 0;
  }
  const [action, file, ...extra] = parsed.positionals;
  if (action !== 'import' || !file || extra.length)
    throw new UsageError('usage: chunked-av1 zones import AV1AN_ZONES_FILE; see chunked-av1 zones --help');
  let text: string;
  try {
    text = await readRegularFile(file, MAX_SMALL_FILE_BYTES, 'an Av1an zones file');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`${file}: no such file`, file);
    throw error;
  }
  const imported = importAv1anZones(text, path.basename(file));
  if (!imported.zones) throw new UserError(`${file}: no Av1an zone in it (each line is START END ENCODER [reset] ARGS...)`, file);
  for (const note of imported.notes) process.stderr.write(`chunked-av1: ${printable(note)}\n`);
  process.stdout.write(imported.text);
  return 0;
}
