import { createHash } from 'node:crypto';
import { mkdir, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { registerTargetQualityStrategy, type CrfDecision, type SegmentCrfContext } from './crf-strategy';
import { crfGranularity } from './crf-granularity';
import { encodeSegment } from '../encode/encode';
import type { VideoEncodeSettings } from '../encode/encode-args';
import type { Probe } from '../../../common/events';
import { inputIdentity } from '../job/manifest';
import { runProcess } from '../sys/processes';
import { measurementKey, qualityCacheFor, QUALITY_CACHE_FILE, stableJson, type QualityCache } from './quality-cache';
import { applyAttempt } from '../job/retry';
import { planSamples, sampleCutArgs, sampleEncodeArgs, type SamplePlan } from './samples';
import { segmentFilter } from '../encode/encode-args';
import { runSearch, type Observation } from './search';
import { toolCapabilities } from '../sys/tools';
import { chooseVmafEngine, describeVmafInput, measureVmaf, VmafReferenceCache, type VmafInputInfo, type VmafPool } from '../vmaf';
import { bitDepthOfPixelFormat } from '../vmaf/builtin/decode-args';

/**
 * The per-segment target-quality driver: cut the segment's samples once, encode them at the CRFs
 * the search asks for, measure VMAF (cached in the work dir), and hand the pipeline the highest
 * CRF that reaches the target, plus a `verify` step that measures the whole encoded segment.
 * The decisions themselves live in search.ts (pure) and samples.ts (pure).
 */

/** How far under the target a verified segment may land before it counts as a miss. */
export const VERIFY_MARGIN = 0.5;

export class TargetMissedError extends Error {
  constructor(message: string, readonly index: number) {
    super(message);
    this.name = 'TargetMissedError';
  }
}

export interface VerifiedQuality {
  vmaf: number;
}

/** A CRF decision from the search, with the whole-segment check the pipeline runs after encoding. */
export interface TargetQualityDecision extends CrfDecision {
  verify: (encodedFile: string) => Promise<VerifiedQuality>;
}

function shortHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 16);
}

function describeProbes(probes: readonly Probe[]): string {
  return probes.map((p) => `CRF ${p.crf} → VMAF ${p.vmaf.toFixed(2)} (${p.bytes} B)`).join(', ') || 'none';
}

/** Every observation of every attempt per segment, so the final error can list them all. */
const attemptHistory = new Map<string, string[]>();

interface SegmentSearch {
  ctx: SegmentCrfContext;
  /** The final encode's settings. */
  settings: Omit<VideoEncodeSettings, 'crf'>;
  /** The probes' settings: the final ones, or the same at --probe-preset. */
  probeSettings: Omit<VideoEncodeSettings, 'crf'>;
  /** Probes encode exactly as the final encode does (a full-pass probe can be the output). */
  exactProbes: boolean;
  cache: QualityCache;
  dir: string;
  plan: SamplePlan;
  target: number;
  identity: { source: string; keepFrom: number; keepTo: number };
  encoder: string;
  vmafSettings: { subsample: number; pool: string; engine: string; vmafFfmpeg?: string };
  referenceReady?: Promise<Intermediate>;
  /** The reference's decoded scored frames and motion, shared by this segment's probes (built-in engine). */
  referenceCache: VmafReferenceCache;
  /** Full pass measured by the built-in engine with the reference kept: no lossless cut of the segment. */
  uncutReference: boolean;
  /** The built-in engine measures (not libvmaf, which needs its reference as a file). */
  builtinVmaf: boolean;
  throughFilterReady?: Promise<Intermediate>;
}

/** A lossless intermediate this module cut, with its video stream as ffprobe saw it (probed once). */
interface Intermediate {
  file: string;
  info: VmafInputInfo;
}

function settingsIdentity(settings: Omit<VideoEncodeSettings, 'crf'>): unknown {
  // Threads change speed, not the bitstream: keep them out of the key so a re-run with another
  // worker count still hits the cache.
  const { threads: _threads, ...rest } = settings;
  return rest;
}

/** The lossless reference of the samples (or of the whole segment for a full pass), cut once. */
function reference(search: SegmentSearch): Promise<Intermediate> {
  search.referenceReady ??= (async () => {
    const { ctx, settings, plan, dir } = search;
    const file = path.join(dir, plan.fullPass ? 'segment-reference.mkv' : 'samples-reference.mkv');
    await runProcess(ctx.tools.ffmpeg, sampleCutArgs(ctx.sourceFile, ctx.segment, plan, settings, ctx.media.video.frameRate, file), { signal: ctx.signal, stdout: 'ignore' });
    return { file, info: await describeOnce(search, file) };
  })();
  return search.referenceReady;
}

