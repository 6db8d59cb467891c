import { runProcess } from '../sys';
import type { Tools } from '../sys';
import { frameListArgs, packetListArgs } from './ffprobe-args';
import { buildTimeline, parseFrameLines, parsePacketLines, type FrameTimeline } from './frames';

/**
 * Reads the video stream's frame timeline. Packet flags need no decoding: measured here on a
 * 1080p H.264 clip, `-show_packets` takes a small fraction of `-show_frames` (see README,
 * design-pipeline), so packets are used and decoded frames only when packets lack timestamps.
 */
export async function readTimeline(
  tools: Tools,
  file: string,
  streamIndex: number,
  nominalFrameRate: number,
  signal?: AbortSignal,
): Promise<FrameTimeline & { method: 'packets' | 'frames'; seconds: number }> {
  const started = performance.now();
  const packets = await runProcess(tools.ffprobe, packetListArgs(file, streamIndex), { signal });
  const fromPackets = parsePacketLines(packets.stdout);
  if (fromPackets && fromPackets.length) {
    return { ...buildTimeline(fromPackets, nominalFrameRate), method: 'packets', seconds: (performance.now() - started) / 1000 };
  }
  const frames = await runProcess(tools.ffprobe, frameListArgs(file, streamIndex), { signal });
  return {
    ...buildTimeline(parseFrameLines(frames.stdout), nominalFrameRate),
    method: 'frames',
    seconds: (performance.now() - started) / 1000,
  };
}
