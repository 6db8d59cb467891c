import { z } from 'zod';
import {
  svtParamsSchema,
  vmafPoolSchema,
  pixelFormatSchema,
  audioModeSchema,
  crfSchema,
  targetVmafSchema,
  DEFAULT_CRF,
  presetNumberSchema,
  metricNameSchema,
  targetPoolSchema,
  metricTargetSchema,
} from './option-values';
import { METRIC_NAMES, METRICS } from './quality-metric';

/**
 * One catalogue of every encode option: its name, type, range and default (the zod schema), its
 * help text, its CLI flag and whether editor presets may set it. The encode options schema, the
 * CLI's parser table and `--help` text, and the preset schema are all generated from it, and a unit
 * test holds package.json's contributed configuration to it, so a range cannot drift between them.
 */

/** How a flag's text becomes a value before the schema checks it. */
export type FlagValue = 'number' | 'string' | 'boolean' | 'number-or-same' | 'list';

export interface OptionSpec<S extends z.ZodType = z.ZodType> {
  schema: S;
  /** The CLI flag (`--name`); absent for options that are not flags (the input). */
  flag?: string;
  short?: string;
  /** Older flag names still accepted (not listed in the help). */
  aliases?: string[];
  /** How the flag's text is read; `boolean` flags take no value. */
  value?: FlagValue;
  /** The placeholder in the help (`--crf N`). */
  placeholder?: string;
  /** One or more lines of help; the default and the range are appended from the schema. */
  help?: string;
  /** Editor presets may set it (`chunkedAv1.presets.<name>.<key>`). */
  preset?: boolean;
  /** A zones file may set it for a range of frames (`1200-1850 crf=30`; docs/zones.md): it changes one segment's encode, not the job's shape. */
  zone?: boolean;
}

const spec = <const O extends OptionSpec>(option: O): O => option;

