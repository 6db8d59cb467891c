import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CrfDecision, SegmentCrfContext } from './crf-strategy';
import { crfGranularity } from './crf-granularity';
import { inputIdentity } from '../job/manifest';
import { qualityCacheFor, QUALITY_CACHE_FILE } from './quality-cache';
import { applyAttempt } from '../job/retry';
import { planSamples } from './samples';
import { runSearch, type Observation } from './search';
import { toolCapabilities } from '../sys/tools';
import { chooseVmafEngine, VmafReferenceCache } from '../vmaf';
import { bitDepthOfPixelFormat } from '../vmaf/builtin/decode-args';
import type { Probe } from '../../../common/events';
import {
  attemptLine, chooseWarmStart, decisionWarnings, probeIsFinalEncode, probesAreExact, probeSettingsFor, searchScopes, shortHash, useUncutReference, verifiedMiss,
} from './target-quality-plan';
import { cutWholeSegment, measureAgainst, measureProbe, probeKey, reference, segmentThroughFilter, verifyKey, type SegmentSearch } from './probe-measure';

/**
 * The per-segment target-quality driver: cut the segment's samples once, encode them at the CRFs
 * the search asks for, measure VMAF (cached in the work dir), and hand the pipeline the highest
 * CRF that reaches the target, plus a `verify` step that measures the whole encoded segment.
 * The decisions live in search.ts (what to probe next), target-quality-plan.ts (when to trust a
 * probe, when to keep it as the output, what to warn about) and samples.ts (where to sample);
 * what the job remembers across segments is the CrfJobState in the context.
 */

export { VERIFY_MARGIN } from './target-quality-plan';

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

async function fileExists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}

/** The target-quality CRF strategy (segment-job.ts chooses it when options.targetVmaf is set). */
export async function searchSegmentCrf(ctx: SegmentCrfContext): Promise<TargetQualityDecision> {
  const { options, segment, tools } = ctx;
  const settings = ctx.encodeSettings;
  if (!settings) throw new Error('target quality needs the segment encode settings (crfContext.encodeSettings)');
  const job = ctx.crfJob;
  if (!job) throw new Error('target quality needs the job\'s CRF state (crfContext.crfJob)');
  const effective = applyAttempt({ targetVmaf: options.targetVmaf, samples: options.samples, sampleSeconds: options.sampleSeconds }, ctx.attempt ?? { label: 'default settings' });
  const target = effective.targetVmaf!;
  const workDir = ctx.workDir ?? path.dirname(ctx.scratchDir);
  // The source file's identity (not the segment copy's bytes: Matroska writes a random segment UID
  // into every copy) plus the segment's frame range identify what is measured.
  const [cache, step, caps, source] = await Promise.all([
    qualityCacheFor(path.join(workDir, QUALITY_CACHE_FILE)), crfGranularity(tools, ctx.signal), toolCapabilities(tools), inputIdentity(options.input),
  ]);
  const plan = planSamples({ segmentFrames: segment.frames, frameRate: ctx.media.video.frameRate, samples: effective.samples, sampleSeconds: effective.sampleSeconds });
  const dir = path.join(ctx.scratchDir, `segment_${String(segment.index).padStart(3, '0')}`);
  await mkdir(dir, { recursive: true });
  // Another VMAF ffmpeg may be another libvmaf: its measurements are not ours to reuse. Left out
  // when unset, so the keys of earlier work dirs stay valid.
  const vmafSettings = {
    subsample: options.vmafSubsample, pool: options.vmafPool, engine: options.vmafEngine, ...(tools.vmafFfmpeg ? { vmafFfmpeg: tools.vmafFfmpeg } : {}),
  };
  const probeSettings = probeSettingsFor(settings, options.probePreset);
  // Intermediates and encodes are all at the output pixel format. The engine measureVmaf will
  // choose for it decides the reference's form: libvmaf reads its reference from a file.
  const bitDepth = bitDepthOfPixelFormat(settings.pixelFormat);
  const builtinVmaf = (await chooseVmafEngine(tools, options.vmafEngine, bitDepth)).engine === 'builtin';
  const referenceCache = new VmafReferenceCache();
  const search: SegmentSearch = {
    ctx, job, settings, probeSettings, exactProbes: probesAreExact(settings, probeSettings), cache, dir, plan, target, vmafSettings, referenceCache, builtinVmaf,
    uncutReference: useUncutReference({
      plan, builtinVmaf, segmentFrames: segment.frames, subsample: options.vmafSubsample, width: ctx.media.video.width, height: ctx.media.video.height, bitDepth, keptLimitBytes: referenceCache.maxBytes,
    }),
    identity: { source: shortHash(source), keepFrom: segment.keepFromSeconds, keepTo: segment.keepToSeconds },
    encoder: `libsvtav1 ${caps.svtav1Version ?? ''} ${caps.version}`.trim(),
  };
  const { scope, replayScope } = searchScopes({ target, minCrf: options.minCrf, maxCrf: options.maxCrf, settings, probeSettings, vmafSettings, plan });
  // CHUNKED_AV1_NO_WARM_START=1 turns the warm start off (bench/target-quality measures what it saves).
  const warmStart = chooseWarmStart({
    disabled: Boolean(process.env.CHUNKED_AV1_NO_WARM_START), replayed: cache.decision(replayScope, segment.index)?.warmStart, neighbours: cache.neighbourCrfs(scope, segment.index),
  });
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
  job.recordAttempt(segment.index, (n) => attemptLine(n, ctx.attempt?.label ?? 'default settings', target, probes));
  ctx.log?.('debug', `segment ${segment.index}: CRF ${run.crf} (VMAF ${run.vmaf.toFixed(2)}, ${run.reason}) after ${probes.length} probes, ${fresh.length} measured${warmStart.length ? `, warm start ${warmStart.join('/')}` : ''}`);

  const chosen = probes.find((p) => p.crf === run.crf);
  const warnings = decisionWarnings({
    segment: segment.index, target, minCrf: options.minCrf, run, chosen, maxEncodedPercent: options.maxEncodedPercent,
    sourceBytes: chosen ? (await stat(ctx.sourceFile)).size * (plan.frames / segment.frames) : 0,
  });

  const probeFile = path.join(dir, `probe-crf${run.crf}.mkv`);
  const reused = probeIsFinalEncode(plan, search.exactProbes) && (await fileExists(probeFile));
  const decision: TargetQualityDecision = { crf: run.crf, probes, vmaf: run.vmaf, verify: (encoded) => verifySegment(search, run.crf, chosen?.vmaf, encoded) };
  if (warnings.length) decision.warning = warnings.join('; ');
  if (reused) decision.reusableOutput = probeFile;
  return decision;
}

