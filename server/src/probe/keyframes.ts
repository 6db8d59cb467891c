import { runProcess } from '../sys';
import type { Tools } from '../sys';
import { frameListArgs, timelinePacketArgs } from './ffprobe-args';
import type { TimestampFault } from './timestamp-fault';
import { buildTimeline, parseFrameLines, parseStreamPacketLines, type FrameTimeline } from './frames';

/**
 * Reads the video stream's frame timeline. Packet flags need no decoding: measured here on a
 * 1080p H.264 clip, `-show_packets` takes a small fraction of `-show_frames` (see README,
 * design-pipeline), so packets are used and decoded frames only when packets lack timestamps.
 * The same read counts every stream's packet bytes (the copied streams' share of the output).
 */
export async function readTimeline(
  tools: Tools,
  file: string,
  streamIndex: number,
  nominalFrameRate: number,
  signal?: AbortSignal,
): Promise<
  FrameTimeline & { method: 'packets' | 'frames'; seconds: number; bytesByStream: Map<number, number>; timestampFault?: TimestampFault }
> {
  const started = performance.now();
  const packets = await runProcess(tools.ffprobe, timelinePacketArgs(file), { signal });
  const { frames: fromPackets, bytesByStream, discardedLeadIn, timestampFault } = parseStreamPacketLines(packets.stdout, streamIndex);
  if (fromPackets && fromPackets.length) {
    return {
      ...buildTimeline(fromPackets, nominalFrameRate, { discardedLeadIn }),
      ...(timestampFault ? { timestampFault } : {}),
      method: 'packets',
      seconds: (performance.now() - started) / 1000,
      bytesByStream,
    };
  }
  const frames = await runProcess(tools.ffprobe, frameListArgs(file, streamIndex), { signal });
  return {
    ...buildTimeline(parseFrameLines(frames.stdout), nominalFrameRate),
    method: 'frames',
    seconds: (performance.now() - started) / 1000,
    bytesByStream,
  };
}