export const OPTION_CATALOGUE = {
  input: spec({ schema: z.string().min(1) }),
  output: spec({
    schema: z.string().min(1).optional(),
    flag: 'output',
    short: 'o',
    value: 'string',
    placeholder: 'FILE',
    help: 'output file (default: INPUT_BASENAME.av1.mkv next to INPUT; .mp4 for MP4)',
  }),
  crf: spec({
    schema: crfSchema.optional(),
    flag: 'crf',
    value: 'number',
    placeholder: 'N',
    help: `fixed CRF, ${DEFAULT_CRF} when neither --crf nor --target-vmaf is given`,
    preset: true,
    zone: true,
  }),
  targetVmaf: spec({
    schema: targetVmafSchema.optional(),
    flag: 'target-vmaf',
    value: 'number',
    placeholder: 'T',
    help: "search each segment's CRF for this VMAF instead of a fixed CRF\n(exclusive with --crf; the editor's default preset uses 93)",
    preset: true,
    zone: true,
  }),
  /** The metric the CRF search targets (issue 25); --target-vmaf N is --target-metric vmaf --target N. */
  targetMetric: spec({
    schema: metricNameSchema.optional(),
    flag: 'target-metric',
    value: 'string',
    placeholder: 'M',
    help: `search each segment's CRF for this metric's --target (alone: the metric's\ndefault target: ${metricFacts((m) => `${m.label} ${m.defaultTarget}${m.unit ? ` ${m.unit}` : ''}`)})`,
    preset: true,
  }),
  target: spec({
    schema: metricTargetSchema.optional(),
    flag: 'target',
    value: 'number',
    placeholder: 'N',
    help: `the target in --target-metric's units (${metricFacts((m) => `${m.label} ${m.range.min}..${m.range.max}${m.unit ? ` ${m.unit}` : ''}`)}); exclusive with --crf`,
    preset: true,
  }),
  pool: spec({
    schema: targetPoolSchema.optional(),
    flag: 'pool',
    value: 'string',
    placeholder: 'P',
    help: "how the target metric's frame scores pool into a segment's score: mean,\nharmonic or pN (e.g. p5); default: --vmaf-pool for VMAF, mean otherwise",
    preset: true,
  }),
  alsoScore: spec({
    schema: z.array(metricNameSchema).optional(),
    flag: 'also-score',
    value: 'list',
    placeholder: 'M[,M]',
    help: "also score these metrics on each segment's final output (recorded, never targeted)",
    preset: true,
  }),
  minCrf: spec({
    schema: crfSchema.default(10),
    flag: 'min-crf',
    value: 'number',
    placeholder: 'N',
    help: 'lowest CRF the search may choose',
    preset: true,
    zone: true,
  }),
  maxCrf: spec({
    schema: crfSchema.default(55),
    flag: 'max-crf',
    value: 'number',
    placeholder: 'N',
    help: 'highest CRF the search may choose',
    preset: true,
    zone: true,
  }),
  samples: spec({
    schema: z.number().int().min(1).max(20).default(3),
    flag: 'samples',
    value: 'number',
    placeholder: 'N',
    help: 'VMAF samples per segment',
    preset: true,
  }),
  sampleSeconds: spec({
    schema: z.number().min(0.5).max(60).default(2),
    flag: 'sample-duration',
    aliases: ['sample-seconds'],
    value: 'number',
    placeholder: 'S',
    help: 'length of each sample in seconds; samples covering 85% of a segment\nor more: the whole segment is encoded instead',
    preset: true,
  }),
  /**
   * Score every Nth frame (frames 0, N, 2N, …; libvmaf's n_subsample). Odd, so the scored frames
   * visit every position of SVT-AV1's 16-frame mini-GOPs: 8 scored only its two best-coded
   * layers and overstated VMAF by up to 7 points; 3 is the stride whose pooled score stayed within
   * 0.3 of every frame on bench/vmaf-sampling (7: 0.39) (server/src/vmaf/frame-set.ts, issue #16).
   */
  vmafSubsample: spec({
    schema: z.number().int().min(1).max(64).default(3),
    flag: 'vmaf-subsample',
    value: 'number',
    placeholder: 'N',
    help: "score every Nth frame; keep N odd: an even N scores only the best-coded\nframes of SVT-AV1's mini-GOPs and overstates VMAF",
    preset: true,
  }),
  vmafPool: spec({
    schema: vmafPoolSchema.default('harmonic_mean'),
    flag: 'vmaf-pool',
    value: 'string',
    placeholder: 'P',
    help: 'how frame scores pool: harmonic_mean, mean, min or pN (e.g. p5)',
    preset: true,
  }),
  vmafEngine: spec({
    schema: z.enum(['auto', 'libvmaf', 'builtin']).default('auto'),
    flag: 'vmaf-engine',
    value: 'string',
    placeholder: 'E',
    help: 'VMAF engine; auto: libvmaf when ffmpeg has it and can be trusted',
  }),
  maxEncodedPercent: spec({
    schema: z.number().min(1).max(100).default(80),
    flag: 'max-encoded-percent',
    value: 'number',
    placeholder: 'P',
    help: "warn when a segment's encode is over P% of the source's size",
  }),
  preset: spec({
    schema: presetNumberSchema.default(8),
    flag: 'preset',
    value: 'number',
    placeholder: 'P',
    help: 'SVT-AV1 preset (slower … faster)',
    preset: true,
    zone: true,
  }),
  /**
   * SVT-AV1 preset of the target-quality probes. 'same' (default) probes at --preset: exact, and a
   * whole-segment probe can be kept as the output. A faster preset makes each probe cheaper but
   * measures a shifted CRF→VMAF curve (bench/probe-preset-shift: 0.3 to 1.8 VMAF between presets
   * 10 and 12, in either direction between 8 and 12, depending on the content); the whole-segment
   * verification and the retry ladder still catch misses.
   */
  probePreset: spec({
    schema: z.union([z.literal('same'), presetNumberSchema]).default('same'),
    flag: 'probe-preset',
    value: 'number-or-same',
    placeholder: 'P|same',
    help: 'SVT-AV1 preset of the --target-vmaf probes (same: --preset, exact;\na faster one is cheaper but shifts the CRF→VMAF curve)',
    preset: true,
  }),
  svtParams: spec({
    schema: svtParamsSchema.default(''),
    flag: 'svt-params',
    value: 'string',
    placeholder: 'k=v:k=v',
    help: 'extra SVT-AV1 parameters',
    preset: true,
    zone: true,
  }),
  keyintSeconds: spec({
    schema: z.number().min(0.5).max(60).default(10),
    flag: 'keyint-seconds',
    value: 'number',
    placeholder: 'S',
    help: 'keyframe interval in seconds',
  }),
  pixelFormat: spec({
    schema: pixelFormatSchema.default('yuv420p10le'),
    flag: 'pixel-format',
    value: 'string',
    placeholder: 'F',
    help: 'encoded pixel format',
    preset: true,
  }),
  segmentSeconds: spec({
    schema: z.number().min(1).max(600).default(10),
    flag: 'segment-seconds',
    value: 'number',
    placeholder: 'S',
    help: 'target segment length in seconds',
  }),
  split: spec({
    schema: z.enum(['scene', 'keyframe', 'fixed']).default('scene'),
    flag: 'split',
    value: 'string',
    placeholder: 'HOW',
    help: 'where segments are cut: scene (at scene changes), keyframe (at source keyframes\nnear --segment-seconds) or fixed (every --segment-seconds, at any frame)',
    preset: true,
  }),
  sceneThreshold: spec({
    schema: z.number().min(0.05).max(1).default(0.3),
    flag: 'scene-threshold',
    value: 'number',
    placeholder: 'X',
    help: "scene score (ffmpeg's scene difference, 0..1) at which --split scene sees a scene change",
    preset: true,
  }),
  minSegmentSeconds: spec({
    schema: z.number().min(0.5).max(600).default(4),
    flag: 'min-segment-seconds',
    value: 'number',
    placeholder: 'S',
    help: 'shortest segment --split scene makes (at most --segment-seconds)',
  }),
  maxSegmentSeconds: spec({
    schema: z.number().min(1).max(1200).optional(),
    flag: 'max-segment-seconds',
    value: 'number',
    placeholder: 'S',
    help: 'longest segment --split scene makes; longer scenes are split at their quietest\npoint (default: 2 x --segment-seconds)',
  }),
  crop: spec({
    schema: z
      .string()
      .regex(/^(auto|none|\d+:\d+:\d+:\d+)$/, 'crop is auto, none or W:H:X:Y')
      .default('auto'),
    flag: 'crop',
    value: 'string',
    placeholder: 'C',
    help: 'crop black bars: auto (detected, only when 1 % or more is bars), none, or W:H:X:Y',
    preset: true,
  }),
  /** Per-range overrides (docs/zones.md); without it, INPUT.zones beside the input is used when it exists. */
  zones: spec({
    schema: z.string().min(1).optional(),
    flag: 'zones',
    value: 'string',
    placeholder: 'FILE',
    help: 'per-range overrides (docs/zones.md); default: INPUT.zones beside INPUT, or\n.chunked-av1/zones/NAME.zones in the folder above, when one exists',
  }),
  workers: spec({
    schema: z.number().int().min(1).max(64).optional(),
    flag: 'workers',
    value: 'number',
    placeholder: 'N',
    help: 'parallel encoders (default: from cores and memory)',
  }),
  /** Replace an existing file at the output path. Never the input (checked by device and inode). */
  overwrite: spec({
    schema: z.boolean().default(false),
    flag: 'overwrite',
    short: 'y',
    value: 'boolean',
    help: 'replace an existing file at the output path (never the input)',
  }),
  workDir: spec({
    schema: z.string().min(1).optional(),
    flag: 'work-dir',
    value: 'string',
    placeholder: 'DIR',
    help: 'work directory (default: .OUTPUT_NAME.work next to the output); must be new,\nempty or made by chunked-av1, and hold neither the input nor the output',
  }),
  keepWorkDir: spec({
    schema: z.boolean().default(false),
    flag: 'keep-work-dir',
    value: 'boolean',
    help: 'keep the work directory after success',
  }),
  report: spec({
    schema: z.string().min(1).optional(),
    flag: 'report',
    value: 'string',
    placeholder: 'PATH',
    help: 'write the quality report (one HTML file) to PATH at the end, and keep its\ndata in OUTPUT.report.json beside the output (for "chunked-av1 report INPUT")',
  }),
  audio: spec({
    schema: audioModeSchema.default('copy'),
    flag: 'audio',
    value: 'string',
    placeholder: 'A',
    help: 'copy the audio tracks, or re-encode them to Opus',
    preset: true,
  }),
  allowDvStrip: spec({
    schema: z.boolean().default(false),
    flag: 'allow-dv-strip',
    value: 'boolean',
    help: "encode a Dolby Vision source's base layer, dropping the RPU",
  }),
  /** --target-vmaf: a segment whose metric saturates below the target fails the job instead of being marked unreachable. */
  strict: spec({
    schema: z.boolean().default(false),
    flag: 'strict',
    value: 'boolean',
    help: 'with --target-vmaf: a segment that cannot reach the target (its VMAF saturates\nbelow it at every CRF) fails the job instead of being kept and marked unreachable',
    preset: true,
  }),
  failFast: spec({ schema: z.boolean().default(false), flag: 'fail-fast', value: 'boolean', help: 'stop at the first failed segment' }),
  pinWorkers: spec({
    schema: z.boolean().default(false),
    flag: 'pin-workers',
    value: 'boolean',
    help: 'run each worker on its own CPU set (Linux)',
  }),
  ffmpeg: spec({
    schema: z.string().min(1).optional(),
    flag: 'ffmpeg',
    value: 'string',
    placeholder: 'PATH',
    help: 'the ffmpeg that encodes (default: ffmpeg on PATH, or CHUNKED_AV1_FFMPEG)',
  }),
  ffprobe: spec({
    schema: z.string().min(1).optional(),
    flag: 'ffprobe',
    value: 'string',
    placeholder: 'PATH',
    help: 'the ffprobe (default: ffprobe on PATH, or CHUNKED_AV1_FFPROBE)',
  }),
  /** --hosts / --hosts-file / chunkedAv1.hosts: `[N/][user@]host[:port]` or `:` (checked by server/src/hosts/host-spec.ts; the CLI reads its own two flags). */
  hosts: spec({ schema: z.array(z.string().min(1)).optional() }),
  hostsStrict: spec({
    schema: z.boolean().default(false),
    flag: 'hosts-strict',
    value: 'boolean',
    help: 'stop when a host fails the check (default: go on without it)',
  }),
  /** An ffmpeg with libvmaf for the VMAF measurements only (the encodes still use `ffmpeg`). */
  vmafFfmpeg: spec({
    schema: z.string().min(1).optional(),
    flag: 'vmaf-ffmpeg',
    value: 'string',
    placeholder: 'PATH',
    help: 'an ffmpeg with libvmaf (1.x or later) for the VMAF measurements only',
  }),
};

