import { z } from 'zod';
import { SEGMENT_REASONS } from '../../../common/events';
import { catalogueShape } from '../../../common/option-catalogue';
import { DEFAULT_CRF, type EncodeOptions } from '../../../common/options';
import { crfSchema, metricNameSchema, presetNumberSchema, svtParamsSchema, targetVmafSchema } from '../../../common/option-values';
import { qualityTargetOf } from '../../../common/options';
import { inputIdentitySchema, type FrameTimeline, type InputIdentity, type MediaInfo } from '../probe';
import type { CropRect, PlannedSegment, SegmentPlan } from '../plan';
import { segmentVideoSettings, type VideoEncodeSettings } from '../encode';
import type { CrfOptions, RetryAttempt } from '../crf';
import { optionsForSegment } from '../zones';
import type { SegmentExpectation } from '../validate';

/**
 * One segment's unit of work: everything needed to produce its encoded file, in one serializable
 * record (as Av1an's `Chunk`). Built once when the plan is made (buildSegmentTasks), kept in the
 * manifest, run here or sent unchanged to a host (remote/ID.job.json), where the worker parses it
 * with the same schema. What is local to where it runs (tools, paths, the job's CRF state, the
 * signal) is not in it: that is the runner's environment (run-segment-task.ts).
 *
 * A retry does not rebuild the task: taskForAttempt gives the same task with the retry rung, the
 * threads and the encoder's time-out of that attempt, so a host gets them already applied.
 */

export const plannedSegmentSchema = z.object({
  index: z.number(),
  startFrame: z.number(),
  frames: z.number(),
  reason: z.enum(SEGMENT_REASONS).optional(),
  startSeconds: z.number(),
  endSeconds: z.number(),
  seekSeconds: z.number(),
  copyEndSeconds: z.number().optional(),
  keepFromSeconds: z.number(),
  keepToSeconds: z.number(),
  /** The zone the segment lies in (zones/): its number and the options it overrides. */
  zone: z
    .object({
      index: z.number().int().nonnegative(),
      overrides: z.object({
        crf: crfSchema.optional(),
        targetVmaf: targetVmafSchema.optional(),
        minCrf: crfSchema.optional(),
        maxCrf: crfSchema.optional(),
        preset: presetNumberSchema.optional(),
        svtParams: svtParamsSchema.optional(),
      }),
    })
    .optional(),
}) satisfies z.ZodType<PlannedSegment>;

const colourSchema = z.object({
  primaries: z.string().optional(),
  transfer: z.string().optional(),
  matrix: z.string().optional(),
  range: z.string().optional(),
});
const xySchema = z.tuple([z.number(), z.number()]);

/** The encoder settings of every encode of this segment but its CRF (which the CRF policy decides). */
export const encodeSettingsSchema = z.object({
  preset: presetNumberSchema,
  svtParams: svtParamsSchema,
  keyintFrames: z.number().int().positive(),
  pixelFormat: z.string(),
  threads: z.number().int().positive().optional(),
  colour: colourSchema,
  mastering: z
    .object({ red: xySchema, green: xySchema, blue: xySchema, whitePoint: xySchema, maxLuminance: z.number(), minLuminance: z.number() })
    .optional(),
  contentLight: z.object({ maxCll: z.number(), maxFall: z.number() }).optional(),
  evenCrop: z.boolean(),
  crop: z.object({ width: z.number().int(), height: z.number().int(), x: z.number().int(), y: z.number().int() }).optional(),
  turn: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]).optional(),
}) satisfies z.ZodType<Omit<VideoEncodeSettings, 'crf'>>;

export const retryRungSchema = z.object({
  label: z.string(),
  samples: z.number().int().positive().optional(),
  sampleSeconds: z.number().positive().optional(),
  targetOffset: z.number().optional(),
}) satisfies z.ZodType<RetryAttempt>;

/** The options the target-quality search reads, with their ranges and defaults from the option catalogue. */
const searchSettingsSchema = z.object(catalogueShape()).pick({
  minCrf: true,
  maxCrf: true,
  samples: true,
  sampleSeconds: true,
  vmafSubsample: true,
  vmafPool: true,
  vmafEngine: true,
  probePreset: true,
  strict: true,
  maxEncodedPercent: true,
});

/**
 * How this segment's CRF is decided: a fixed CRF (--crf), or searched for a target (the search's
 * settings, and the retry rung of this attempt, which the search applies). A VMAF target is
 * `targetVmaf` (as before issue 25, so a VMAF task reads the same); another metric's is
 * `targetMetric` + `target` (+ `pool`). `alsoScore`: metrics scored at verification only.
 */
export const crfPolicySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), crf: crfSchema }),
  searchSettingsSchema.extend({
    kind: z.literal('target'),
    targetVmaf: targetVmafSchema.optional(),
    targetMetric: metricNameSchema.optional(),
    target: z.number().optional(),
    pool: z.string().optional(),
    alsoScore: z.array(metricNameSchema).optional(),
    rung: retryRungSchema.optional(),
  }),
]);
export type CrfPolicy = z.output<typeof crfPolicySchema>;
export type SearchSettings = z.output<typeof searchSettingsSchema>;

