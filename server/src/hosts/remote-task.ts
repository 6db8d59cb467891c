import { z } from 'zod';
import { segmentTaskSchema } from '../job';
import { metricScoresSchema } from '../../../common/quality-target-schema';
import type { CrfLabel, CrfMemory, RemoteLearnt, WindowFeature } from '../crf';

/**
 * What travels with a remote segment, besides the segment copy: the envelope the worker reads
 * (`remote/ID.job.json`), which carries the segment's task unchanged (job/segment-task.ts, with
 * this attempt's rung, threads and time-out already in it) and, for target quality, what the job's
 * CRF predictor knows (crf/remote-label.ts: the host predicts the segment's CRF from it and takes
 * the final-encode-first path), and the result it sends back (`remote/ID.result.json`), with the
 * label the host learnt. Both sides parse them with these schemas, after checking the wire version:
 * a file of another version is refused in one line (parseRemoteTask, parseRemoteResult).
 *
 * Version 3: the envelope's `crfMemory`, the result's `version`, `encodes` and `learnt`.
 */
export const REMOTE_TASK_VERSION = 3;

const windowFeatureSchema = z.object({ vmaf: z.number(), bitsPerPixel: z.number() }) satisfies z.ZodType<WindowFeature>;

/** A predictor label (crf/crf-predictor.ts), with its content fingerprint when it was measured. */
export const crfLabelSchema = z.object({
  segment: z.number().int().nonnegative(),
  bitsPerPixel: z.number(),
  sceneScore: z.number().optional(),
  window: windowFeatureSchema.optional(),
  crf: z.number(),
  predicted: z.number().optional(),
}) satisfies z.ZodType<CrfLabel>;

const crfMemorySchema = z.object({
  labels: z.array(crfLabelSchema),
  slopes: z.array(z.number()),
  history: z.array(z.string()),
}) satisfies z.ZodType<CrfMemory>;

const remoteLearntSchema = z.object({ label: crfLabelSchema.optional(), slopes: z.array(z.number()) }) satisfies z.ZodType<RemoteLearnt>;

export const remoteTaskSchema = z.object({
  version: z.literal(REMOTE_TASK_VERSION),
  id: z.string().regex(/^[0-9]{1,6}-[0-9]{1,4}$/),
  task: segmentTaskSchema,
  /** Target quality: the job's labels, slopes and this segment's earlier attempts when it left. */
  crfMemory: crfMemorySchema.optional(),
});
export type RemoteTask = z.output<typeof remoteTaskSchema>;

const probeSchema = z.object({ crf: z.number(), vmaf: z.number(), bytes: z.number(), seconds: z.number() });

export const remoteResultSchema = z.discriminatedUnion('ok', [
  z.object({
    version: z.literal(REMOTE_TASK_VERSION),
    ok: z.literal(true),
    crf: z.number(),
    vmaf: z.number().optional(),
    /** Every metric measured at the host's verification (issue 25: the target metric and --also-score). */
    scores: metricScoresSchema.optional(),
    probes: z.array(probeSchema),
    warning: z.string().optional(),
    unreachable: z.string().optional(),
    predictedCrf: z.number().optional(),
    /** SVT-AV1 runs over the segment on the host (run-segment-task.ts's count). */
    encodes: z.number().int().nonnegative().optional(),
    /** What the host's CRF state learnt from the segment (its label with its fingerprint, its slope). */
    learnt: remoteLearntSchema.optional(),
    bytes: z.number().int().nonnegative(),
    frames: z.number().int().nonnegative(),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    encodeSeconds: z.number(),
    peakRssBytes: z.number().optional(),
    /** The host's own name for itself (for logs; the manifest records GNU parallel's sshlogin). */
    hostname: z.string(),
  }),
  z.object({
    version: z.literal(REMOTE_TASK_VERSION),
    ok: z.literal(false),
    error: z.string(),
    /** Set when the encode ran but its result was wrong (SegmentValidationError on the host). */
    problems: z.array(z.string()).optional(),
    hostname: z.string(),
  }),
]);
export type RemoteResult = z.infer<typeof remoteResultSchema>;

const wireVersionSchema = z.object({ version: z.number().int() });

/** The worker's envelope from its JSON text; another wire version, or a malformed one, is one line naming `file`. */
export function parseRemoteTask(text: string, file: string): RemoteTask {
  return parseWire(remoteTaskSchema, text, file);
}

/** A worker's result from its JSON text; another wire version, or a malformed one, is one line naming `what`. */
export function parseRemoteResult(text: string, what: string): RemoteResult {
  return parseWire(remoteResultSchema, text, what);
}

function parseWire<T extends z.ZodType>(schema: T, text: string, what: string): z.output<T> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`${what} is not JSON`);
  }
  const versioned = wireVersionSchema.safeParse(data);
  const version = versioned.success ? versioned.data.version : undefined;
  if (version !== REMOTE_TASK_VERSION) {
    throw new Error(
      `${what} is ${version === undefined ? 'of an unversioned wire format' : `wire version ${version}`}; this build reads version ${REMOTE_TASK_VERSION} only (the two ends run different builds of chunked-av1)`,
    );
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${what} is malformed: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}
