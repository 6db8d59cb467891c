import { z } from 'zod';
import { OPTION_CATALOGUE, ZONE_KEYS, innerSchema, rangeOf, type OptionKey, type OptionSpec } from '../../../common/option-catalogue';
import { parseSvtParams } from '../../../common/option-values';
import type { EncodeOptions } from '../../../common/options';
import { nearestName } from '../sys';
import type { OverrideToken, ZoneProblem } from './zone-syntax';

/**
 * The keys a zone may set: the catalogue's options marked `zone` (by their CLI flag names), plus
 * `film-grain`, a shorthand for the SVT-AV1 parameter of that name (merged into svt-params), the
 * key grainy ranges need most. Values are checked by the catalogue's own schemas.
 */
export type ZoneOptionKey = 'crf' | 'targetVmaf' | 'minCrf' | 'maxCrf' | 'preset' | 'svtParams';
export type ZoneOverrides = Partial<Pick<EncodeOptions, ZoneOptionKey>>;

export interface ZoneKeySpec {
  /** As written in the file (the CLI flag's name). */
  name: string;
  schema: z.ZodType;
  value: 'number' | 'string';
  help: string;
  /** The catalogue option it sets; absent for film-grain. */
  option?: ZoneOptionKey;
  /** The SVT-AV1 parameter it sets inside svt-params. */
  svtParam?: string;
}

/** SVT-AV1's film-grain denoising strength range (its --film-grain: 0 off, 50 strongest). */
const filmGrainSchema = z.number().int().min(0).max(50);

export const ZONE_KEY_SPECS: ZoneKeySpec[] = [
  ...ZONE_KEYS.map((key): ZoneKeySpec => {
    const option = OPTION_CATALOGUE[key] as OptionSpec;
    return {
      name: option.flag!,
      schema: innerSchema(option.schema),
      value: option.value === 'string' ? 'string' : 'number',
      help: option.help ?? '',
      option: key as ZoneOptionKey,
    };
  }),
  {
    name: 'film-grain',
    schema: filmGrainSchema,
    value: 'number',
    help: 'film-grain synthesis strength (SVT-AV1 film-grain, merged into svt-params)',
    svtParam: 'film-grain',
  },
];

const byName = new Map(ZONE_KEY_SPECS.map((spec) => [spec.name, spec]));
const catalogueFlags = new Map(
  (Object.keys(OPTION_CATALOGUE) as OptionKey[]).flatMap((key) => {
    const flag = (OPTION_CATALOGUE[key] as OptionSpec).flag;
    return flag ? [[flag, key] as const] : [];
  }),
);

export function zoneKeySpec(name: string): ZoneKeySpec | undefined {
  return byName.get(name);
}

/** "0..63", "0|1" or "" for a key's values, as the help shows it. */
export function zoneKeyRange(spec: ZoneKeySpec): string {
  return rangeOf(spec.schema);
}

/** A value's text as the key's type, or why not. */
export function zoneValue(spec: ZoneKeySpec, text: string): { value: number | string } | { message: string } {
  let value: number | string = text;
  if (spec.value === 'number') {
    value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) return { message: `${spec.name} needs a number, got "${text}"` };
  }
  const checked = spec.schema.safeParse(value);
  if (checked.success) return { value };
  const range = zoneKeyRange(spec);
  const issue = checked.error.issues[0]!;
  if ((issue.code === 'too_big' || issue.code === 'too_small') && range)
    return { message: `${spec.name}=${text} is out of range ${range.replace('..', '–')}` };
  if (issue.code === 'invalid_type' && range)
    return { message: `${spec.name}=${text} is not a whole number (range ${range.replace('..', '–')})` };
  return { message: `${spec.name}: ${issue.message}` };
}

function on(
  token: OverrideToken,
  part: 'span' | 'keySpan' | 'valueSpan',
  code: string,
  message: string,
  severity: ZoneProblem['severity'] = 'error',
): ZoneProblem {
  return { ...token[part], severity, code, message };
}

/** A zone's `key=value` tokens as overrides, and each problem: unknown or job-wide key (with a did-you-mean), bad value, a key twice, crf with target-vmaf. */
export function zoneOverrides(tokens: OverrideToken[]): { overrides: ZoneOverrides; problems: ZoneProblem[] } {
  const overrides: ZoneOverrides = {};
  const problems: ZoneProblem[] = [];
  const svt: Record<string, string> = {};
  const seen = new Map<string, OverrideToken>();
  for (const token of tokens) {
    const spec = byName.get(token.key);
    if (!spec) {
      const near = nearestName(
        token.key,
        ZONE_KEY_SPECS.map((s) => s.name),
      );
      const option = catalogueFlags.get(token.key);
      const message = option
        ? `${token.key} is not allowed per zone (it applies to the whole job); a zone may set ${ZONE_KEY_SPECS.map((s) => s.name).join(', ')}`
        : `unknown key "${token.key}"${near ? ` (did you mean ${near}?)` : ''}; a zone may set ${ZONE_KEY_SPECS.map((s) => s.name).join(', ')}`;
      const problem = on(token, 'keySpan', option ? 'not-per-zone' : 'unknown-key', message);
      if (near && !option) problem.fixes = [{ title: `Change to ${near}`, edits: [{ ...token.keySpan, text: near }] }];
      problems.push(problem);
      continue;
    }
    if (seen.has(spec.name)) {
      problems.push(on(token, 'keySpan', 'duplicate-key', `${spec.name} is set twice on this line; the last one counts`, 'warning'));
    }
    seen.set(spec.name, token);
    const checked = zoneValue(spec, token.value);
    if ('message' in checked) {
      problems.push(on(token, 'valueSpan', 'bad-value', checked.message));
      continue;
    }
    if (spec.svtParam) svt[spec.svtParam] = String(checked.value);
    else if (spec.option === 'svtParams') Object.assign(svt, parseSvtParams(String(checked.value)));
    else (overrides as Record<string, unknown>)[spec.option!] = checked.value;
  }
  if (Object.keys(svt).length) overrides.svtParams = joinSvtParams(svt);
  const crf = seen.get('crf');
  if (crf && seen.has('target-vmaf') && overrides.crf !== undefined && overrides.targetVmaf !== undefined) {
    problems.push(on(crf, 'span', 'exclusive', 'crf and target-vmaf are exclusive: a zone has a fixed CRF or a VMAF target, not both'));
  }
  const { minCrf, maxCrf } = overrides;
  if (minCrf !== undefined && maxCrf !== undefined && minCrf > maxCrf) {
    problems.push(on(seen.get('min-crf')!, 'span', 'bad-value', `min-crf=${minCrf} is above max-crf=${maxCrf}`));
  }
  return { overrides, problems };
}

export function joinSvtParams(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([key, value]) => `${key}=${value}`)
    .join(':');
}
