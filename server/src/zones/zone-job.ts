import type { EncodeOptions } from '../../../common/options';
import { UserError } from '../errors';
import type { FrameTimeline, SceneScore } from '../probe';
import { sceneLimits, type SegmentPlan } from '../plan';
import { checkZones, type ZoneFacts } from './zone-resolve';
import { describeSnap, planWithZones, plainPlan, sceneCutFrames, zoneOptionProblems } from './zone-plan';
import type { ZoneProblem } from './zone-syntax';
import { findZonesFile, type ZonesFile } from './zones-file';

type Log = (level: 'debug' | 'info' | 'warn', message: string) => void;

/** `FILE:LINE:COL: message`, as compilers write it (1-based). */
export function problemLine(file: string, problem: ZoneProblem): string {
  return `${file}:${problem.line + 1}:${problem.start + 1}: ${problem.message}`;
}

/** The video's facts a zones file is checked against, from what the probe and the detection found. */
export function zoneFacts(
  timeline: FrameTimeline,
  chapters: ZoneFacts['chapters'],
  options: EncodeOptions,
  scores: SceneScore[] | undefined,
): ZoneFacts {
  return {
    pts: timeline.pts,
    lastFrameSeconds: timeline.lastFrameSeconds,
    chapters,
    segments: plainPlan(timeline, options, scores).segments,
    minSegmentSeconds: sceneLimits(options).minSeconds,
    ...(scores ? { sceneCuts: sceneCutFrames(options, scores) } : {}),
  };
}

function refuseErrors(zones: ZonesFile, problems: ZoneProblem[]): ZoneProblem[] {
  const sorted = [...problems].sort((a, b) => a.line - b.line || a.start - b.start);
  const errors = sorted.filter((p) => p.severity === 'error');
  if (errors.length) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem(s) in the file)` : '';
    throw new UserError(`${problemLine(zones.file, errors[0]!)}${more}`, zones.file);
  }
  return sorted;
}

/**
 * The job's zones file (--zones, or found beside the input), checked against what the probe found
 * before the work directory is made: every error but a `segment N` the plan does not have (the plan
 * needs the scene detection) stops the run here, in one line.
 */
export async function readJobZones(
  input: string,
  options: EncodeOptions,
  timeline: FrameTimeline,
  chapters: ZoneFacts['chapters'],
  log: Log,
): Promise<ZonesFile | undefined> {
  const zones = await findZonesFile(input, options.zones);
  if (!zones) return undefined;
  if (zones.discovered) log('info', `using zones from ${zones.file}`);
  const facts: ZoneFacts = { pts: timeline.pts, lastFrameSeconds: timeline.lastFrameSeconds, chapters };
  const checked = checkZones(zones.text, facts);
  refuseErrors(zones, [...checked.problems, ...zoneOptionProblems(options, checked.zones)]);
  return zones;
}

/**
 * The job's plan with its zones: the file checked against the video and the options (the first
 * error stops the job in one line naming FILE:LINE:COL; warnings are logged), each snap reported.
 */
export function zonedPlan(
  zones: ZonesFile,
  timeline: FrameTimeline,
  chapters: ZoneFacts['chapters'],
  options: EncodeOptions,
  scores: SceneScore[] | undefined,
  log: Log,
): SegmentPlan {
  const checked = checkZones(zones.text, zoneFacts(timeline, chapters, options, scores));
  const problems = refuseErrors(zones, [...checked.problems, ...zoneOptionProblems(options, checked.zones)]);
  for (const problem of problems) if (problem.severity === 'warning') log('warn', problemLine(zones.file, problem));
  const { plan, snaps } = planWithZones(timeline, options, scores, checked.zones);
  for (const snap of snaps) log('info', `zones: ${describeSnap(snap)}`);
  log(
    'info',
    `zones: ${checked.zones.length} zone(s), ${plan.segments.filter((s) => s.zone).length} of ${plan.segments.length} segment(s) in a zone`,
  );
  return plan;
}
