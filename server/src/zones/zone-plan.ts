import type { FrameTimeline, SceneScore } from '../probe';
import { planSegments, splitCuts, type PlanCut, type PlannedSegment, type SegmentPlan, type SplitOptions } from '../plan';
import { encodeOptionsSchema, parseSvtParams, type EncodeOptions } from '../../../common/options';
import { errorMessage } from '../errors';
import { joinSvtParams } from './zone-keys';
import { DEFAULT_SNAP_SECONDS, type ResolvedZone } from './zone-resolve';
import type { ZoneProblem } from './zone-syntax';

/**
 * Zones in the segment plan, pure. Each zone boundary is a cut, moved to the nearest scene change
 * within the snap distance (reported); between boundaries the job's own cutter (--split) places
 * the cuts as it would in a video of that length, so no segment spans two zones. Each segment in
 * a zone records the zone's number and overrides; `optionsForSegment` gives its effective options.
 */
export interface ZoneSnap {
  zone: number;
  line: number;
  edge: 'start' | 'end';
  from: number;
  to: number;
  /** to − from in seconds (signed). */
  seconds: number;
}

export interface ZonedPlan {
  plan: SegmentPlan;
  snaps: ZoneSnap[];
}

export type ZonePlanOptions = SplitOptions & { snapSeconds?: number };

/** The plan an encode makes without zones (what `segment N` in a zones file names). */
export function plainPlan(timeline: FrameTimeline, options: SplitOptions, scores?: SceneScore[]): SegmentPlan {
  return planSegments(timeline, { segmentSeconds: options.segmentSeconds, cuts: splitCuts(timeline, options, scores) });
}

/** Scene-change frames as the scene cutter sees them (scores at or over the threshold). */
export function sceneCutFrames(options: Pick<SplitOptions, 'sceneThreshold'>, scores?: SceneScore[]): number[] {
  return (scores ?? []).filter((s) => s.score >= options.sceneThreshold && s.frame > 0).map((s) => s.frame);
}

/** The frames [from, to) of a timeline as a timeline of their own (the cutters plan inside one zone). */
function subTimeline(timeline: FrameTimeline, from: number, to: number): FrameTimeline {
  const { pts } = timeline;
  return {
    pts: pts.slice(from, to),
    keyframes: timeline.keyframes.filter((k) => k >= from && k < to).map((k) => k - from),
    lastFrameSeconds: to < pts.length ? pts[to]! - pts[to - 1]! : timeline.lastFrameSeconds,
    variableFrameRate: timeline.variableFrameRate,
  };
}

/** Each boundary moved to the nearest scene change within `snapSeconds`, unless that would empty a zone. */
function snapBoundaries(
  timeline: FrameTimeline,
  zones: ResolvedZone[],
  cuts: number[],
  snapSeconds: number,
): { moved: Map<number, number> } {
  const { pts } = timeline;
  const moved = new Map<number, number>();
  const boundaries = new Set(zones.flatMap((z) => [z.startFrame, z.endFrame]).filter((f) => f > 0 && f < pts.length));
  for (const frame of boundaries) {
    let best: number | undefined;
    for (const cut of cuts) {
      const distance = Math.abs(pts[cut]! - pts[frame]!);
      if (distance <= snapSeconds + 1e-9 && (best === undefined || distance < Math.abs(pts[best]! - pts[frame]!))) best = cut;
    }
    if (best !== undefined && best !== frame) moved.set(frame, best);
  }
  // A zone the snap would empty keeps its boundaries where the file put them.
  for (const zone of zones) {
    const start = moved.get(zone.startFrame) ?? zone.startFrame;
    const end = moved.get(zone.endFrame) ?? zone.endFrame;
    if (end <= start) {
      moved.delete(zone.startFrame);
      moved.delete(zone.endFrame);
    }
  }
  return { moved };
}

