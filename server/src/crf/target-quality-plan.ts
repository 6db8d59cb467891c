import { createHash } from 'node:crypto';
import type { Probe } from '../../../common/events';
import type { VideoEncodeSettings } from '../encode';
import { stableJson } from './quality-cache';
import type { SamplePlan } from './samples';
import type { SearchRun } from './search';
import { VMAF_SCALE, type MetricScale } from './metric-scale';
import { METRICS, type MetricName } from '../../../common/quality-metric';

/**
 * The decisions of target quality that need no process: which settings the probes use, whether a
 * probe can be trusted as the whole segment's measurement or kept as its output, which warm start
 * the search gets, what to warn about, and whether a verified score is a miss. The driver
 * (target-quality.ts) runs the encodes and measurements these decisions ask for; what to probe
 * next is search.ts.
 */

/** How far under the target a verified segment may land before it counts as a miss. */
export const VERIFY_MARGIN = 0.5;

export type SegmentSettings = Omit<VideoEncodeSettings, 'crf'>;

export function shortHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 16);
}

/** The probes' settings: the final ones, or the same at --probe-preset. */
export function probeSettingsFor(settings: SegmentSettings, probePreset: 'same' | number): SegmentSettings {
  return probePreset === 'same' ? settings : { ...settings, preset: probePreset };
}

/** Probes encode exactly as the final encode does (so a full-pass probe can be the output, and its score the verification). */
export function probesAreExact(settings: SegmentSettings, probeSettings: SegmentSettings): boolean {
  return probeSettings.preset === settings.preset;
}

/** Threads change speed, not the bitstream: kept out of keys so a re-run with another worker count still hits the cache. */
export function settingsIdentity(settings: SegmentSettings): unknown {
  const { threads: _threads, ...rest } = settings;
  return rest;
}

/**
 * A full-pass reference decoded from the source (no lossless cut) is worth it only with the built-in
 * engine and when its scored frames stay kept between probes: decoding the source again for every
 * probe can cost more than the cut.
 */
export function useUncutReference(input: {
  plan: SamplePlan;
  builtinVmaf: boolean;
  segmentFrames: number;
  subsample: number;
  width: number;
  height: number;
  bitDepth: number;
  keptLimitBytes: number;
}): boolean {
  const keptBytes = Math.ceil(input.segmentFrames / input.subsample) * input.width * input.height * (input.bitDepth > 8 ? 2 : 1);
  return input.plan.fullPass && input.builtinVmaf && keptBytes <= input.keptLimitBytes;
}

export interface SearchScopeInput {
  target: number;
  minCrf: number;
  maxCrf: number;
  settings: SegmentSettings;
  probeSettings: SegmentSettings;
  vmafSettings: unknown;
  plan: SamplePlan;
}

/**
 * Neighbours' CRFs only help when they were found for the same question (`scope`); a segment decided
 * before (a re-run or resume) replays its own warm start under `replayScope` (same samples too).
 */
export function searchScopes(input: SearchScopeInput): { scope: string; replayScope: string } {
  const exact = probesAreExact(input.settings, input.probeSettings);
  const scope = shortHash({
    target: input.target,
    minCrf: input.minCrf,
    maxCrf: input.maxCrf,
    settings: settingsIdentity(input.settings),
    ...(exact ? {} : { probe: settingsIdentity(input.probeSettings) }),
    vmaf: input.vmafSettings,
  });
  return { scope, replayScope: `${scope}/${shortHash(input.plan)}` };
}

/** The warm start: none when turned off, the segment's own earlier one when replayed, else its neighbours' CRFs. */
export function chooseWarmStart(input: { disabled: boolean; replayed?: number[]; neighbours: number[] }): number[] {
  if (input.disabled) return [];
  return input.replayed ?? input.neighbours;
}

/** The probes as the user reads them, in the target metric (a probe's `vmaf` field holds that metric's score). */
export function describeProbes(probes: readonly Probe[], metric: MetricName = 'vmaf'): string {
  const label = METRICS[metric].label;
  return probes.map((p) => `CRF ${p.crf} → ${label} ${p.vmaf.toFixed(2)} (${p.bytes} B)`).join(', ') || 'none';
}

/** One attempt's line in the miss message (every attempt of the segment is listed there). */
export function attemptLine(attempt: number, label: string, target: number, probes: readonly Probe[], metric: MetricName = 'vmaf'): string {
  return `attempt ${attempt} (${label}, target ${target}): ${describeProbes(probes, metric)}`;
}

export interface WarningInput {
  segment: number;
  target: number;
  minCrf: number;
  run: Pick<SearchRun, 'crf' | 'vmaf' | 'reached'>;
  /** The probe at the chosen CRF, when the search measured it. */
  chosen?: Pick<Probe, 'vmaf' | 'bytes'>;
  /** The segment copy's bytes scaled to the frames the probes encoded. */
  sourceBytes: number;
  maxEncodedPercent: number;
  /** The target metric (default VMAF): the words and the flag the user is pointed to. */
  metric?: MetricName;
}

/** What the user is told about a decision: an unreachable target, an encode larger than the limit share of its source. */
export function decisionWarnings(input: WarningInput): string[] {
  const { segment, target, run } = input;
  const metric = input.metric ?? 'vmaf';
  const label = METRICS[metric].label;
  const targetFlag = metric === 'vmaf' ? '--target-vmaf' : '--target';
  const warnings: string[] = [];
  if (!run.reached) {
    warnings.push(
      `segment ${segment}: ${label} ${target} is out of reach even at --min-crf ${input.minCrf} (${label} ${run.vmaf.toFixed(2)} there); lower --min-crf or ${targetFlag}`,
    );
  }
  if (input.chosen) {
    const percent = (100 * input.chosen.bytes) / Math.max(1, input.sourceBytes);
    if (percent > input.maxEncodedPercent) {
      warnings.push(
        `segment ${segment}: at CRF ${run.crf} (${label} ${input.chosen.vmaf.toFixed(2)}) the encode is ${percent.toFixed(0)}% of the source's size, over --max-encoded-percent ${input.maxEncodedPercent}; encoded anyway. The source is already compact here: lower ${targetFlag}, or raise --max-encoded-percent to silence this`,
      );
    }
  }
  return warnings;
}

/**
 * A probe's encode is the segment's output, and its score the verification, only when it ran the
 * final encode's very command over the whole segment (SVT-AV1 is deterministic).
 */
export function probeIsFinalEncode(plan: SamplePlan, exactProbes: boolean): boolean {
  return plan.fullPass && exactProbes;
}

/** The message of a verified miss, or undefined when the score is within the margin. */
export function verifiedMiss(input: {
  segment: number;
  crf: number;
  vmaf: number;
  target: number;
  history: readonly string[];
  scale?: MetricScale;
}): string | undefined {
  const scale = input.scale ?? VMAF_SCALE;
  if (input.vmaf >= input.target - scale.below) return undefined;
  const label = METRICS[scale.metric].label;
  return `segment ${input.segment}: verified ${label} ${input.vmaf.toFixed(2)} at CRF ${input.crf} is under the target ${input.target} by more than ${scale.below}; observations: ${input.history.join(' | ')}`;
}
