/**
 * The `chunkedAv1.*` editor settings: their zod schema (the contributed JSON schema in package.json
 * must agree with it; a unit test checks) and the mapping from settings + preset to encode options.
 * Pure: no file or process I/O.
 */
import path from 'node:path';
import { z } from 'zod';
import { BUILT_IN_PRESETS } from './presets';
import type { EncodeOptionsInput } from './options';
import { OPTION_CATALOGUE, PRESET_KEYS, presetShape } from './option-catalogue';
import { HOST_ENTRY_PATTERN } from './host-grammar';
import { presetTargetProblems } from './preset-target';

/** A preset overrides the catalogue's preset options (option-catalogue.ts: `preset: true`; issue 25's target keys among them). */
export const presetSchema = z
  .strictObject(presetShape())
  .superRefine((p, ctx) => {
    // crf, targetVmaf, targetMetric and target together (preset-target.ts), each on its key.
    for (const problem of presetTargetProblems(p)) ctx.addIssue({ code: 'custom', path: [problem.key], message: problem.message });
  })
  .refine((p) => p.minCrf === undefined || p.maxCrf === undefined || p.minCrf <= p.maxCrf, {
    message: 'minCrf must not exceed maxCrf',
  });
export type Preset = z.infer<typeof presetSchema>;

export { BUILT_IN_PRESETS } from './presets';

export const DEFAULT_OUTPUT_PATTERN = '${fileDirname}/${fileBasenameNoExtension}.av1.mkv';

/**
 * `chunkedAv1.hosts` entries are checked against the host grammar (host-grammar.ts); the server
 * then runs the CLI's own parser (server/src/hosts/host-spec.ts) over the list through
 * `parseSettings`' `checkHosts`, which also refuses duplicates and out-of-range worker counts and ports.
 */
export { HOST_ENTRY_PATTERN };

/** --split and --crop as settings: their values and defaults are the catalogue's (a preset's key overrides them). */
const splitSchema = OPTION_CATALOGUE.split.schema.unwrap();
const cropSchema = OPTION_CATALOGUE.crop.schema.unwrap();

/** One schema per setting key (without the `chunkedAv1.` prefix), so each key is checked alone. */
export const settingSchemas = {
  presets: z.record(z.string().min(1), presetSchema),
  defaultPreset: z.string(),
  segmentSeconds: z.number().min(1).max(600),
  split: splitSchema,
  crop: cropSchema,
  workers: z.number().int().min(0).max(64),
  outputPath: z.string().min(1),
  workDirectory: z.string(),
  keepWorkDirectory: z.boolean(),
  ffmpegPath: z.string(),
  ffprobePath: z.string(),
  vmafFfmpegPath: z.string(),
  hosts: z.array(z.string().regex(HOST_ENTRY_PATTERN, { message: 'not [N/][user@]host[:port] or ":"' })),
  hostsStrict: z.boolean(),
} as const;
export type SettingKey = keyof typeof settingSchemas;

export interface Settings {
  presets: Record<string, Preset>;
  defaultPreset: string;
  segmentSeconds: number;
  split: z.infer<typeof splitSchema>;
  crop: string;
  workers: number;
  outputPath: string;
  workDirectory: string;
  keepWorkDirectory: boolean;
  ffmpegPath: string;
  ffprobePath: string;
  vmafFfmpegPath: string;
  hosts: string[];
  hostsStrict: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  presets: BUILT_IN_PRESETS,
  defaultPreset: 'balanced',
  segmentSeconds: 10,
  split: OPTION_CATALOGUE.split.schema.def.defaultValue,
  crop: OPTION_CATALOGUE.crop.schema.def.defaultValue,
  workers: 0,
  outputPath: DEFAULT_OUTPUT_PATTERN,
  workDirectory: '',
  keepWorkDirectory: false,
  ffmpegPath: '',
  ffprobePath: '',
  vmafFfmpegPath: '',
  hosts: [],
  hostsStrict: false,
};

export interface SettingProblem {
  /** JSON path below `chunkedAv1.<key>`, e.g. ['chunkedAv1.presets', 'mine', 'svtParams']. */
  path: (string | number)[];
  message: string;
  /**
   * The contributed JSON schema (package.json) refuses the same value, so VS Code's own settings
   * validation reports it too wherever it validates (an open settings.json).
   */
  inJsonSchema?: boolean;
}

/** zod issues that the contributed JSON schema expresses too (types, ranges, enums, patterns, unknown keys). */
const JSON_SCHEMA_ISSUES = new Set([
  'invalid_type',
  'too_big',
  'too_small',
  'invalid_value',
  'invalid_format',
  'unrecognized_keys',
  'not_multiple_of',
]);

export interface ParsedSettings {
  settings: Settings;
  problems: SettingProblem[];
}

/**
 * Validates the raw `chunkedAv1` section. A bad value falls back to the default for that key; a bad
 * preset is dropped (the others stay usable). Every problem is reported with its JSON path.
 */
export interface SettingChecks {
  /** Throws with the one line the user sees when the host list cannot be used (the CLI's parser). */
  checkHosts?: (hosts: string[]) => void;
}

