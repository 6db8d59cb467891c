import { z } from 'zod';
import {
  REPORT_VERSION,
  type FrameScores,
  type QualityReport,
  type ReportProbe,
  type ScoredFrame,
  type SegmentReport,
} from '../../../common/report';
import { METRIC_NAMES, type MetricName } from '../../../common/quality-metric';
import type { Manifest, SegmentRecord } from '../job';
import type { PlannedSegment } from '../plan';
import type { recordSchema } from '../crf';
import { jobMetric, jobTarget, knownScores, recordScores, type JobTarget } from './job-metric';
import { segmentZone, zoneRanges } from './zone-marks';

/**
 * The quality report model (issue #15), built from a job's manifest and its quality cache. Pure:
 * no file or process I/O, so the CLI, `encode --report` and the language server all build the
 * same model, and the unit tests build it from recorded manifests.
 */

export type QualityCacheRecord = z.infer<typeof recordSchema>;

/** Facts known outside the manifest: the finished output's size, the run's times. */
export interface ReportFacts {
  outputBytes?: number;
  /** The source's video bytes over each planned segment's exact range, by segment index (see source-bytes.ts). */
  sourceSegmentBytes?: number[];
  wallSeconds?: number;
  cpuSeconds?: number;
}

// `metric` (issue 25): which metric `vmaf` holds, when the search targeted another one.
const probeSchema = z.object({
  crf: z.number(),
  vmaf: z.number(),
  metric: z.enum(METRIC_NAMES).optional().catch(undefined),
  bytes: z.number(),
  seconds: z.number(),
});

/** What other modules keep in a segment record's `extra` that the report shows; anything else is ignored. */
const segmentExtraSchema = z.object({
  probes: z.array(probeSchema).optional().catch(undefined),
  warning: z.string().optional().catch(undefined),
  frameVmaf: z.array(z.number()).optional().catch(undefined),
  // VMAF, and since issue 25 the other metrics' per-frame scores beside it (a frame may lack VMAF).
  scoredFrames: z
    .array(z.object({ index: z.number(), vmaf: z.number().optional(), scores: z.record(z.string(), z.number()).optional() }))
    .optional()
    .catch(undefined),
  prediction: z
    .object({ crf: z.number(), vmaf: z.number().optional(), bytes: z.number().optional(), warning: z.string().optional() })
    .optional()
    .catch(undefined),
  host: z.string().optional().catch(undefined),
  probePreset: z.number().optional().catch(undefined),
  predictedCrf: z.number().optional().catch(undefined),
  encodes: z.number().int().nonnegative().optional().catch(undefined),
});

/** The cache's measurements per segment, latest per CRF, for records whose manifest lost its probes. */
function cachedProbesBySegment(cache: readonly QualityCacheRecord[]): Map<number, ReportProbe[]> {
  const bySegment = new Map<number, Map<number, ReportProbe>>();
  for (const record of cache) {
    if (record.type !== 'measurement' || record.segment === undefined) continue;
    let probes = bySegment.get(record.segment);
    if (!probes) bySegment.set(record.segment, (probes = new Map<number, ReportProbe>()));
    probes.delete(record.crf);
    probes.set(record.crf, { crf: record.crf, vmaf: record.vmaf, bytes: record.bytes, seconds: record.seconds });
  }
  return new Map([...bySegment].map(([segment, probes]) => [segment, [...probes.values()]]));
}

/** Where a score falls against a target whose band is [target − below, target + above] (VMAF's when not given). */
export function bandOf(
  score: number,
  target: number,
  band: { below: number; above: number } = { below: 0.5, above: 2 },
): 'below' | 'within' | 'above' {
  if (score < target - band.below) return 'below';
  if (score > target + band.above) return 'above';
  return 'within';
}

/** The segment's target: its zone's `target-vmaf` in a VMAF job, else the job's. */
function segmentTarget(target: JobTarget | undefined, zone: PlannedSegment['zone']): number | undefined {
  if (!target) return undefined;
  return target.metric === 'vmaf' && zone?.overrides.targetVmaf !== undefined ? zone.overrides.targetVmaf : target.value;
}

