import { KNOWN_SVT_PARAMS } from '../../../common/option-values';
import { zoneKeySpec, zoneValue } from './zone-keys';

/**
 * Av1an's zones file (`--zones`, one line per range: `START END ENCODER [reset] ARGS...`, END
 * exclusive, -1 for the end) in our format, pure. SVT-AV1 arguments that have a zone key map
 * (--crf, --preset, --film-grain) or pass through svt-params (the parameters we let through);
 * everything else — another encoder's arguments, Av1an's own per-zone options, `reset` — is
 * named, in a comment on its line and in the notes the command prints.
 */
export interface Av1anImport {
  text: string;
  /** One line per thing not carried over, `av1an.txt:3: …`. */
  notes: string[];
  zones: number;
}

const ENCODERS = ['aom', 'rav1e', 'vpx', 'svt-av1', 'svt_av1', 'x264', 'x265'];
const DIRECT: Record<string, string> = { crf: 'crf', preset: 'preset', 'film-grain': 'film-grain' };

/** `--key value` / `--key=value` / `-k value` pairs, in order. */
function argumentPairs(args: string[]): { key: string; value?: string; text: string }[] {
  const pairs: { key: string; value?: string; text: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) {
      pairs.push({ key: '', text: arg });
      continue;
    }
    const equals = arg.indexOf('=');
    if (equals > 0) {
      pairs.push({ key: arg.slice(0, equals).replace(/^-+/, ''), value: arg.slice(equals + 1), text: arg });
      continue;
    }
    const next = args[i + 1];
    if (next !== undefined && (!next.startsWith('-') || /^-\d/.test(next))) {
      pairs.push({ key: arg.replace(/^-+/, ''), value: next, text: `${arg} ${next}` });
      i++;
    } else pairs.push({ key: arg.replace(/^-+/, ''), text: arg });
  }
  return pairs;
}

export function importAv1anZones(text: string, source: string): Av1anImport {
  const out = [`# imported from ${source} (Av1an zones) by chunked-av1 zones import`];
  const notes: string[] = [];
  let zones = 0;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    const where = `${source}:${index + 1}`;
    if (!line || line.startsWith('#')) {
      if (line) out.push(line);
      return;
    }
    const [start, end, encoder, ...rest] = line.split(/\s+/);
    if (!/^\d+$/.test(start ?? '') || !/^(-1|\d+)$/.test(end ?? '') || !encoder) {
      notes.push(`${where}: not an Av1an zone (START END ENCODER ...): ${line}`);
      out.push(`# not imported: ${line}`);
      return;
    }
    const range = `${start}-${end === '-1' ? 'end' : end}`;
    const unmapped: string[] = [];
    const keys: string[] = [];
    const svt: string[] = [];
    let args = rest;
    if (args[0] === 'reset') {
      args = args.slice(1);
      unmapped.push("reset (a zone's keys always apply on top of the job's options)");
    }
    if (!ENCODERS.includes(encoder)) unmapped.push(`encoder "${encoder}" (unknown to Av1an)`);
    const svtAv1 = encoder === 'svt-av1' || encoder === 'svt_av1';
    for (const pair of argumentPairs(args)) {
      const zoneKey = DIRECT[pair.key];
      const spec = zoneKey ? zoneKeySpec(zoneKey) : undefined;
      if (svtAv1 && spec && pair.value !== undefined && !('message' in zoneValue(spec, pair.value))) {
        keys.push(`${zoneKey}=${pair.value}`);
      } else if (
        svtAv1 &&
        pair.value !== undefined &&
        (KNOWN_SVT_PARAMS as readonly string[]).includes(pair.key) &&
        /^[A-Za-z0-9.,()\-+]+$/.test(pair.value)
      ) {
        svt.push(`${pair.key}=${pair.value}`);
      } else unmapped.push(pair.text);
    }
    if (svt.length) keys.push(`svt-params=${svt.join(':')}`);
    if (!svtAv1 && args.length) unmapped.unshift(`${encoder} arguments (we encode with SVT-AV1)`);
    const comment = unmapped.length ? `  # not mapped: ${unmapped.join(', ')}` : '';
    out.push(`${[range, ...keys].join(' ')}${comment}`);
    for (const what of unmapped) notes.push(`${where}: not mapped: ${what}`);
    zones++;
  });
  return { text: `${out.join('\n')}\n`, notes, zones };
}