export function parseSettings(raw: unknown, checks: SettingChecks = {}): ParsedSettings {
  const section = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const settings: Settings = { ...DEFAULT_SETTINGS, presets: { ...BUILT_IN_PRESETS } };
  const problems: SettingProblem[] = [];
  for (const key of Object.keys(settingSchemas) as SettingKey[]) {
    const value = section[key];
    if (value === undefined || value === null) continue;
    if (key === 'presets') {
      const presets = z.record(z.string(), z.unknown()).safeParse(value);
      if (!presets.success) {
        problems.push({ path: ['chunkedAv1.presets'], message: 'chunkedAv1.presets must be an object of named presets' });
        continue;
      }
      const merged: Record<string, Preset> = {};
      for (const [name, presetValue] of Object.entries(presets.data)) {
        const parsed = presetSchema.safeParse(presetValue);
        if (parsed.success) merged[name] = parsed.data;
        else problems.push(...issuesToProblems(['chunkedAv1.presets', name], parsed.error.issues, `preset "${name}"`));
      }
      settings.presets = merged;
      continue;
    }
    const parsed = settingSchemas[key].safeParse(value);
    if (parsed.success) (settings as unknown as Record<string, unknown>)[key] = parsed.data;
    else problems.push(...issuesToProblems([`chunkedAv1.${key}`], parsed.error.issues, `chunkedAv1.${key}`));
  }
  if (settings.hosts.length && checks.checkHosts) {
    try {
      checks.checkHosts(settings.hosts);
    } catch (error) {
      problems.push({ path: ['chunkedAv1.hosts'], message: `chunkedAv1.hosts: ${error instanceof Error ? error.message : String(error)}` });
      settings.hosts = [];
    }
  }
  if (!(settings.defaultPreset in settings.presets) && section.defaultPreset !== undefined) {
    problems.push({
      path: ['chunkedAv1.defaultPreset'],
      message: `chunkedAv1.defaultPreset: no preset is named "${settings.defaultPreset}"`,
    });
  }
  return { settings, problems };
}

function issuesToProblems(prefix: (string | number)[], issues: z.core.$ZodIssue[], what: string): SettingProblem[] {
  return issues.map((issue) => {
    const issuePath = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    // An unknown key is reported on the object; point at the key itself so the squiggle lands there.
    if (issue.code === 'unrecognized_keys' && issue.keys.length) issuePath.push(issue.keys[0]!);
    const where = issuePath.length ? `${what}.${issuePath.join('.')}` : what;
    return {
      path: [...prefix, ...issuePath],
      message: `${where}: ${issue.message}`,
      ...(JSON_SCHEMA_ISSUES.has(issue.code) ? { inJsonSchema: true } : {}),
    };
  });
}

export interface PathVariables {
  fileDirname: string;
  fileBasenameNoExtension: string;
  fileBasename: string;
  fileExtname: string;
  workspaceFolder?: string;
}

export function pathVariables(input: string, workspaceFolder?: string): PathVariables {
  const ext = path.extname(input);
  return {
    fileDirname: path.dirname(input),
    fileBasename: path.basename(input),
    fileBasenameNoExtension: path.basename(input, ext),
    fileExtname: ext,
    workspaceFolder,
  };
}

/** Expands `${name}` variables; an unknown variable is an error rather than a literal in a path. */
export function expandPattern(pattern: string, variables: PathVariables): string {
  return pattern.replace(/\$\{([A-Za-z]+)\}/g, (whole, name: string) => {
    const value = (variables as unknown as Record<string, string | undefined>)[name];
    if (value === undefined) throw new Error(`unknown variable ${whole} in "${pattern}"`);
    return value;
  });
}

/** Turns a preset and the general settings into the pipeline's option input. */
export function toEncodeOptions(input: string, presetName: string, settings: Settings, workspaceFolder?: string): EncodeOptionsInput {
  const preset = settings.presets[presetName];
  if (!preset) throw new Error(`no preset is named "${presetName}" (known: ${Object.keys(settings.presets).join(', ') || 'none'})`);
  const variables = pathVariables(input, workspaceFolder);
  const output = path.resolve(variables.fileDirname, expandPattern(settings.outputPath, variables));
  const workDir = settings.workDirectory
    ? path.join(
        path.resolve(variables.fileDirname, expandPattern(settings.workDirectory, variables)),
        `${variables.fileBasename}.chunked-av1`,
      )
    : undefined;
  const fromPreset = Object.fromEntries(
    PRESET_KEYS.filter((key) => preset[key] !== undefined).map((key) => [key, preset[key]]),
  ) as Partial<EncodeOptionsInput>;
  return {
    split: settings.split,
    crop: settings.crop,
    ...fromPreset,
    input,
    output,
    workDir,
    keepWorkDir: settings.keepWorkDirectory,
    // A preset with a CRF is a fixed-CRF preset, whatever target it inherits.
    targetVmaf: preset.crf === undefined ? preset.targetVmaf : undefined,
    segmentSeconds: settings.segmentSeconds,
    workers: settings.workers > 0 ? settings.workers : undefined,
    ffmpeg: settings.ffmpegPath || undefined,
    ffprobe: settings.ffprobePath || undefined,
    vmafFfmpeg: settings.vmafFfmpegPath || undefined,
    ...(settings.hosts.length ? { hosts: settings.hosts, hostsStrict: settings.hostsStrict } : {}),
  };
}
