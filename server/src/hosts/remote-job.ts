import { z } from 'zod';
import { encodeOptionsSchema } from '../../../common/options';
import type { MediaInfo } from '../probe';
import type { PlannedSegment } from '../plan';
import type { VideoEncodeSettings } from '../encode';
import type { SegmentExpectation } from '../validate';
import type { RetryAttempt } from '../crf';
import type { InputIdentity } from '../probe';

/**
 * What travels with a remote segment job, besides the segment copy: the job description the
 * worker reads (`remote/ID.job.json`) and the result it sends back (`remote/ID.result.json`).
 * Both sides parse them with these schemas. The options go through the encode options' own
 * schema; the facts this machine measured (media, plan, expectation) are checked for shape.
 */
export const REMOTE_JOB_VERSION = 1;

const objectOf = <T>() =>
  z.custom<T>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'expected an object');

export const remoteJobSchema = z.object({
  version: z.literal(REMOTE_JOB_VERSION),
  id: z.string().regex(/^[0-9]{1,6}-[0-9]{1,4}$/),
  options: encodeOptionsSchema,
  segment: objectOf<PlannedSegment>().refine(
    (s) => Number.isInteger(s.index) && Number.isInteger(s.frames),
    'segment needs index and frames',
  ),
  media: objectOf<MediaInfo>(),
  settings: objectOf<Omit<VideoEncodeSettings, 'crf'>>(),
  expectation: objectOf<SegmentExpectation>().refine((e) => Number.isInteger(e.frames), 'expectation needs frames'),
  rung: objectOf<RetryAttempt>().optional(),
  /** The source's identity (the source stays here): keys the quality cache like a local search. */
  sourceIdentity: objectOf<InputIdentity>().optional(),
  /** The encoder's time-out, worked out here by the local rule (encode/encode-timeout.ts). */
  timeoutMs: z.number().int().positive().optional(),
});
export type RemoteJob = z.output<typeof remoteJobSchema>;
export type RemoteJobInput = z.input<typeof remoteJobSchema>;

const probeSchema = z.object({ crf: z.number(), vmaf: z.number(), bytes: z.number(), seconds: z.number() });

export const remoteResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    crf: z.number(),
    vmaf: z.number().optional(),
    probes: z.array(probeSchema),
    warning: z.string().optional(),
    unreachable: z.string().optional(),
    predictedCrf: z.number().optional(),
    bytes: z.number().int().nonnegative(),
    frames: z.number().int().nonnegative(),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    encodeSeconds: z.number(),
    peakRssBytes: z.number().optional(),
    /** The host's own name for itself (for logs; the manifest records GNU parallel's sshlogin). */
    hostname: z.string(),
  }),
  z.object({
    ok: z.literal(false),
    error: z.string(),
    /** Set when the encode ran but its result was wrong (SegmentValidationError on the host). */
    problems: z.array(z.string()).optional(),
    hostname: z.string(),
  }),
]);
export type RemoteResult = z.infer<typeof remoteResultSchema>;
