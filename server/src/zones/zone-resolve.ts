import { nearestFrame } from '../probe';
import { nearestName } from '../sys';
import { zoneOverrides, type ZoneOverrides } from './zone-keys';
import { formatClock, parseZonesText, quoteName, type RangeSpec, type ZoneFix, type ZoneLine, type ZoneProblem } from './zone-syntax';

/**
 * A zones file against one video, pure: each zone's range in frames, and every problem the
 * editor underlines and the CLI refuses (errors) or reports (warnings). The video's facts come
 * from the probe (frame times, chapters) and, when known, the plan without zones (segments) and
 * the scene changes.
 */
export interface ZoneFacts {
  /** Presentation time of each frame (display order), as the probe's frame timeline gives it. */
  pts: number[];
  lastFrameSeconds: number;
  chapters: { title?: string; startSeconds: number; endSeconds: number }[];
  /** The segments an encode plans without zones (what `segment N` names). */
  segments?: { index: number; startFrame: number; frames: number }[];
  /** The shortest segment the plan makes (seconds); a shorter zone is warned about. */
  minSegmentSeconds?: number;
  /** First frames of scene changes, when detection ran. */
  sceneCuts?: number[];
  /** How far (seconds) a zone boundary may move to a scene change. */
  snapSeconds?: number;
}

/** How far a zone boundary moves to meet a scene change when one is that close (seconds). */
export const DEFAULT_SNAP_SECONDS = 0.5;

export interface ResolvedZone {
  /** Zone number: its order in the file, from 0. */
  index: number;
  line: number;
  startFrame: number;
  /** One past the zone's last frame. */
  endFrame: number;
  overrides: ZoneOverrides;
  source: ZoneLine;
}

export interface CheckedZones {
  zones: ResolvedZone[];
  problems: ZoneProblem[];
}

function videoEnd(facts: ZoneFacts): number {
  return facts.pts[facts.pts.length - 1]! + facts.lastFrameSeconds;
}

/** The first frame at or after `seconds` from the video's start (the frame count past the end). */
function frameAt(facts: ZoneFacts, seconds: number): number {
  const { pts } = facts;
  const at = pts[0]! + seconds;
  if (at >= videoEnd(facts) - 1e-6) return pts.length;
  return nearestFrame(pts, at);
}

function frameTime(facts: ZoneFacts, frame: number): number {
  return (frame < facts.pts.length ? facts.pts[frame]! : videoEnd(facts)) - facts.pts[0]!;
}

/** A range as frames [start, end), unclamped; or the problem naming it. */
function rangeFrames(range: RangeSpec, facts: ZoneFacts): { start: number; end: number } | ZoneProblem {
  const frames = facts.pts.length;
  switch (range.kind) {
    case 'frames':
      return { start: range.start, end: range.end === 'end' ? frames : range.end };
    case 'times': {
      const past = (seconds: number) => (seconds > videoEnd(facts) - facts.pts[0]! + 1e-3 ? frames + 1 : frameAt(facts, seconds));
      return { start: past(range.start), end: range.end === 'end' ? frames : past(range.end) };
    }
    case 'chapter': {
      const titles = facts.chapters.map((c) => c.title ?? '');
      const chapter = facts.chapters.find((c) => c.title === range.name);
      if (!chapter) {
        const near = nearestName(range.name, titles.filter(Boolean));
        const known = titles.filter(Boolean).map(quoteName).join(', ');
        const problem: ZoneProblem = {
          ...range.nameSpan,
          severity: 'error',
          code: 'unknown-chapter',
          message: `no chapter named ${quoteName(range.name)} in the video${near ? ` (did you mean ${quoteName(near)}?)` : ''}${known ? `; its chapters: ${known}` : '; it has no named chapters'}`,
        };
        if (near) problem.fixes = [{ title: `Change to ${quoteName(near)}`, edits: [{ ...range.nameSpan, text: quoteName(near) }] }];
        return problem;
      }
      return { start: frameAt(facts, chapter.startSeconds - facts.pts[0]!), end: frameAt(facts, chapter.endSeconds - facts.pts[0]!) };
    }
    case 'segment': {
      if (!facts.segments)
        return {
          ...range.span,
          severity: 'warning',
          code: 'segments-unknown',
          message: `segment ${range.index}: the segment plan is not known yet`,
        };
      const segment = facts.segments.find((s) => s.index === range.index);
      if (!segment) {
        return {
          ...range.span,
          severity: 'error',
          code: 'no-segment',
          message: `no segment ${range.index}: the plan has segments 0–${facts.segments.length - 1}`,
        };
      }
      return { start: segment.startFrame, end: segment.startFrame + segment.frames };
    }
  }
}

/** The range text for frames [start, end) in the form the zone used (frames or times). */
export function rangeText(kind: RangeSpec['kind'], start: number, end: number, facts: ZoneFacts): string {
  if (kind === 'times')
    return `${formatClock(frameTime(facts, start))}-${end >= facts.pts.length ? 'end' : formatClock(frameTime(facts, end))}`;
  return `${start}-${end}`;
}

function describe(zone: ResolvedZone): string {
  return `line ${zone.line + 1}`;
}

