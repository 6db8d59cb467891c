import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CrfDecision, SegmentCrfContext } from './crf-strategy';
import { crfGranularity } from './crf-granularity';
import { inputIdentity } from '../job';
import { qualityCacheFor, QUALITY_CACHE_FILE } from './quality-cache';
import { applyAttempt } from '../job';
import { planSamples, type SamplePlan } from './samples';
import { setUpLearnedSearch, type LearnedSearchInput } from './learned-search';
import type { CrfJobState } from './crf-job-state';
import { runSearch, type Observation } from './search';
import { toolCapabilities } from '../sys';
import { chooseVmafEngine, VmafReferenceCache } from '../vmaf';
import { bitDepthOfPixelFormat } from '../vmaf';
import type { Probe } from '../../../common/events';
import {
  attemptLine,
  chooseWarmStart,
  decisionWarnings,
  probeIsFinalEncode,
  probesAreExact,
  probeSettingsFor,
  searchScopes,
  shortHash,
  useUncutReference,
  verifiedMiss,
} from './target-quality-plan';
import {
  cutWholeSegment,
  keptFrames,
  measureAgainst,
  measureProbe,
  probeKey,
  reference,
  segmentThroughFilter,
  verifyKey,
  type ScoredFrame,
  type SegmentSearch,
} from './probe-measure';

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
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
    this.name = 'TargetMissedError';
  }
}

export interface VerifiedQuality {
  vmaf: number;
  /** The scored frames of the measurement, when this run made it (not from the cache of an earlier run). */
  frames?: ScoredFrame[];
}

/** A CRF decision from the search, with the whole-segment check the pipeline runs after encoding. */
export interface TargetQualityDecision extends CrfDecision {
  verify: (encodedFile: string) => Promise<VerifiedQuality>;
}

/** No samples: the scope of neighbours does not depend on where the samples are. */
const EMPTY_PLAN: SamplePlan = { fullPass: false, ranges: [], frames: 0 };

/** The learned search's set-up for one segment; a retry rung that names its own samples keeps them. */
function learnedSetUp(job: CrfJobState, input: Omit<LearnedSearchInput, 'verified'>, keepSamples: boolean, log: (message: string) => void) {
  const setUp = setUpLearnedSearch({ ...input, verified: job.verified });
  log(
    `learned set-up: probes aim at ${setUp.probeTarget.toFixed(2)} (correction ${setUp.correction.offset.toFixed(2)} ± ${setUp.correction.spread.toFixed(2)} from ${setUp.correction.pairs} pairs${setUp.correction.trusted ? ', trusted' : ''}), predicted CRF ${setUp.prediction.crf} (${setUp.prediction.source}${setUp.prediction.confident ? ', confident' : ''}), ${setUp.samples} x ${setUp.sampleSeconds} s samples`,
  );
  return keepSamples ? { ...setUp, samples: input.samples, sampleSeconds: input.sampleSeconds } : setUp;
}

