/**
 * Text from outside (file names, stream titles and tags, ffmpeg's messages) made safe to print
 * on a terminal: every control character (C0, DEL, C1, and the bidirectional overrides that
 * reorder what is shown) becomes a visible escape such as `\n` or `\x1b`, so a title cannot
 * move the cursor, recolour or clear the screen, and a name with a newline stays on one line
 * while still telling the user which file it is. Pure.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function printable(text: string): string {
  return text.replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}
