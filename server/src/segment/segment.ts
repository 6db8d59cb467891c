import { rename, unlink } from 'node:fs/promises';
import pLimit from 'p-limit';
import { runProcess } from '../sys';
import type { Tools } from '../sys';
import type { PlannedSegment } from '../plan';
import { segmentCopyArgs, type SegmentCopyContainer } from '../encode';
import { parsePacketLines } from '../probe';
import { packetListArgs } from '../probe';

/**
 * Writes segments/segment_NNN.mkv: a stream copy of the source's video around one segment (see
 * segmentCopyArgs), under a temporary name renamed once ffmpeg succeeded. Whether it holds every
 * planned frame is checked (segmentCopyProblem) at the start of each encode attempt, which also
 * catches a copy damaged after it was written.
 */
export async function writeSegmentCopy(
  tools: Tools,
  source: string,
  videoIndex: number,
  segment: PlannedSegment,
  target: string,
  options: {
    signal?: AbortSignal;
    log?: (argv: readonly string[]) => void;
    sourceUnchanged?: () => Promise<void>;
    container?: SegmentCopyContainer;
  } = {},
): Promise<void> {
  const temp = target.replace(/\.mkv$/, '.tmp.mkv');
  try {
    // Checked on both sides of the read: a copy is kept only if the source was the same file throughout.
    await options.sourceUnchanged?.();
    await runProcess(tools.ffmpeg, segmentCopyArgs(source, videoIndex, segment, temp, options.container), {
      signal: options.signal,
      log: options.log,
    });
    await options.sourceUnchanged?.();
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** Why a segment copy cannot give its worker the planned frames, or undefined. Reads packets only. */
export async function segmentCopyProblem(
  tools: Tools,
  file: string,
  segment: PlannedSegment,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const out = await runProcess(tools.ffprobe, packetListArgs(file), { signal });
  // Discarded lead-in packets (a MOV copy of an edit-listed source) are decoded, never shown: the
  // copy starts at a keyframe when its first packet, discarded or not, is one.
  const packets = parsePacketLines(out.stdout, { keepDiscarded: true });
  if (!packets?.some((p) => p.pts !== -Infinity)) return 'has no timestamped packets';
  if (!packets[0]!.key) return 'does not start at a keyframe';
  const inside = packets.filter((p) => p.pts >= segment.keepFromSeconds && p.pts < segment.keepToSeconds).length;
  if (inside !== segment.frames) return `holds ${inside} of the segment's ${segment.frames} frames`;
  return undefined;
}

/** Segment copies being made in the background, in plan order. */
export interface SegmentCopies {
  /** Waits for this segment's copy: undefined when it is there, else why it failed. Rejects on a fatal error. */
  failure(index: number): Promise<string | undefined>;
  /** Copies not started yet are skipped; resolves once none is running. */
  finish(): Promise<void>;
  /** Throws the first fatal copy error (cancellation, full disk), if any. */
  rethrowFatal(): Promise<void>;
}

/** The copies' parallelism: I/O bound, enough to stay ahead of the encoders. */
const COPIES_AT_ONCE = 2;

/**
 * Starts every segment's copy (COPIES_AT_ONCE at a time, in the order given: the order the
 * segments start encoding) so encodes can start on the first copies while later ones are made.
 * A copy that fails for a reason of its own (a damaged region of the source) is that segment's
 * failure; `isFatal` errors reject and stop the job.
 */
export function startSegmentCopies(
  tools: Tools,
  source: string,
  videoIndex: number,
  segments: readonly PlannedSegment[],
  target: (index: number) => string,
  options: {
    signal?: AbortSignal;
    isFatal: (error: unknown) => boolean;
    describe: (error: unknown) => string;
    /** Throws (a fatal error) when the source is no longer the file the job started from. */
    sourceUnchanged?: () => Promise<void>;
    container?: SegmentCopyContainer;
  },
): SegmentCopies {
  const limit = pLimit(COPIES_AT_ONCE);
  let stopped = false;
  const copies = new Map(
    segments.map((segment) => [
      segment.index,
      limit(async (): Promise<string | undefined> => {
        // No worker takes this segment any more (the job was cancelled, halted or failed).
        if (stopped) return 'not copied: the job stopped first';
        try {
          await writeSegmentCopy(tools, source, videoIndex, segment, target(segment.index), {
            signal: options.signal,
            ...(options.sourceUnchanged ? { sourceUnchanged: options.sourceUnchanged } : {}),
            container: options.container,
          });
          return undefined;
        } catch (error) {
          if (options.isFatal(error)) throw error;
          return options.describe(error);
        }
      }),
    ]),
  );
  // Handled here, so a fatal copy no worker awaited is no unhandled rejection (rethrowFatal reports it).
  const settled = Promise.allSettled(copies.values());
  return {
    failure: (index) => copies.get(index) ?? Promise.resolve('was not planned for copying'),
    finish: async () => {
      stopped = true;
      await settled;
    },
    rethrowFatal: async () => {
      const fatal = (await settled).find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (fatal) throw fatal.reason;
    },
  };
}