export const segmentExpectationSchema = z.object({
  frames: z.number().int().nonnegative(),
  durationSeconds: z.number(),
  frameSeconds: z.number(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  pixelFormat: z.string(),
  colour: colourSchema,
}) satisfies z.ZodType<SegmentExpectation>;

export const segmentTaskSchema = z.object({
  segment: plannedSegmentSchema,
  /** The source file's identity (the source itself stays on this machine): keys the quality cache. */
  source: inputIdentitySchema,
  /** The source picture as the CRF stage sees it (bits per pixel, sample times). */
  video: z.object({ width: z.number().positive(), height: z.number().positive(), frameRate: z.number() }),
  encode: encodeSettingsSchema,
  crf: crfPolicySchema,
  /** What the validated encode must be. */
  expect: segmentExpectationSchema,
  /** The encoder's time-out for this attempt, by the local rule (encode/encode-timeout.ts); set per attempt. */
  timeoutMs: z.number().int().positive().optional(),
});
export type SegmentTask = z.output<typeof segmentTaskSchema>;

/** The CRF policy the options name. */
export function crfPolicyFor(options: EncodeOptions): CrfPolicy {
  // A zone's crf= clears the target it lies in (zones/zone-plan.ts), and a zone's target-vmaf= is a VMAF target.
  const zoneVmaf = options.targetVmaf !== undefined ? { targetMetric: undefined, target: undefined } : {};
  const target = options.crf === undefined ? qualityTargetOf({ ...options, ...zoneVmaf }) : undefined;
  if (!target) return { kind: 'fixed', crf: options.crf ?? DEFAULT_CRF };
  const also = options.alsoScore?.length ? { alsoScore: options.alsoScore } : {};
  const metricTarget =
    target.metric === 'vmaf' ? { targetVmaf: target.value } : { targetMetric: target.metric, target: target.value, pool: target.pool };
  return {
    kind: 'target',
    ...metricTarget,
    ...also,
    minCrf: options.minCrf,
    maxCrf: options.maxCrf,
    samples: options.samples,
    sampleSeconds: options.sampleSeconds,
    vmafSubsample: options.vmafSubsample,
    vmafPool: target.metric === 'vmaf' ? target.pool : options.vmafPool,
    vmafEngine: options.vmafEngine,
    probePreset: options.probePreset,
    strict: options.strict,
    maxEncodedPercent: options.maxEncodedPercent,
  };
}

/** What the plan knows that every task is built from. */
export interface TaskFacts {
  plan: SegmentPlan;
  options: EncodeOptions;
  media: MediaInfo;
  timeline: FrameTimeline;
  source: InputIdentity;
  /** Threads per worker on this machine (a tail segment may get more at its start). */
  threads: number;
  /** The encoded picture size (after crop and the even edge). */
  size: { width: number; height: number };
  crop?: CropRect;
}

/** Every segment's task, built once from the plan. */
export function buildSegmentTasks(facts: TaskFacts): SegmentTask[] {
  // Each task is made from its segment's own options: the job's, with its zone's overrides on top.
  return facts.plan.segments.map((segment) => segmentTask(segment, optionsForSegment(facts.options, segment), facts));
}

/** One segment's task from the options that apply to it. */
export function segmentTask(segment: PlannedSegment, options: EncodeOptions, facts: TaskFacts): SegmentTask {
  const { media, size } = facts;
  // Without its unset keys, so the task reads back from JSON (manifest, host) as it was built.
  const encode = definedOnly(segmentVideoSettings(options, media, facts.threads, size, facts.crop));
  return {
    segment,
    source: facts.source,
    video: { width: media.video.width, height: media.video.height, frameRate: media.video.frameRate },
    encode,
    crf: crfPolicyFor(options),
    expect: {
      frames: segment.frames,
      durationSeconds: segment.endSeconds - segment.startSeconds,
      frameSeconds: maxInterval(facts.timeline, segment),
      width: size.width,
      height: size.height,
      pixelFormat: encode.pixelFormat,
      colour: encode.colour,
    },
  };
}

/** What one attempt changes in a task: the retry rung, the threads it starts with, its time-out. */
export interface AttemptChanges {
  rung?: RetryAttempt;
  threads?: number;
  timeoutMs?: number;
}

/** The task as one attempt runs it (the task itself is never changed). */
export function taskForAttempt(task: SegmentTask, changes: AttemptChanges): SegmentTask {
  const next: SegmentTask = { ...task, encode: { ...task.encode } };
  if (changes.threads !== undefined) next.encode.threads = changes.threads;
  if (changes.timeoutMs) next.timeoutMs = changes.timeoutMs;
  // A fixed CRF has no rung to apply: its ladder tries the same settings again.
  if (changes.rung && task.crf.kind === 'target') next.crf = { ...task.crf, rung: changes.rung };
  return next;
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The longest frame interval in a segment: how far its encoded duration may drift. */
function maxInterval(timeline: FrameTimeline, segment: PlannedSegment): number {
  let max = 0;
  const { pts } = timeline;
  const last = segment.startFrame + segment.frames;
  for (let i = segment.startFrame + 1; i < last; i++) max = Math.max(max, pts[i]! - pts[i - 1]!);
  return Math.max(max, timeline.lastFrameSeconds, segment.endSeconds - pts[last - 1]!);
}

/** Search settings a fixed CRF never reads, filled with the catalogue's defaults so crf/ gets one options shape. */
const UNREAD_SEARCH_SETTINGS: SearchSettings = searchSettingsSchema.parse({});

/** The options the CRF stage reads (crf/crf-strategy.ts's CrfOptions), from a task's policy. */
export function crfOptionsOf(task: SegmentTask): CrfOptions {
  const input = task.source.path;
  if (task.crf.kind === 'fixed') return { ...UNREAD_SEARCH_SETTINGS, input, crf: task.crf.crf, targetVmaf: undefined };
  const { kind: _kind, rung: _rung, ...search } = task.crf;
  return { ...search, input, crf: undefined };
}

/** The retry rung a task's attempt runs with (undefined: the first attempt's settings). */
export function rungOf(task: SegmentTask): RetryAttempt | undefined {
  return task.crf.kind === 'target' ? task.crf.rung : undefined;
}
