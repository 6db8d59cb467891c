import { existsSync, readFileSync } from 'node:fs';
import { printable } from './printable';

/**
 * Command-line arguments whose bytes are not UTF-8 (a file name made in Latin-1, copied from an
 * old disk...). Node decodes argv as UTF-8 and puts U+FFFD in place of each bad byte, so such a
 * name is lost before any of our code sees it: opening the decoded string opens another, missing
 * file ("no such file" for a file that exists), and no child process could be given the original
 * bytes anyway (Node passes strings, ffmpeg would get another name). The bytes are read back from
 * /proc/self/cmdline (Linux) so the file is named as it is, each bad byte shown as `\xHH`.
 */
export interface NonUtf8Argument {
  /** Index into the arguments given. */
  index: number;
  /** The argument's bytes as the shell passed them; undefined where /proc/self/cmdline cannot be read. */
  bytes?: Buffer;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function isUtf8(bytes: Buffer): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Pure: which of `args` (the last `args.length` entries of the NUL-separated `cmdline`) were not
 * UTF-8. Only an argument holding U+FFFD can be one; a real U+FFFD typed by the user is valid
 * UTF-8 and is not reported.
 */
export function nonUtf8Arguments(args: readonly string[], cmdline: Buffer | undefined): NonUtf8Argument[] {
  const suspects = args.flatMap((arg, index) => (arg.includes('\uFFFD') ? [index] : []));
  if (!suspects.length) return [];
  const entries: Buffer[] = [];
  if (cmdline) {
    let start = 0;
    for (let i = 0; i < cmdline.length; i++) {
      if (cmdline[i] === 0) {
        entries.push(cmdline.subarray(start, i));
        start = i + 1;
      }
    }
    if (start < cmdline.length) entries.push(cmdline.subarray(start));
  }
  const offset = entries.length - args.length;
  return suspects.flatMap((index): NonUtf8Argument[] => {
    const bytes = offset >= 0 ? entries[offset + index] : undefined;
    if (!bytes) return [{ index }];
    return isUtf8(bytes) ? [] : [{ index, bytes }];
  });
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there starts none. */
function sequenceLength(bytes: Buffer, i: number): number {
  const lead = bytes[i]!;
  const length =
    lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (length <= 1 || i + length > bytes.length) return length === 1 ? 1 : 0;
  return isUtf8(bytes.subarray(i, i + length)) ? length : 0;
}

/** Pure: the bytes as text, each byte that is not part of a UTF-8 character given to `invalid`. */
function mapBytes(bytes: Buffer, valid: (text: string) => string, invalid: (byte: number) => string): string {
  let text = '';
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length) {
      text += valid(bytes.subarray(i, i + length).toString('utf8'));
      i += length;
    } else {
      text += invalid(bytes[i]!);
      i += 1;
    }
  }
  return text;
}

const hexByte = (byte: number) => `\\x${byte.toString(16).padStart(2, '0')}`;

/** Pure: the bytes as text, every byte that is not part of a UTF-8 character as `\xHH`, control characters escaped (printable). */
export function escapeNonUtf8(bytes: Buffer): string {
  return mapBytes(bytes, printable, hexByte);
}

/**
 * Pure: a bash `$'…'` word for the bytes (what `ls` shows for such a name), for a command the user
 * can paste. Control characters are left to printable, whose escapes (`\n`, `\x1b`, `\u202e`)
 * mean the same inside `$'…'`.
 */
export function ansiCQuoted(bytes: Buffer, replaceInvalid?: string): string {
  const quoted = mapBytes(
    bytes,
    (text) => text.replace(/[\\']/g, (c) => `\\${c}`),
    (byte) => replaceInvalid ?? hexByte(byte),
  );
  return `$'${quoted}'`;
}

function readCmdline(): Buffer | undefined {
  try {
    return readFileSync('/proc/self/cmdline');
  } catch {
    return undefined;
  }
}

/**
 * The one line for the first argument that is not UTF-8, or undefined when every argument is.
 * An existing file is named with its bytes escaped and a rename the user can paste; a name that
 * is no file (an output, a value) is refused the same way, since it cannot reach ffmpeg intact.
 */
export function nonUtf8ArgumentRefusal(args: readonly string[], cmdline: Buffer | undefined = readCmdline()): string | undefined {
  const [first] = nonUtf8Arguments(args, cmdline);
  if (!first) return undefined;
  if (!first.bytes) return `${printable(args[first.index]!)}: not valid UTF-8; chunked-av1 takes file names and values in UTF-8 only`;
  if (!existsSync(first.bytes)) {
    return `${escapeNonUtf8(first.bytes)}: not valid UTF-8 (each \\xHH is a byte that is not); chunked-av1 cannot hand such a name to ffmpeg as it is: use a UTF-8 name`;
  }
  return nonUtf8FileRefusal(first.bytes);
}

/** The line for an existing file whose name (`bytes`, the whole path) is not UTF-8: named as it is, with a rename to paste. */
export function nonUtf8FileRefusal(bytes: Buffer): string {
  const shown = escapeNonUtf8(bytes);
  return `${shown}: the file name is not valid UTF-8 (each \\xHH is a byte that is not); chunked-av1 cannot hand it to ffmpeg as it is: rename it first, e.g. mv -- ${ansiCQuoted(bytes)} ${ansiCQuoted(bytes, '_')}`;
}
