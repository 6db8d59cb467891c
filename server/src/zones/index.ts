/**
 * The zones stage: per-range overrides from a zones file (docs/zones.md). Its grammar, the keys a
 * zone may set (from the option catalogue), the checks against a video's facts, and the plan
 * with the zones' boundaries as cuts. Pure but for finding and reading the file; it sits above
 * plan, whose cutters it runs between the zones' boundaries.
 */
export { parseZonesText, parseClock, formatClock, quoteName, RANGE_FORMS } from './zone-syntax';
export type { LineEdit, OverrideToken, ParsedZones, RangeSpec, Span, ZoneFix, ZoneLine, ZoneProblem, ZoneSeverity } from './zone-syntax';
export { ZONE_KEY_SPECS, joinSvtParams, zoneKeyRange, zoneKeySpec, zoneOverrides, zoneValue } from './zone-keys';
export type { ZoneKeySpec, ZoneOverrides } from './zone-keys';
export { DEFAULT_SNAP_SECONDS, checkZones, nearSceneCut, rangeText } from './zone-resolve';
export type { CheckedZones, ResolvedZone, ZoneFacts } from './zone-resolve';
export { describeSnap, optionsForSegment, planWithZones, plainPlan, sceneCutFrames, zoneOptionProblems } from './zone-plan';
export type { ZonedPlan, ZoneSnap } from './zone-plan';
export { problemLine, readJobZones, zoneFacts, zonedPlan } from './zone-job';
export { findZonesFile, videoForZonesFile, zonesFileCandidates } from './zones-file';
export type { ZonesFile } from './zones-file';
export { formatZones } from './zone-format';
export { importAv1anZones } from './av1an-import';
