import { rename, unlink } from 'node:fs/promises';
import { runProcess } from './processes';
import type { Tools } from './tools';
import type { PlannedSegment } from './plan';
import { segmentCopyArgs } from './encode-args';
import { parsePacketLines } from './frames';

/**
 * Writes segments/segment_NNN.mkv: a stream copy of the source's video around one segment (see
 * segmentCopyArgs), under a temporary name renamed once ffmpeg succeeded. Whether it holds every
 * planned frame is checked (segmentCopyProblem) at the start of each encode attempt, which also
 * catches a copy damaged after it was written.
 */
export async function writeSegmentCopy(
  tools: Tools, source: string, videoIndex: number, segment: PlannedSegment, target: string,
  options: { signal?: AbortSignal; log?: (argv: readonly string[]) => void } = {},
): Promise<void> {
  const temp = target.replace(/\.mkv$/, '.tmp.mkv');
  try {
    await runProcess(tools.ffmpeg, segmentCopyArgs(source, videoIndex, segment, temp), { signal: options.signal, log: options.log });
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** Why a segment copy cannot give its worker the planned frames, or undefined. Reads packets only. */
export async function segmentCopyProblem(tools: Tools, file: string, segment: PlannedSegment, signal?: AbortSignal): Promise<string | undefined> {
  const out = await runProcess(tools.ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,dts_time,duration_time,flags', '-of', 'csv=p=0', '--', file], { signal });
  const packets = parsePacketLines(out.stdout);
  if (!packets?.length) return 'has no timestamped packets';
  if (!packets[0]!.key) return 'does not start at a keyframe';
  const inside = packets.filter((p) => p.pts >= segment.keepFromSeconds && p.pts < segment.keepToSeconds).length;
  if (inside !== segment.frames) return `holds ${inside} of the segment's ${segment.frames} frames`;
  return undefined;
}