/** Described intermediates and encodes, by source and output filter settings (see describeOnce). */
const described = new Map<string, Promise<VmafInputInfo>>();

/**
 * Every intermediate and encode of one source's segments goes through the same crop and pixel
 * format (and the source's own rotation), so they share size and pixel format: one ffprobe per
 * source and settings, not one per segment (≈ 0.25 CPU s each).
 */
function describeOnce(search: SegmentSearch, file: string): Promise<VmafInputInfo> {
  const { ctx, settings, identity } = search;
  const key = stableJson({ source: identity.source, evenCrop: settings.evenCrop, crop: settings.crop ?? null, pixelFormat: settings.pixelFormat });
  let found = described.get(key);
  if (!found) {
    if (described.size >= 16) described.clear();
    found = describeVmafInput(file, { tools: ctx.tools, signal: ctx.signal });
    described.set(key, found);
    // A failed or cancelled probe is not remembered.
    found.catch(() => { if (described.get(key) === found) described.delete(key); });
  }
  return found;
}

/**
 * VMAF of one of our encodes against the intermediate it was made from. The encode holds the
 * same frames (same filter, or encoded from the intermediate itself) at the same pixel format
 * (ffvhuff and SVT-AV1 both take the two formats --pixel-format allows), so the intermediate's
 * probe describes both and no ffprobe runs per measurement.
 */
function measureAgainst(search: SegmentSearch, ref: Intermediate, encoded: string, referenceCache?: VmafReferenceCache) {
  const { ctx, vmafSettings } = search;
  const { width, height, pixFmt } = ref.info;
  return measureVmaf(ref.file, encoded, {
    subsample: vmafSettings.subsample, pool: vmafSettings.pool as VmafPool, engine: ctx.options.vmafEngine, signal: ctx.signal, tools: ctx.tools,
    inputs: { reference: ref.info, distorted: { width, height, pixFmt } }, referenceCache,
  });
}

/**
 * The whole segment as its encode sees it, decoded from the segment copy through the very filter
 * of sampleCutArgs (same frames, same conversion) instead of cut to a lossless file first: the cut
 * cost an ffvhuff encode of every frame (0.75 CPU s per 7 s 640x360 segment) and a decode of it.
 * Built-in engine only. Described by an encode of it (same filter, same pixel format).
 */
function segmentThroughFilter(search: SegmentSearch, encoded: string): Promise<Intermediate> {
  search.throughFilterReady ??= (async () => {
    const { ctx, settings } = search;
    const info = await describeOnce(search, encoded);
    return { file: ctx.sourceFile, info: { ...info, through: { inputOptions: ['-copyts'], filter: segmentFilter(ctx.segment, settings) } } };
  })();
  return search.throughFilterReady;
}

async function measureProbe(search: SegmentSearch, crf: number, fresh: Probe[]): Promise<Probe> {
  const { ctx, probeSettings: settings, cache, plan, dir } = search;
  const key = probeKey(search, crf);
  const output = path.join(dir, `probe-crf${crf}.mkv`);
  const cached = cache.get(key);
  if (cached) return { crf, vmaf: cached.vmaf, bytes: cached.bytes, seconds: cached.seconds };
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
  const ref = cut ?? await segmentThroughFilter(search, output);
  const result = await measureAgainst(search, ref, output, search.referenceCache);
  if (!plan.fullPass) await unlink(output).catch(() => undefined);
  // The reference's picture size goes with the probe: a cropped job is measured on the cropped picture.
  const probe: Probe = { crf, vmaf: result.score, bytes, seconds: (performance.now() - started) / 1000, referenceWidth: ref.info.width, referenceHeight: ref.info.height };
  await cache.putMeasurement({ key, crf, vmaf: probe.vmaf, bytes, seconds: probe.seconds, segment: ctx.segment.index });
  fresh.push(probe);
  return probe;
}

async function fileExists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}

