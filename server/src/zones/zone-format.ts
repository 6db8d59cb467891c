import { parseZonesText, quoteName, type ZoneLine } from './zone-syntax';

/**
 * The zones file's canonical layout, pure: one space inside a range (`chapter "End Credits"`),
 * the overrides in a column after the widest range, one space between them, a comment two spaces
 * after. Lines with a syntax problem, comment lines and blank lines are kept as they are (trailing
 * blanks dropped), so formatting never loses text. A file whose lines end in CRLF keeps CRLF.
 */
function rangeOf(zone: ZoneLine, lineText: string): string {
  const { range } = zone;
  switch (range.kind) {
    case 'chapter':
      return `chapter ${quoteName(range.name)}`;
    case 'segment':
      return `segment ${range.index}`;
    default:
      return lineText.slice(range.span.start, range.span.end);
  }
}

function valueText(value: string): string {
  return /[\s#"\\]/.test(value) || value === '' ? quoteName(value) : value;
}

export function formatZones(text: string): string {
  const lines = text.split(/\r?\n/);
  const { zones, problems } = parseZonesText(text);
  const broken = new Set(problems.filter((p) => p.code === 'syntax').map((p) => p.line));
  const formatted = zones.filter((zone) => !broken.has(zone.line));
  const ranges = new Map(formatted.map((zone) => [zone.line, rangeOf(zone, lines[zone.line]!)]));
  const width = Math.max(0, ...[...ranges.values()].filter((_, i) => formatted[i]!.overrides.length).map((r) => r.length));
  for (const zone of formatted) {
    const range = ranges.get(zone.line)!;
    const overrides = zone.overrides.map((o) => `${o.key}=${valueText(o.value)}`).join(' ');
    let line = overrides ? `${range.padEnd(width)}  ${overrides}` : range;
    if (zone.comment) line += `  # ${zone.comment}`;
    lines[zone.line] = line;
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return lines.map((line) => line.replace(/[ \t]+$/, '')).join(eol);
}