/** The zones file's text checked against the video: syntax, keys and values, then the ranges. */
export function checkZones(text: string, facts: ZoneFacts): CheckedZones {
  const parsed = parseZonesText(text);
  const problems = [...parsed.problems];
  const frames = facts.pts.length;
  const zones: ResolvedZone[] = [];
  for (const line of parsed.zones) {
    const { overrides, problems: keyProblems } = zoneOverrides(line.overrides);
    problems.push(...keyProblems);
    if (!line.overrides.length) {
      problems.push({
        ...line.range.span,
        severity: 'warning',
        code: 'no-overrides',
        message: 'this zone sets nothing (add key=value, e.g. crf=30)',
      });
    }
    const resolved = rangeFrames(line.range, facts);
    if ('message' in resolved) {
      problems.push(resolved);
      continue;
    }
    const { start } = resolved;
    let { end } = resolved;
    const span = line.range.span;
    if (start >= frames) {
      problems.push({
        ...span,
        severity: 'error',
        code: 'past-end',
        message: `the zone starts after the video's end (${frames} frames, ${formatClock(videoEnd(facts) - facts.pts[0]!)})`,
      });
      continue;
    }
    if (end > frames) {
      problems.push({
        ...span,
        severity: 'error',
        code: 'past-end',
        message: `the zone runs past the video's end (${frames} frames, ${formatClock(videoEnd(facts) - facts.pts[0]!)})`,
        fixes: [{ title: "Clamp to the video's end", edits: [{ ...span, text: rangeText(line.range.kind, start, frames, facts) }] }],
      });
      end = frames;
    }
    if (end <= start) {
      problems.push({
        ...span,
        severity: 'error',
        code: 'empty',
        message: `the zone is empty: its end (frame ${end}) is not after its start (frame ${start})`,
      });
      continue;
    }
    zones.push({ index: zones.length, line: line.line, startFrame: start, endFrame: end, overrides, source: line });
  }
  problems.push(...overlapProblems(zones, facts), ...lengthProblems(zones, facts), ...snapHints(zones, facts));
  return { zones, problems };
}

/** Each zone that overlaps one above it in frame order, with a fix that merges the two. */
function overlapProblems(zones: ResolvedZone[], facts: ZoneFacts): ZoneProblem[] {
  const sorted = [...zones].sort((a, b) => a.startFrame - b.startFrame || a.line - b.line);
  const problems: ZoneProblem[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const zone = sorted[i]!;
    const other = sorted.slice(0, i).find((z) => z.endFrame > zone.startFrame);
    if (!other) continue;
    const [first, second] = other.line < zone.line ? [other, zone] : [zone, other];
    const union = { start: Math.min(first.startFrame, second.startFrame), end: Math.max(first.endFrame, second.endFrame) };
    const keys = new Set(first.source.overrides.map((o) => o.key));
    const carried = second.source.overrides.filter((o) => !keys.has(o.key)).map((o) => `${o.key}=${o.value}`);
    const firstEnd = first.source.overrides.at(-1)?.span.end ?? first.source.range.span.end;
    const fix: ZoneFix = {
      title: `Merge with ${describe(second)}`,
      edits: [
        ...(carried.length ? [{ line: first.line, start: firstEnd, end: firstEnd, text: ` ${carried.join(' ')}` }] : []),
        { ...first.source.range.span, text: rangeText(first.source.range.kind, union.start, union.end, facts) },
        // The second line goes: its text replaced by nothing, the line itself kept (edits stay on their lines).
        { line: second.line, start: 0, end: Number.MAX_SAFE_INTEGER, text: '' },
      ],
    };
    problems.push({
      ...zone.source.range.span,
      severity: 'error',
      code: 'overlap',
      message: `overlaps the zone on ${describe(other)} (frames ${Math.max(zone.startFrame, other.startFrame)}–${Math.min(zone.endFrame, other.endFrame) - 1} are in both)`,
      fixes: [fix],
    });
  }
  return problems;
}

function lengthProblems(zones: ResolvedZone[], facts: ZoneFacts): ZoneProblem[] {
  const min = facts.minSegmentSeconds;
  if (min === undefined) return [];
  return zones.flatMap((zone) => {
    const seconds = frameTime(facts, zone.endFrame) - frameTime(facts, zone.startFrame);
    if (seconds >= min - 1e-3) return [];
    return [
      {
        ...zone.source.range.span,
        severity: 'warning' as const,
        code: 'too-short',
        message: `the zone is ${seconds.toFixed(2)} s, shorter than the minimum segment (${min} s): it becomes a short segment of its own`,
      },
    ];
  });
}

/** The scene change nearest a frame within the snap distance, if it is not that frame. */
export function nearSceneCut(frame: number, facts: ZoneFacts): number | undefined {
  if (!facts.sceneCuts || frame <= 0 || frame >= facts.pts.length) return undefined;
  const limit = facts.snapSeconds ?? DEFAULT_SNAP_SECONDS;
  let best: number | undefined;
  for (const cut of facts.sceneCuts) {
    const distance = Math.abs(frameTime(facts, cut) - frameTime(facts, frame));
    if (distance <= limit + 1e-9 && (best === undefined || distance < Math.abs(frameTime(facts, best) - frameTime(facts, frame))))
      best = cut;
  }
  return best === frame ? undefined : best;
}

/** A hint on each frame-range zone whose boundary is near a scene change, with a fix that moves it there. */
function snapHints(zones: ResolvedZone[], facts: ZoneFacts): ZoneProblem[] {
  return zones.flatMap((zone) => {
    const range = zone.source.range;
    if (range.kind !== 'frames' && range.kind !== 'times') return [];
    const start = nearSceneCut(zone.startFrame, facts) ?? zone.startFrame;
    const end = nearSceneCut(zone.endFrame, facts) ?? zone.endFrame;
    if ((start === zone.startFrame && end === zone.endFrame) || end <= start) return [];
    return [
      {
        ...range.span,
        severity: 'hint' as const,
        code: 'near-scene-cut',
        message: `a scene change is near this zone's ${start !== zone.startFrame ? `start (frame ${start})` : `end (frame ${end})`}: the encode moves the boundary there`,
        fixes: [{ title: 'Snap to the scene cut', edits: [{ ...range.span, text: rangeText(range.kind, start, end, facts) }] }],
      },
    ];
  });
}