/**
 * Whole-segment VMAF of the final encode. A full-pass probe reused as the output was already
 * measured on the whole segment, so it is not measured again. Misses beyond the margin throw
 * (the retry ladder takes over) with every observation of every attempt in the message.
 */
async function verifySegment(search: SegmentSearch, crf: number, probeVmaf: number | undefined, encoded: string): Promise<VerifiedQuality> {
  const { ctx, cache, plan, job } = search;
  try {
    // An exact full-pass probe at this CRF ran the very command of the final encode (SVT-AV1 is
    // deterministic), so its measurement is the whole segment's, reused or re-encoded.
    const measured = probeIsFinalEncode(plan, search.exactProbes) ? cache.get(probeKey(search, crf))?.vmaf : undefined;
    const vmaf = measured ?? await measureWholeSegment(search, crf, encoded);
    const miss = verifiedMiss({ segment: ctx.segment.index, crf, vmaf, target: search.target, history: job.historyOf(ctx.segment.index) });
    if (miss) throw new TargetMissedError(miss, ctx.segment.index);
    job.forget(ctx.segment.index);
    job.verified.push({ segment: ctx.segment.index, crf, vmaf, ...(probeVmaf !== undefined ? { probeVmaf } : {}) });
    return { vmaf };
  } finally {
    search.referenceCache.clear();
    await rm(search.dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function measureWholeSegment(search: SegmentSearch, crf: number, encoded: string): Promise<number> {
  const { ctx, cache, plan } = search;
  const key = verifyKey(search, crf);
  const cached = cache.get(key);
  if (cached) return cached.vmaf;
  const started = performance.now();
  // The whole-segment cut is measured once: nothing to keep. The full-pass reference was
  // measured by the probes (inexact ones, at --probe-preset): its frames are kept.
  const whole = search.builtinVmaf ? await segmentThroughFilter(search, encoded) : plan.fullPass ? await reference(search) : await cutWholeSegment(search);
  const result = await measureAgainst(search, whole, encoded, plan.fullPass ? search.referenceCache : undefined);
  const bytes = (await stat(encoded)).size;
  await cache.putMeasurement({ key, crf, vmaf: result.score, bytes, seconds: (performance.now() - started) / 1000, segment: ctx.segment.index });
  return result.score;
}
