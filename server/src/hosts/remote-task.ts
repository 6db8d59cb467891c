import { z } from 'zod';
import { segmentTaskSchema } from '../job';

/**
 * What travels with a remote segment, besides the segment copy: the envelope the worker reads
 * (`remote/ID.job.json`), which carries the segment's task unchanged (job/segment-task.ts, with
 * this attempt's rung, threads and time-out already in it), and the result it sends back
 * (`remote/ID.result.json`). Both sides parse them with these schemas.
 */
export const REMOTE_TASK_VERSION = 2;

export const remoteTaskSchema = z.object({
  version: z.literal(REMOTE_TASK_VERSION),
  id: z.string().regex(/^[0-9]{1,6}-[0-9]{1,4}$/),
  task: segmentTaskSchema,
});
export type RemoteTask = z.output<typeof remoteTaskSchema>;

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