export type OptionKey = keyof typeof OPTION_CATALOGUE;
type Shape = { [K in OptionKey]: (typeof OPTION_CATALOGUE)[K]['schema'] };
type Unwrapped<S> = S extends z.ZodDefault<infer I> ? Unwrapped<I> : S extends z.ZodOptional<infer I> ? Unwrapped<I> : S;
export type PresetKey = { [K in OptionKey]: (typeof OPTION_CATALOGUE)[K] extends { preset: true } ? K : never }[OptionKey];
type PresetShape = { [K in PresetKey]: z.ZodOptional<Unwrapped<Shape[K]> & z.ZodType> };

/** The catalogue's schemas as one zod object shape. */
export function catalogueShape(): Shape {
  return Object.fromEntries(Object.entries(OPTION_CATALOGUE).map(([key, option]) => [key, option.schema])) as Shape;
}

/** The schema without its default/optional wrappers: where the range lives. */
export function innerSchema(schema: z.ZodType): z.ZodType {
  let current = schema as z.ZodType & { unwrap?: () => z.ZodType; def: { type: string; innerType?: z.ZodType } };
  while (current.def.type === 'default' || current.def.type === 'optional') current = current.def.innerType as typeof current;
  return current;
}

export function defaultOf(schema: z.ZodType): unknown {
  const def = (schema as unknown as { def: { type: string; defaultValue?: unknown } }).def;
  return def.type === 'default' ? def.defaultValue : undefined;
}