async function fileExists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** The target-quality CRF strategy (segment-job.ts chooses it when options.targetVmaf is set). */
export async function searchSegmentCrf(ctx: SegmentCrfContext): Promise<TargetQualityDecision> {
  const { options, segment, tools } = ctx;
  const settings = ctx.encodeSettings;
  if (!settings) throw new Error('target quality needs the segment encode settings (crfContext.encodeSettings)');
  const job = ctx.crfJob;
  if (!job) throw new Error("target quality needs the job's CRF state (crfContext.crfJob)");
  const effective = applyAttempt(
    { targetVmaf: options.targetVmaf, samples: options.samples, sampleSeconds: options.sampleSeconds },
    ctx.attempt ?? { label: 'default settings' },
  );
  const target = effective.targetVmaf!;
  const workDir = ctx.workDir ?? path.dirname(ctx.scratchDir);
  // The source file's identity (not the segment copy's bytes: Matroska writes a random segment UID
  // into every copy) plus the segment's frame range identify what is measured.
  const [cache, step, caps, source] = await Promise.all([
    qualityCacheFor(path.join(workDir, QUALITY_CACHE_FILE)),
    crfGranularity(tools, ctx.signal),
    toolCapabilities(tools),
    ctx.sourceIdentity ?? inputIdentity(options.input),
  ]);
  const dir = path.join(ctx.scratchDir, `segment_${String(segment.index).padStart(3, '0')}`);
  await mkdir(dir, { recursive: true });
  // Another VMAF ffmpeg may be another libvmaf: its measurements are not ours to reuse. Left out
  // when unset, so the keys of earlier work dirs stay valid.
  const vmafSettings = {
    subsample: options.vmafSubsample,
    pool: options.vmafPool,
    engine: options.vmafEngine,
    ...(tools.vmafFfmpeg ? { vmafFfmpeg: tools.vmafFfmpeg } : {}),
  };
  const probeSettings = probeSettingsFor(settings, options.probePreset);
  const exactProbes = probesAreExact(settings, probeSettings);
  const { scope } = searchScopes({
    target,
    minCrf: options.minCrf,
    maxCrf: options.maxCrf,
    settings,
    probeSettings,
    vmafSettings,
    plan: EMPTY_PLAN,
  });
  const neighbours = cache.neighbourCrfs(scope, segment.index);
  // Cheap probes (--probe-preset): the search is set up from what this job has learned so far
  // (learned-search.ts), or replayed as it was set up before (a re-run asks for the same cached probes).
  const bitsPerPixel = (8 * (await stat(ctx.sourceFile)).size) / (segment.frames * ctx.media.video.width * ctx.media.video.height);
  const learnedScope = `${scope}/learned`;
  // A retry within this job learns afresh (its miss is now a pair); a re-run replays.
  const retry = job.historyOf(segment.index).length > 0;
  const replayedSetUp = exactProbes || retry ? undefined : cache.decision(learnedScope, segment.index)?.learned;
  const newSetUp =
    exactProbes || replayedSetUp
      ? undefined
      : learnedSetUp(
          job,
          {
            target,
            minCrf: options.minCrf,
            maxCrf: options.maxCrf,
            samples: effective.samples,
            sampleSeconds: effective.sampleSeconds,
            bitsPerPixel,
            neighbours,
          },
          ctx.attempt?.samples !== undefined,
          (message) => ctx.log?.('debug', `segment ${segment.index}: ${message}`),
        );
  const learned = replayedSetUp ?? newSetUp;
  const plan = planSamples({
    segmentFrames: segment.frames,
    frameRate: ctx.media.video.frameRate,
    samples: learned?.samples ?? effective.samples,
    sampleSeconds: learned?.sampleSeconds ?? effective.sampleSeconds,
  });
  const searchTarget = learned?.probeTarget ?? target;
  // Intermediates and encodes are all at the output pixel format. The engine measureVmaf will
  // choose for it decides the reference's form: libvmaf reads its reference from a file.
  const bitDepth = bitDepthOfPixelFormat(settings.pixelFormat);
  const builtinVmaf = (await chooseVmafEngine(tools, options.vmafEngine, bitDepth)).engine === 'builtin';
  const referenceCache = new VmafReferenceCache();
  const search: SegmentSearch = {
    ctx,
    job,
    settings,
    probeSettings,
    exactProbes,
    cache,
    dir,
    plan,
    target,
    vmafSettings,
    referenceCache,
    builtinVmaf,
    uncutReference: useUncutReference({
      plan,
      builtinVmaf,
      segmentFrames: segment.frames,
      subsample: options.vmafSubsample,
      width: ctx.media.video.width,
      height: ctx.media.video.height,
      bitDepth,
      keptLimitBytes: referenceCache.maxBytes,
    }),
    identity: { source: shortHash(source), keepFrom: segment.keepFromSeconds, keepTo: segment.keepToSeconds },
    encoder: `libsvtav1 ${caps.svtav1Version ?? ''} ${caps.version}`.trim(),
  };
  const { replayScope } = searchScopes({
    target,
    minCrf: options.minCrf,
    maxCrf: options.maxCrf,
    settings,
    probeSettings,
    vmafSettings,
    plan,
  });
  // CHUNKED_AV1_NO_WARM_START=1 turns the warm start off (bench/target-quality measures what it saves).
  const warmStart = chooseWarmStart({
    disabled: Boolean(process.env.CHUNKED_AV1_NO_WARM_START),
    replayed: cache.decision(replayScope, segment.index)?.warmStart,
    neighbours: newSetUp?.warmStart ?? neighbours,
  });
  const fresh: Probe[] = [];
  const probes: Probe[] = [];
  const run = await runSearch(
    { target: searchTarget, minCrf: options.minCrf, maxCrf: options.maxCrf, step, warmStart },
    async (crf): Promise<Observation> => {
      const probe = await measureProbe(search, crf, fresh);
      probes.push(probe);
      ctx.onProbe?.(probe);
      return probe;
    },
  );
  await cache.putDecision({ scope, segment: segment.index, crf: run.crf, vmaf: run.vmaf, probes: probes.length });
  await cache.putDecision({ scope: replayScope, segment: segment.index, crf: run.crf, vmaf: run.vmaf, probes: probes.length, warmStart });
  if (learned) {
    const { probeTarget, samples, sampleSeconds } = learned;
    await cache.putDecision({
      scope: learnedScope,
      segment: segment.index,
      crf: run.crf,
      vmaf: run.vmaf,
      probes: probes.length,
      learned: { probeTarget, samples, sampleSeconds },
    });
  }
  job.recordAttempt(segment.index, (n) => attemptLine(n, ctx.attempt?.label ?? 'default settings', target, probes));
  ctx.log?.(
    'debug',
    `segment ${segment.index}: CRF ${run.crf} (VMAF ${run.vmaf.toFixed(2)}, ${run.reason}) after ${probes.length} probes, ${fresh.length} measured${warmStart.length ? `, warm start ${warmStart.join('/')}` : ''}`,
  );

  const chosen = probes.find((p) => p.crf === run.crf);
  const warnings = decisionWarnings({
    segment: segment.index,
    target,
    minCrf: options.minCrf,
    run,
    chosen,
    maxEncodedPercent: options.maxEncodedPercent,
    sourceBytes: chosen ? (await stat(ctx.sourceFile)).size * (plan.frames / segment.frames) : 0,
  });

  const probeFile = path.join(dir, `probe-crf${run.crf}.mkv`);
  const reused = probeIsFinalEncode(plan, search.exactProbes) && (await fileExists(probeFile));
  const decision: TargetQualityDecision = {
    crf: run.crf,
    probes,
    vmaf: run.vmaf,
    verify: (encoded) => verifySegment(search, run.crf, { probeVmaf: chosen?.vmaf, bitsPerPixel }, encoded),
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
async function verifySegment(
  search: SegmentSearch,
  crf: number,
  seen: { probeVmaf?: number; bitsPerPixel: number },
  encoded: string,
): Promise<VerifiedQuality> {
  const { ctx, cache, plan, job } = search;
  try {
    // An exact full-pass probe at this CRF ran the very command of the final encode (SVT-AV1 is
    // deterministic), so its measurement is the whole segment's, reused or re-encoded.
    const reused = probeIsFinalEncode(plan, search.exactProbes);
    const measured = reused ? cache.get(probeKey(search, crf))?.vmaf : undefined;
    const whole = measured === undefined ? await measureWholeSegment(search, crf, encoded) : undefined;
    const vmaf = measured ?? whole!.vmaf;
    const frames = whole ? whole.frames : search.scoredFrames?.get(crf);
    // Recorded before the miss check: a miss is the pair the correction most needs to learn from.
    job.verified.push({
      segment: ctx.segment.index,
      crf,
      vmaf,
      bitsPerPixel: seen.bitsPerPixel,
      ...(seen.probeVmaf !== undefined ? { probeVmaf: seen.probeVmaf } : {}),
    });
    const miss = verifiedMiss({ segment: ctx.segment.index, crf, vmaf, target: search.target, history: job.historyOf(ctx.segment.index) });
    if (miss) throw new TargetMissedError(miss, ctx.segment.index);
    job.forget(ctx.segment.index);
    return frames?.length ? { vmaf, frames } : { vmaf };
  } finally {
    search.referenceCache.clear();
    await rm(search.dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function measureWholeSegment(search: SegmentSearch, crf: number, encoded: string): Promise<VerifiedQuality> {
  const { ctx, cache, plan } = search;
  const key = verifyKey(search, crf);
  const cached = cache.get(key);
  if (cached) return { vmaf: cached.vmaf };
  const started = performance.now();
  // The whole-segment cut is measured once: nothing to keep. The full-pass reference was
  // measured by the probes (inexact ones, at --probe-preset): its frames are kept.
  const whole = search.builtinVmaf
    ? await segmentThroughFilter(search, encoded)
    : plan.fullPass
      ? await reference(search)
      : await cutWholeSegment(search);
  const result = await measureAgainst(search, whole, encoded, plan.fullPass ? search.referenceCache : undefined);
  const bytes = (await stat(encoded)).size;
  await cache.putMeasurement({
    key,
    crf,
    vmaf: result.score,
    bytes,
    seconds: (performance.now() - started) / 1000,
    segment: ctx.segment.index,
  });
  return { vmaf: result.score, frames: keptFrames(result.frames) };
}
