import { stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { SegmentCrfContext } from './crf-strategy';
import type { CrfJobState } from './crf-job-state';
import { encodeSegment } from '../encode';
import { segmentFilter } from '../encode';
import type { Probe } from '../../../common/events';
import { runProcess } from '../sys';
import { measurementKey, stableJson, type QualityCache } from './quality-cache';
import { planSamples, sampleCutArgs, sampleEncodeArgs, type SamplePlan } from './samples';
import { settingsIdentity, type SegmentSettings } from './target-quality-plan';
import { describeVmafInput, measureVmaf, VmafReferenceCache, type VmafInputInfo, type VmafPool } from '../vmaf';
import { measureOtherMetric } from './metric-measure';
import type { MetricScale } from './metric-scale';

/**
 * The process side of one segment's search: cut the lossless reference, encode a probe, measure
 * VMAF against the reference (cached in the work dir). target-quality.ts drives these.
 */

export interface SegmentSearch {
  ctx: SegmentCrfContext;
  job: CrfJobState;
  /** The final encode's settings. */
  settings: SegmentSettings;
  /** The probes' settings: the final ones, or the same at --probe-preset. */
  probeSettings: SegmentSettings;
  /** Probes encode exactly as the final encode does (a full-pass probe can be the output). */
  exactProbes: boolean;
  cache: QualityCache;
  dir: string;
  plan: SamplePlan;
  target: number;
  identity: { source: string; keepFrom: number; keepTo: number };
  encoder: string;
  /**
   * How the target metric is measured (the cache keys hold it): VMAF's settings as before issue 25;
   * another metric adds its name, and `pool` is then the target's pool.
   */
  vmafSettings: { subsample: number; pool: string; engine: string; vmafFfmpeg?: string; metric?: string };
  /** The target metric's search scale and band (metric-scale.ts). */
  scale: MetricScale;
  referenceReady?: Promise<Intermediate>;
  /** The reference's decoded scored frames and motion, shared by this segment's probes (built-in engine). */
  referenceCache: VmafReferenceCache;
  /** Full pass measured by the built-in engine with the reference kept: no lossless cut of the segment. */
  uncutReference: boolean;
  /** The built-in engine measures (not libvmaf, which needs its reference as a file). */
  builtinVmaf: boolean;
  throughFilterReady?: Promise<Intermediate>;
  /** Full-pass probes' scored frames by CRF (index, VMAF): the verification of a reused probe reports them. */
  scoredFrames?: Map<number, ScoredFrame[]>;
}

/** A scored frame as the manifest keeps it: index from the segment's first frame, VMAF to 2 decimals (small). */
export interface ScoredFrame {
  index: number;
  vmaf: number;
}

export function keptFrames(frames: readonly { index: number; vmaf: number }[]): ScoredFrame[] {
  return frames.map((f) => ({ index: f.index, vmaf: Math.round(f.vmaf * 100) / 100 }));
}

/** A lossless intermediate this module cut, with its video stream as ffprobe saw it (probed once). */
export interface Intermediate {
  file: string;
  info: VmafInputInfo;
}

/** The lossless reference of the samples (or of the whole segment for a full pass), cut once. */
export function reference(search: SegmentSearch): Promise<Intermediate> {
  search.referenceReady ??= (async () => {
    const { ctx, settings, plan, dir } = search;
    const file = path.join(dir, plan.fullPass ? 'segment-reference.mkv' : 'samples-reference.mkv');
    await runProcess(ctx.tools.ffmpeg, sampleCutArgs(ctx.sourceFile, ctx.segment, plan, settings, ctx.media.video.frameRate, file), {
      signal: ctx.signal,
      stdout: 'ignore',
    });
    return { file, info: await describeOnce(search, file) };
  })();
  return search.referenceReady;
}

/**
 * Every intermediate and encode of one source's segments goes through the same crop and pixel
 * format (and the source's own rotation), so they share size and pixel format: described once per job.
 */
function describeOnce(search: SegmentSearch, file: string): Promise<VmafInputInfo> {
  const { ctx, settings, identity } = search;
  const key = stableJson({
    source: identity.source,
    evenCrop: settings.evenCrop,
    crop: settings.crop ?? null,
    turn: settings.turn ?? 0,
    pixelFormat: settings.pixelFormat,
  });
  return search.job.describe(key, () => describeVmafInput(file, { tools: ctx.tools, signal: ctx.signal }));
}

/**
 * VMAF of one of our encodes against the intermediate it was made from. The encode holds the
 * same frames (same filter, or encoded from the intermediate itself) at the same pixel format
 * (ffvhuff and SVT-AV1 both take the two formats --pixel-format allows), so the intermediate's
 * probe describes both and no ffprobe runs per measurement.
 */
export function measureAgainst(
  search: SegmentSearch,
  ref: Intermediate,
  encoded: string,
  referenceCache?: VmafReferenceCache,
): Promise<{ score: number; frames: { index: number; vmaf: number }[] }> {
  const { ctx, vmafSettings } = search;
  const metric = search.scale.metric;
  if (metric !== 'vmaf') {
    // The other metrics read their reference from a file (segmentThroughFilter is VMAF's built-in engine only).
    if (ref.info.through) throw new Error(`${metric}: the reference must be a file, not the segment through its filter`);
    return measureOtherMetric(metric, ref.file, encoded, {
      pool: vmafSettings.pool,
      subsample: vmafSettings.subsample,
      tools: ctx.tools,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  }
  const { width, height, pixFmt } = ref.info;
  return measureVmaf(ref.file, encoded, {
    subsample: vmafSettings.subsample,
    pool: vmafSettings.pool as VmafPool,
    engine: ctx.options.vmafEngine,
    signal: ctx.signal,
    tools: ctx.tools,
    inputs: { reference: ref.info, distorted: { width, height, pixFmt } },
    referenceCache,
  });
}

/**
 * The whole segment as its encode sees it, decoded from the segment copy through the very filter
 * of sampleCutArgs (same frames, same conversion) instead of cut to a lossless file first: the cut
 * cost an ffvhuff encode of every frame (0.75 CPU s per 7 s 640x360 segment) and a decode of it.
 * Built-in engine only. Described by an encode of it (same filter, same pixel format).
 */
export function segmentThroughFilter(search: SegmentSearch, encoded: string): Promise<Intermediate> {
  search.throughFilterReady ??= (async () => {
    const { ctx, settings } = search;
    const info = await describeOnce(search, encoded);
    return {
      file: ctx.sourceFile,
      info: { ...info, through: { inputOptions: ['-copyts'], filter: segmentFilter(ctx.segment, settings) } },
    };
  })();
  return search.throughFilterReady;
}

/** A probe's cache key: what was sampled, the encoder, the probe settings, the CRF, the VMAF settings. */
export function probeKey(search: SegmentSearch, crf: number): string {
  return measurementKey({
    sample: { ...search.identity, ranges: search.plan.ranges, fullPass: search.plan.fullPass },
    encoder: search.encoder,
    settings: settingsIdentity(search.probeSettings),
    crf,
    vmaf: search.vmafSettings,
  });
}

/**
 * The key of a final encode's whole-segment measurement: keyed like a probe of the whole segment
 * (SVT-AV1 is deterministic for the same settings; the file's own hash would differ run to run,
 * Matroska writes a random segment UID).
 */
export function verifyKey(search: SegmentSearch, crf: number): string {
  return measurementKey({
    sample: { ...search.identity, verify: true },
    encoder: search.encoder,
    settings: settingsIdentity(search.settings),
    crf,
    vmaf: search.vmafSettings,
  });
}

/** Encode the samples (or the whole segment) at one CRF and measure them; cached measurements are not redone. */
export async function measureProbe(search: SegmentSearch, crf: number, fresh: Probe[]): Promise<Probe> {
  const { ctx, probeSettings: settings, cache, plan, dir } = search;
  const key = probeKey(search, crf);
  const output = path.join(dir, `probe-crf${crf}.mkv`);
  const cached = cache.get(key);
  const inMetric = search.scale.metric !== 'vmaf' ? { metric: search.scale.metric } : {};
  if (cached) return { crf, vmaf: cached.vmaf, ...inMetric, bytes: cached.bytes, seconds: cached.seconds };
  const started = performance.now();
  const cut = search.uncutReference ? undefined : await reference(search);
  const encodeSettings = { ...settings, crf };
  if (plan.fullPass) {
    // The final encode's command (at the probe preset), so an exact probe can become the segment's output.
    await encodeSegment(ctx.tools, ctx.sourceFile, ctx.segment, encodeSettings, output, { signal: ctx.signal });
  } else {
    await runProcess(ctx.tools.ffmpeg, sampleEncodeArgs(cut!.file, encodeSettings, output), { signal: ctx.signal, stdout: 'ignore' });
  }
  const bytes = (await stat(output)).size;
  const ref = cut ?? (await segmentThroughFilter(search, output));
  const result = await measureAgainst(search, ref, output, search.referenceCache);
  if (!plan.fullPass) await unlink(output).catch(() => undefined);
  else (search.scoredFrames ??= new Map()).set(crf, keptFrames(result.frames));
  // The reference's picture size goes with the probe: a cropped job is measured on the cropped picture.
  const probe: Probe = {
    crf,
    vmaf: result.score,
    ...inMetric,
    bytes,
    seconds: (performance.now() - started) / 1000,
    referenceWidth: ref.info.width,
    referenceHeight: ref.info.height,
  };
  await cache.putMeasurement({ key, crf, vmaf: probe.vmaf, bytes, seconds: probe.seconds, segment: ctx.segment.index });
  fresh.push(probe);
  return probe;
}

/** The whole segment cut to a lossless file (libvmaf, which reads its reference from a file). */
export async function cutWholeSegment(search: SegmentSearch): Promise<Intermediate> {
  const { ctx, settings, dir } = search;
  const file = path.join(dir, 'segment-reference.mkv');
  const whole = planSamples({
    segmentFrames: ctx.segment.frames,
    frameRate: ctx.media.video.frameRate,
    samples: 1,
    sampleSeconds: Number.MAX_SAFE_INTEGER,
  });
  await runProcess(ctx.tools.ffmpeg, sampleCutArgs(ctx.sourceFile, ctx.segment, whole, settings, ctx.media.video.frameRate, file), {
    signal: ctx.signal,
    stdout: 'ignore',
  });
  return { file, info: await describeOnce(search, file) };
}
