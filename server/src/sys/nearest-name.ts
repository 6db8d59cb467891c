import leven from 'leven';

/**
 * The known name nearest an unknown one, for a "did you mean": a listed synonym first (a name
 * another tool uses for ours, far from it in spelling), else a name within typo distance
 * (2 edits, or a third of the name's length). The CLI's flags and commands and the zones file's
 * keys and chapter names all ask here.
 */
export function nearestName(
  unknown: string,
  known: readonly string[],
  synonyms: Readonly<Record<string, string>> = {},
): string | undefined {
  const synonym = synonyms[unknown];
  if (synonym !== undefined && known.includes(synonym)) return synonym;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const distance = leven(unknown, name);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(unknown.length / 3)) ? best : undefined;
}