/** The verified frames: VMAF ones as before, the other metrics' scores apart (issue 25). */
function verifiedFrames(frames: { index: number; vmaf?: number; scores?: Record<string, number> }[]): {
  scoredFrames?: ScoredFrame[];
  frameScores?: FrameScores[];
} {
  const withVmaf = frames.flatMap((f) => (f.vmaf !== undefined ? [{ index: f.index, vmaf: f.vmaf }] : []));
  const others = frames.flatMap((f) => {
    const scores = knownScores(f.scores);
    if (scores) delete scores.vmaf;
    return scores && Object.keys(scores).length ? [{ index: f.index, scores }] : [];
  });
  return { ...(withVmaf.length ? { scoredFrames: withVmaf } : {}), ...(others.length ? { frameScores: others } : {}) };
}

function segmentReport(
  record: SegmentRecord,
  range: PlannedSegment | undefined,
  target: JobTarget | undefined,
  cachedProbes: ReportProbe[] | undefined,
  sourceBytes: number | undefined,
): SegmentReport {
  const extra = segmentExtraSchema.safeParse(record.extra ?? {});
  const facts = extra.success ? extra.data : {};
  const startSeconds = range?.startSeconds ?? 0;
  const endSeconds = range?.endSeconds ?? startSeconds;
  const done = record.state === 'done';
  const ownTarget = segmentTarget(target, range?.zone);
  const report: SegmentReport = {
    index: record.index,
    state: record.state,
    startFrame: record.startFrame,
    frames: record.frames,
    startSeconds,
    endSeconds,
    probes: facts.probes ?? (done && target !== undefined ? (cachedProbes ?? []) : []),
    attempts: record.attempts,
  };
  if (done && record.crf !== undefined) report.crf = record.crf;
  if (done && facts.predictedCrf !== undefined) report.predictedCrf = facts.predictedCrf;
  if (done && facts.encodes !== undefined) report.encodes = facts.encodes;
  const zone = segmentZone(range?.zone);
  if (zone) report.zone = zone;
  if (ownTarget !== undefined && ownTarget !== target?.value) report.target = ownTarget;
  if (done) {
    if (record.vmaf !== undefined) report.vmaf = record.vmaf;
    const scores = recordScores(record);
    if ((record as { scores?: unknown }).scores !== undefined && scores) report.scores = scores;
    const score = target ? scores?.[target.metric] : undefined;
    if (score !== undefined && target && ownTarget !== undefined)
      report.band = bandOf(score, ownTarget, { below: target.value - target.low, above: target.high - target.value });
  }
  const seconds = endSeconds - startSeconds;
  const kbps = (bytes: number) => (seconds > 0 ? (bytes * 8) / 1000 / seconds : undefined);
  if (done && record.bytes !== undefined) {
    report.bytes = record.bytes;
    const rate = kbps(record.bytes);
    if (rate !== undefined) report.kbps = rate;
  }
  if (sourceBytes !== undefined) {
    report.sourceBytes = sourceBytes;
    const rate = kbps(sourceBytes);
    if (rate !== undefined) report.sourceKbps = rate;
  }
  if (facts.scoredFrames?.length) Object.assign(report, verifiedFrames(facts.scoredFrames));
  // Older records kept the scores alone, one per frame from the segment's first.
  else if (facts.frameVmaf?.length) report.scoredFrames = facts.frameVmaf.map((vmaf, index) => ({ index, vmaf }));
  if (!done && facts.prediction) {
    const { crf, vmaf, bytes, warning } = facts.prediction;
    report.prediction = { crf };
    if (vmaf !== undefined) report.prediction.vmaf = vmaf;
    if (bytes !== undefined) {
      report.prediction.bytes = bytes;
      const rate = kbps(bytes);
      if (rate !== undefined) report.prediction.kbps = rate;
    }
    if (warning) report.prediction.warning = warning;
  }
  if (facts.warning) report.warning = facts.warning;
  if (facts.host) report.host = facts.host;
  if (facts.probePreset !== undefined) report.probePreset = facts.probePreset;
  if (record.state === 'failed' && record.lastError) report.error = record.lastError;
  return report;
}

/** A segment's verified score in the job's metric (VMAF from `vmaf` in records made before `scores`). */
function scoreIn(segment: SegmentReport, metric: MetricName): number | undefined {
  return segment.scores?.[metric] ?? (metric === 'vmaf' ? segment.vmaf : undefined);
}