/** "0-63", "-1..13" or "" — the range a number option takes, as the help shows it. */
export function rangeOf(schema: z.ZodType): string {
  const inner = innerSchema(schema);
  if (
    inner instanceof z.ZodNumber &&
    inner.minValue !== null &&
    inner.maxValue !== null &&
    Number.isFinite(inner.minValue) &&
    Number.isFinite(inner.maxValue)
  ) {
    return `${inner.minValue}..${inner.maxValue}`;
  }
  if (inner instanceof z.ZodEnum) return (inner.options as string[]).join('|');
  return '';
}

/** The preset keys, each optional and without a default (a preset only overrides). */
export function presetShape(): PresetShape {
  return Object.fromEntries(
    PRESET_KEYS.map((key) => [key, innerSchema(OPTION_CATALOGUE[key].schema).optional()]),
  ) as unknown as PresetShape;
}

/** The options a zones file may set per range, in catalogue order. */
export const ZONE_KEYS = (Object.keys(OPTION_CATALOGUE) as OptionKey[]).filter((key) => (OPTION_CATALOGUE[key] as OptionSpec).zone);

/** The options an editor preset may set, in catalogue order. */
export const PRESET_KEYS = (Object.keys(OPTION_CATALOGUE) as OptionKey[]).filter(
  (key) => (OPTION_CATALOGUE[key] as OptionSpec).preset,
) as PresetKey[];

/** Each metric's fact (quality-metric.ts, written once) for a help text: `VMAF 93, SSIMULACRA2 56, …`. */
function metricFacts(fact: (m: (typeof METRICS)[keyof typeof METRICS]) => string, separator = ', '): string {
  return METRIC_NAMES.map((name) => fact(METRICS[name])).join(separator);
}