/** The target-quality CRF strategy (registered with crf-strategy.ts). */
export async function searchSegmentCrf(ctx: SegmentCrfContext): Promise<TargetQualityDecision> {
  const { options, segment, tools } = ctx;
  const settings = ctx.encodeSettings;
  if (!settings) throw new Error('target quality needs the segment encode settings (crfContext.encodeSettings)');
  const effective = applyAttempt({ targetVmaf: options.targetVmaf, samples: options.samples, sampleSeconds: options.sampleSeconds }, ctx.attempt ?? { label: 'default settings' });
  const target = effective.targetVmaf!;
  const workDir = ctx.workDir ?? path.dirname(ctx.scratchDir);
  // The source file's identity (not the segment copy's bytes: Matroska writes a random segment UID
  // into every copy) plus the segment's frame range identify what is measured.
  const [cache, step, caps, source] = await Promise.all([
    qualityCacheFor(path.join(workDir, QUALITY_CACHE_FILE)), crfGranularity(tools, ctx.signal), toolCapabilities(tools), inputIdentity(options.input),
  ]);
  const sourceHash = shortHash(source);
  const plan = planSamples({ segmentFrames: segment.frames, frameRate: ctx.media.video.frameRate, samples: effective.samples, sampleSeconds: effective.sampleSeconds });
  const dir = path.join(ctx.scratchDir, `segment_${String(segment.index).padStart(3, '0')}`);
  await mkdir(dir, { recursive: true });
  // Another VMAF ffmpeg may be another libvmaf: its measurements are not ours to reuse. Left out
  // when unset, so the keys of earlier work dirs stay valid.
  const vmafSettings = {
    subsample: options.vmafSubsample, pool: options.vmafPool, engine: options.vmafEngine, ...(tools.vmafFfmpeg ? { vmafFfmpeg: tools.vmafFfmpeg } : {}),
  };
  const probeSettings = options.probePreset === 'same' ? settings : { ...settings, preset: options.probePreset };
  // Intermediates and encodes are all at the output pixel format. The engine measureVmaf will
  // choose for it decides the reference's form: libvmaf reads its reference from a file.
  const bitDepth = bitDepthOfPixelFormat(settings.pixelFormat);
  const builtinVmaf = (await chooseVmafEngine(tools, options.vmafEngine, bitDepth)).engine === 'builtin';
  // A full-pass reference decoded from the source is worth it only when its frames stay kept
  // between probes: decoding the source again for every probe can cost more than the cut.
  const referenceCache = new VmafReferenceCache();
  const keptBytes = Math.ceil(segment.frames / options.vmafSubsample) * ctx.media.video.width * ctx.media.video.height * (bitDepth > 8 ? 2 : 1);
  const search: SegmentSearch = {
    ctx, settings, probeSettings, exactProbes: probeSettings.preset === settings.preset, cache, dir, plan, target, vmafSettings,
    referenceCache, builtinVmaf, uncutReference: plan.fullPass && builtinVmaf && keptBytes <= referenceCache.maxBytes,
    identity: { source: sourceHash, keepFrom: segment.keepFromSeconds, keepTo: segment.keepToSeconds },
    encoder: `libsvtav1 ${caps.svtav1Version ?? ''} ${caps.version}`.trim(),
  };
  // Neighbours' CRFs only help when they were found for the same question.
  const scope = shortHash({ target, minCrf: options.minCrf, maxCrf: options.maxCrf, settings: settingsIdentity(settings), ...(search.exactProbes ? {} : { probe: settingsIdentity(probeSettings) }), vmaf: vmafSettings });
  // CHUNKED_AV1_NO_WARM_START=1 turns the warm start off (bench/target-quality measures what it saves).
  // A segment decided before (a re-run or resume) replays its own warm start: the same probes, all cached.
  const replayScope = `${scope}/${shortHash(plan)}`;
  const previous = cache.decision(replayScope, segment.index);
  const warmStart = process.env.CHUNKED_AV1_NO_WARM_START ? [] : previous?.warmStart ?? cache.neighbourCrfs(scope, segment.index);
  const fresh: Probe[] = [];
  const probes: Probe[] = [];
  const run = await runSearch({ target, minCrf: options.minCrf, maxCrf: options.maxCrf, step, warmStart }, async (crf): Promise<Observation> => {
    const probe = await measureProbe(search, crf, fresh);
    probes.push(probe);
    ctx.onProbe?.(probe);
    return probe;
  });
  await cache.putDecision({ scope, segment: segment.index, crf: run.crf, vmaf: run.vmaf, probes: probes.length });
  await cache.putDecision({ scope: replayScope, segment: segment.index, crf: run.crf, vmaf: run.vmaf, probes: probes.length, warmStart });
  const historyKey = `${cache.file}#${segment.index}`;
  const history = attemptHistory.get(historyKey) ?? [];
  history.push(`attempt ${history.length + 1} (${ctx.attempt?.label ?? 'default settings'}, target ${target}): ${describeProbes(probes)}`);
  attemptHistory.set(historyKey, history);
  ctx.log?.('debug', `segment ${segment.index}: CRF ${run.crf} (VMAF ${run.vmaf.toFixed(2)}, ${run.reason}) after ${probes.length} probes, ${fresh.length} measured${warmStart.length ? `, warm start ${warmStart.join('/')}` : ''}`);

  const warnings: string[] = [];
  if (!run.reached) {
    warnings.push(`segment ${segment.index}: VMAF ${target} is out of reach even at --min-crf ${options.minCrf} (VMAF ${run.vmaf.toFixed(2)} there); lower --min-crf or --target-vmaf`);
  }
  const chosen = probes.find((p) => p.crf === run.crf);
  if (chosen) {
    const sourceBytes = (await stat(ctx.sourceFile)).size * (plan.frames / segment.frames);
    const percent = (100 * chosen.bytes) / Math.max(1, sourceBytes);
    if (percent > options.maxEncodedPercent) {
      warnings.push(`segment ${segment.index}: at CRF ${run.crf} (VMAF ${chosen.vmaf.toFixed(2)}) the encode is ${percent.toFixed(0)}% of the source's size, over --max-encoded-percent ${options.maxEncodedPercent}; encoded anyway. The source is already compact here: lower --target-vmaf, or raise --max-encoded-percent to silence this`);
    }
  }

  const probeFile = path.join(dir, `probe-crf${run.crf}.mkv`);
  const reused = plan.fullPass && search.exactProbes && (await fileExists(probeFile));
  const decision: TargetQualityDecision = {
    crf: run.crf, probes, vmaf: run.vmaf,
    verify: (encoded) => verifySegment(search, run.crf, encoded, historyKey),
  };
  if (warnings.length) decision.warning = warnings.join('; ');
  if (reused) decision.reusableOutput = probeFile;
  return decision;
}