export function buildQualityReport(manifest: Manifest, cache: readonly QualityCacheRecord[] = [], facts: ReportFacts = {}): QualityReport {
  const jobGoal = jobTarget(manifest);
  const metric = jobMetric(manifest);
  const target = jobGoal?.value;
  const ranges = new Map(manifest.plan.segments.map((s) => [s.index, s]));
  const cached = target !== undefined ? cachedProbesBySegment(cache) : new Map<number, ReportProbe[]>();
  const segments = manifest.segments.map((record) =>
    segmentReport(record, ranges.get(record.index), jobGoal, cached.get(record.index), facts.sourceSegmentBytes?.[record.index]),
  );

  let encodedBytes = 0;
  let encodedSeconds = 0;
  let sourceBytes = 0;
  let predicted = 0;
  let predictedBytes = 0;
  let vmafFrames = 0;
  let vmafSum = 0;
  let min: { vmaf: number; index: number } | undefined;
  const counts = { done: 0, failed: 0, pending: 0, below: 0, above: 0 };
  for (const segment of segments) {
    counts[segment.state]++;
    if (segment.bytes !== undefined) {
      encodedBytes += segment.bytes;
      encodedSeconds += segment.endSeconds - segment.startSeconds;
      if (segment.sourceBytes !== undefined) sourceBytes += segment.sourceBytes;
    }
    if (segment.prediction) {
      predicted++;
      predictedBytes += segment.prediction.bytes ?? 0;
    }
    const score = scoreIn(segment, metric);
    if (score !== undefined) {
      vmafFrames += segment.frames;
      vmafSum += score * segment.frames;
      if (!min || score < min.vmaf) min = { vmaf: score, index: segment.index };
    }
    if (segment.band === 'below') counts.below++;
    if (segment.band === 'above') counts.above++;
  }

  const report: QualityReport = {
    version: REPORT_VERSION,
    input: manifest.input.path,
    output: manifest.output,
    // A search-only run leaves a cancelled job whose segments hold predictions and no encode.
    status: manifest.status === 'cancelled' && predicted > 0 && counts.done + counts.failed === 0 ? 'searched' : manifest.status,
    updatedAt: manifest.updatedAt,
    mode: target !== undefined ? 'target-quality' : 'fixed-crf',
    metric,
    preset: manifest.settings.preset,
    frames: manifest.plan.frames,
    durationSeconds: manifest.plan.durationSeconds,
    startSeconds: manifest.plan.startSeconds,
    totals: {
      segments: segments.length,
      done: counts.done,
      failed: counts.failed,
      pending: counts.pending,
      sourceBytes: manifest.input.size,
      encodedBytes,
    },
    segments,
  };
  // Without a target (fixed CRF) every scored metric is an also-scored one.
  const also = METRIC_NAMES.filter((m) => (!jobGoal || m !== metric) && segments.some((s) => s.scores?.[m] !== undefined));
  if (also.length) report.alsoScored = also;
  if (jobGoal) {
    report.target = { vmaf: jobGoal.value, low: jobGoal.low, high: jobGoal.high };
    if (jobGoal.pool !== undefined) report.target.pool = jobGoal.pool;
  } else if (manifest.settings.crf !== undefined) report.crf = manifest.settings.crf;
  if (encodedSeconds > 0) report.totals.kbps = (encodedBytes * 8) / 1000 / encodedSeconds;
  if (encodedSeconds > 0 && sourceBytes > 0) report.totals.sourceKbps = (sourceBytes * 8) / 1000 / encodedSeconds;
  if (predicted > 0) report.totals.predicted = { segments: predicted, bytes: predictedBytes };
  if (facts.outputBytes !== undefined) report.totals.outputBytes = facts.outputBytes;
  if (facts.outputBytes !== undefined && manifest.input.size > 0) report.totals.saving = 1 - facts.outputBytes / manifest.input.size;
  if (facts.wallSeconds !== undefined) report.totals.wallSeconds = facts.wallSeconds;
  if (facts.cpuSeconds !== undefined) report.totals.cpuSeconds = facts.cpuSeconds;
  if (min && vmafFrames > 0) {
    report.quality = {
      meanVmaf: vmafSum / vmafFrames,
      minVmaf: min.vmaf,
      minSegment: min.index,
      belowBand: counts.below,
      aboveBand: counts.above,
    };
  }
  const zones = zoneRanges(manifest.plan.segments);
  if (zones.length) report.zones = zones;
  return report;
}