/** The plan with the zones' boundaries as cuts and each segment's zone. `zones` are checked (no overlap, inside the video). */
export function planWithZones(
  timeline: FrameTimeline,
  options: ZonePlanOptions,
  scores: SceneScore[] | undefined,
  zones: ResolvedZone[],
): ZonedPlan {
  const { pts } = timeline;
  const snapSeconds = options.snapSeconds ?? DEFAULT_SNAP_SECONDS;
  const { moved } = snapBoundaries(timeline, zones, sceneCutFrames(options, scores), snapSeconds);
  const at = (frame: number) => moved.get(frame) ?? frame;
  const snaps: ZoneSnap[] = [];
  for (const zone of zones) {
    for (const edge of ['start', 'end'] as const) {
      const from = edge === 'start' ? zone.startFrame : zone.endFrame;
      const to = at(from);
      if (to !== from) snaps.push({ zone: zone.index, line: zone.line, edge, from, to, seconds: pts[to]! - pts[from]! });
    }
  }
  const placed = zones.map((zone) => ({ zone, start: at(zone.startFrame), end: at(zone.endFrame) }));
  const boundaries = [...new Set(placed.flatMap((z) => [z.start, z.end]))].filter((f) => f > 0 && f < pts.length).sort((a, b) => a - b);
  const cuts: PlanCut[] = [];
  const edges = [0, ...boundaries, pts.length];
  for (let i = 0; i + 1 < edges.length; i++) {
    const from = edges[i]!;
    const to = edges[i + 1]!;
    if (from > 0) cuts.push({ frame: from, reason: 'zone' });
    if (to - from < 2) continue;
    const inside = scores?.filter((s) => s.frame > from && s.frame < to).map((s) => ({ frame: s.frame - from, score: s.score }));
    for (const cut of splitCuts(subTimeline(timeline, from, to), options, inside))
      cuts.push({ frame: cut.frame + from, reason: cut.reason });
  }
  const plan = planSegments(timeline, { segmentSeconds: options.segmentSeconds, cuts });
  for (const segment of plan.segments) {
    const inZone = placed.find((z) => segment.startFrame >= z.start && segment.startFrame < z.end);
    if (inZone) segment.zone = { index: inZone.zone.index, overrides: inZone.zone.overrides };
  }
  return { plan, snaps };
}

/** A snap in the words the run reports it: `zone 2 (line 3): start moved from frame 1200 to the scene cut at 1207 (+0.29 s)`. */
export function describeSnap(snap: ZoneSnap): string {
  const sign = snap.seconds >= 0 ? '+' : '−';
  return `zone ${snap.zone} (line ${snap.line + 1}): ${snap.edge} moved from frame ${snap.from} to the scene cut at frame ${snap.to} (${sign}${Math.abs(snap.seconds).toFixed(2)} s)`;
}

/**
 * A segment's effective options: the job's, with its zone's overrides on top. A zone's crf makes
 * the segment fixed-CRF in a target-quality job and its target-vmaf the other way round; its
 * svt-params are merged key by key with the job's (the zone's value wins).
 */
export function optionsForSegment(options: EncodeOptions, segment: Pick<PlannedSegment, 'zone'>): EncodeOptions {
  const overrides = segment.zone?.overrides;
  if (!overrides || !Object.keys(overrides).length) return options;
  const merged: EncodeOptions = { ...options, ...overrides };
  if (overrides.crf !== undefined) merged.targetVmaf = undefined;
  if (overrides.targetVmaf !== undefined) merged.crf = undefined;
  if (overrides.svtParams !== undefined)
    merged.svtParams = joinSvtParams({ ...parseSvtParams(options.svtParams), ...parseSvtParams(overrides.svtParams) });
  return encodeOptionsSchema.parse(merged);
}

/** Each zone whose overrides do not fit the job's options (a zone min-crf above the job's max-crf). */
export function zoneOptionProblems(options: EncodeOptions, zones: ResolvedZone[]): ZoneProblem[] {
  return zones.flatMap((zone) => {
    try {
      optionsForSegment(options, { zone });
      return [];
    } catch (error) {
      const issues = (error as { issues?: { message: string }[] }).issues;
      const message = issues?.map((i) => i.message.replace(/--/g, '')).join('; ') ?? errorMessage(error);
      return [
        {
          ...zone.source.range.span,
          severity: 'error' as const,
          code: 'job-options',
          message: `with the job's options, this zone gives ${message}`,
        },
      ];
    }
  });
}