/**
 * Whole-segment VMAF of the final encode. A full-pass probe reused as the output was already
 * measured on the whole segment, so it is not measured again. Misses beyond the margin throw
 * (the retry ladder takes over) with every observation of every attempt in the message.
 */
async function verifySegment(search: SegmentSearch, crf: number, encoded: string, historyKey: string): Promise<VerifiedQuality> {
  const { ctx, cache, plan } = search;
  try {
    let vmaf: number;
    // An exact full-pass probe at this CRF ran the very command of the final encode (SVT-AV1 is
    // deterministic), so its measurement is the whole segment's, reused or re-encoded.
    const measured = plan.fullPass && search.exactProbes ? search.cache.get(probeKey(search, crf))?.vmaf : undefined;
    if (measured !== undefined) vmaf = measured;
    else {
      // Keyed like a probe of the whole segment (SVT-AV1 is deterministic for the same settings;
      // the file's own hash would differ run to run, Matroska writes a random segment UID).
      const key = measurementKey({ sample: { ...search.identity, verify: true }, encoder: search.encoder, settings: settingsIdentity(search.settings), crf, vmaf: search.vmafSettings });
      const cached = cache.get(key);
      if (cached) vmaf = cached.vmaf;
      else {
        const started = performance.now();
        // The whole-segment cut is measured once: nothing to keep. The full-pass reference was
        // measured by the probes (inexact ones, at --probe-preset): its frames are kept.
        const whole = search.builtinVmaf ? await segmentThroughFilter(search, encoded) : plan.fullPass ? await reference(search) : await cutWholeSegment(search);
        const result = await measureAgainst(search, whole, encoded, plan.fullPass ? search.referenceCache : undefined);
        vmaf = result.score;
        const bytes = (await stat(encoded)).size;
        await cache.putMeasurement({ key, crf, vmaf, bytes, seconds: (performance.now() - started) / 1000, segment: ctx.segment.index });
      }
    }
    if (vmaf < search.target - VERIFY_MARGIN) {
      const history = attemptHistory.get(historyKey) ?? [];
      throw new TargetMissedError(
        `segment ${ctx.segment.index}: verified VMAF ${vmaf.toFixed(2)} at CRF ${crf} is under the target ${search.target} by more than ${VERIFY_MARGIN}; observations: ${history.join(' | ')}`,
        ctx.segment.index,
      );
    }
    attemptHistory.delete(historyKey);
    return { vmaf };
  } finally {
    search.referenceCache.clear();
    await rm(search.dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** A probe's cache key: what was sampled, the encoder, the probe settings, the CRF, the VMAF settings. */
function probeKey(search: SegmentSearch, crf: number): string {
  return measurementKey({
    sample: { ...search.identity, ranges: search.plan.ranges, fullPass: search.plan.fullPass }, encoder: search.encoder,
    settings: settingsIdentity(search.probeSettings), crf, vmaf: search.vmafSettings,
  });
}

async function cutWholeSegment(search: SegmentSearch): Promise<Intermediate> {
  const { ctx, settings, dir } = search;
  const file = path.join(dir, 'segment-reference.mkv');
  const whole = planSamples({ segmentFrames: ctx.segment.frames, frameRate: ctx.media.video.frameRate, samples: 1, sampleSeconds: Number.MAX_SAFE_INTEGER });
  await runProcess(ctx.tools.ffmpeg, sampleCutArgs(ctx.sourceFile, ctx.segment, whole, settings, ctx.media.video.frameRate, file), { signal: ctx.signal, stdout: 'ignore' });
  return { file, info: await describeOnce(search, file) };
}

registerTargetQualityStrategy(searchSegmentCrf);
