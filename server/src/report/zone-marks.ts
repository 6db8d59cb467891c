import type { SegmentZoneReport, ZoneRange } from '../../../common/report';
import type { PlannedSegment } from '../plan';
import { ZONE_KEY_SPECS } from '../zones';

/**
 * The zones the report marks on its charts (issue 26): each planned segment's zone as the zones
 * file writes it (`zone 2: target-vmaf=95`), and each zone's whole range over the plan. Pure.
 */

const keyOfOption = new Map(ZONE_KEY_SPECS.flatMap((spec) => (spec.option ? [[spec.option as string, spec.name] as const] : [])));

export function segmentZone(zone: PlannedSegment['zone']): SegmentZoneReport | undefined {
  if (!zone) return undefined;
  const overrides: Record<string, number | string> = {};
  for (const [option, value] of Object.entries(zone.overrides)) {
    if (value === undefined) continue;
    overrides[keyOfOption.get(option) ?? option] = value;
  }
  const settings = Object.entries(overrides).map(([key, value]) => `${key}=${value}`);
  return { index: zone.index, overrides, label: `zone ${zone.index}${settings.length ? `: ${settings.join(' ')}` : ''}` };
}

/** Each zone's range: from its first segment's start to its last one's end (a zone's segments are contiguous). */
export function zoneRanges(planned: readonly PlannedSegment[]): ZoneRange[] {
  const ranges: ZoneRange[] = [];
  for (const segment of [...planned].sort((a, b) => a.startFrame - b.startFrame)) {
    const zone = segmentZone(segment.zone);
    if (!zone) continue;
    const last = ranges.at(-1);
    if (last && last.index === zone.index && last.endFrame === segment.startFrame) {
      last.endFrame = segment.startFrame + segment.frames;
      last.endSeconds = segment.endSeconds;
      last.segments.push(segment.index);
      continue;
    }
    ranges.push({
      ...zone,
      startFrame: segment.startFrame,
      endFrame: segment.startFrame + segment.frames,
      startSeconds: segment.startSeconds,
      endSeconds: segment.endSeconds,
      segments: [segment.index],
    });
  }
  return ranges;
}
