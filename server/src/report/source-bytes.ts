import { ffprobeInput, resolveTools, runProcess, type Tools } from '../sys';
import type { Manifest } from '../job';

/**
 * The source's video bytes over each segment's exact range, for the report's source-against-output
 * bitrate: every video packet whose presentation time falls in [start, end) of a segment counts
 * toward it. Read from packet sizes (no decoding), once, when the report is written.
 */

/** `stream`: the encoded stream's index as the manifest records it (older manifests: the first video stream). */
export function sourcePacketArgs(file: string, stream: number | 'v:0' = 'v:0'): string[] {
  return [
    '-v',
    'error',
    '-select_streams',
    String(stream),
    '-show_entries',
    'packet=pts_time,size,flags',
    '-of',
    'csv=p=0',
    ...ffprobeInput(file),
  ];
}

/** Pure: `pts_time,size,flags` lines → bytes per range (ranges in source seconds, sorted, not overlapping). */
export function bytesPerRange(lines: string, ranges: readonly { startSeconds: number; endSeconds: number }[]): number[] {
  const bytes = ranges.map(() => 0);
  const starts = ranges.map((r) => r.startSeconds);
  for (const line of lines.split('\n')) {
    const [ptsText, sizeText, flags = ''] = line.trim().split(',');
    if (!ptsText || flags.includes('D')) continue;
    const pts = Number(ptsText);
    const size = Number(sizeText);
    if (!Number.isFinite(pts) || !Number.isFinite(size)) continue;
    // The last range that starts at or before pts (binary search: a film has many packets).
    let low = 0;
    let high = starts.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (starts[mid]! <= pts + 1e-6) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    if (found >= 0 && pts < ranges[found]!.endSeconds - 1e-6) bytes[found]! += size;
  }
  return bytes;
}

/** The manifest's segments' source bytes, indexed by segment index; undefined when the source cannot be read. */
export async function measureSourceSegmentBytes(manifest: Manifest, tools: Tools = resolveTools()): Promise<number[] | undefined> {
  try {
    const result = await runProcess(tools.ffprobe, sourcePacketArgs(manifest.input.path, manifest.videoStream));
    const ranges = [...manifest.plan.segments].sort((a, b) => a.startSeconds - b.startSeconds);
    const measured = bytesPerRange(result.stdout, ranges);
    const byIndex: number[] = [];
    ranges.forEach((range, i) => (byIndex[range.index] = measured[i]!));
    return byIndex;
  } catch {
    return undefined;
  }
}
