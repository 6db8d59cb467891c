import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CrfDecision, SegmentCrfContext } from './crf-strategy';
import { crfGranularity } from './crf-granularity';
import { inputIdentity } from '../probe';
import { qualityCacheFor, QUALITY_CACHE_FILE } from './quality-cache';
import { applyAttempt } from './retry-ladder';
import { planSamples, type SamplePlan } from './samples';
import { setUpLearnedSearch, type LearnedSearchInput } from './learned-search';
import type { CrfJobState } from './crf-job-state';
import type { Observation } from './search';
import { runSearchWithFlatStop } from './flat-search';
import { predictSegmentCrf, type SegmentPrediction } from './crf-predictor';
import { measureContentFeature } from './content-feature';
import { learnedSlope, segmentSlope } from './acceptance';
import { verifySegment } from './verify-segment';
import { runFinalEncodes } from './final-encode';
import { toolCapabilities } from '../sys';
import { chooseVmafEngine, VmafReferenceCache } from '../vmaf';
import { bitDepthOfPixelFormat } from '../vmaf';
import { qualityTargetOf } from '../../../common/options';
import { metricScale } from './metric-scale';
import { METRICS } from '../../../common/quality-metric';
import { targetKey } from './crf-job-state';
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
} from './target-quality-plan';
import { measureProbe, type SegmentSearch } from './probe-measure';

/**
 * The per-segment target-quality driver: cut the segment's samples once, encode them at the CRFs
 * the search asks for, measure VMAF (cached in the work dir), and hand the pipeline the highest
 * CRF that reaches the target, plus a `verify` step that measures the whole encoded segment.
 * The decisions live in search.ts (what to probe next), target-quality-plan.ts (when to trust a
 * probe, when to keep it as the output, what to warn about) and samples.ts (where to sample);
 * what the job remembers across segments is the CrfJobState in the context.
 *
 * Issue 22: a segment the job's predictor (crf-predictor.ts) is sure of skips the search: its
 * final encode at the predicted CRF is the probe (final-encode.ts, acceptance.ts), accepted in
 * the band or re-encoded once; the search is the warm-up for the first segments and new content.
 * A search that sees a flat curve stops at its knee (flat-search.ts, unreachable.ts).
 */

export { VERIFY_MARGIN } from './target-quality-plan';
export { TargetMissedError, type VerifiedQuality } from './verify-segment';
import type { VerifiedQuality } from './verify-segment';

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

/**
 * The warm-up's first probe from the fingerprint: a new kind's guess moved from another kind's
 * label; none (bisect) for a new kind without one, since the neighbours' CRFs are another kind's.
 */
function warmStartGuess(prediction: SegmentPrediction, kindsKnown: boolean): number[] | undefined {
  if (prediction.confident || prediction.source !== 'none' || !kindsKnown) return undefined;
  return prediction.guess !== undefined ? [prediction.guess] : [];
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
  const jobState = ctx.crfJob;
  if (!jobState) throw new Error("target quality needs the job's CRF state (crfContext.crfJob)");
  const quality = qualityTargetOf(options);
  if (!quality) throw new Error('target quality needs a target (--target-vmaf, or --target-metric/--target)');
  const scale = metricScale(quality.metric);
  // What this job has learned for this very target (a zone with another target learns apart).
  const job = jobState.forTarget(targetKey(quality));
  // A rung's lowered target is in VMAF points: the other metrics lower theirs by as much of their band.
  const attempt = ctx.attempt ?? { label: 'default settings' };
  const effective = applyAttempt(
    { targetVmaf: quality.value, samples: options.samples, sampleSeconds: options.sampleSeconds },
    attempt.targetOffset !== undefined ? { ...attempt, targetOffset: attempt.targetOffset * scale.unit } : attempt,
  );
  const target = effective.targetVmaf;
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
  // Another metric's measurements are keyed by it and its pool (never answered by VMAF's or another target's).
  const vmafSettings = {
    subsample: options.vmafSubsample,
    pool: quality.metric === 'vmaf' ? options.vmafPool : quality.pool,
    engine: options.vmafEngine,
    ...(tools.vmafFfmpeg ? { vmafFfmpeg: tools.vmafFfmpeg } : {}),
    ...(quality.metric !== 'vmaf' ? { metric: quality.metric } : {}),
  };
  const { metric: _metric, ...vmafOnly } = { ...vmafSettings, pool: options.vmafPool };
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
  // Only VMAF's built-in engine reads the segment through its filter; the other metrics read a lossless cut.
  const builtinVmaf = quality.metric === 'vmaf' && (await chooseVmafEngine(tools, options.vmafEngine, bitDepth)).engine === 'builtin';
  const segmentSearch = (over: SamplePlan, overSettings: typeof settings, exact: boolean): SegmentSearch => {
    const referenceCache = new VmafReferenceCache();
    return {
      ctx,
      job,
      settings,
      probeSettings: overSettings,
      exactProbes: exact,
      cache,
      dir,
      plan: over,
      target,
      vmafSettings,
      scale,
      referenceCache,
      builtinVmaf,
      uncutReference: useUncutReference({
        plan: over,
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
  };

  // The final encode is the probe: a segment the job's predictor is sure of is encoded whole at the
  // final preset at its predicted CRF and scored; the search below runs only for a warm-up (first
  // segments, new content) or when the encodes do not land in the band.
  const finalScope = `${scope}/final`;
  const replayedFinal = cache.decision(finalScope, segment.index)?.finalEncodes;
  const searchedBefore = !replayedFinal && cache.decision(scope, segment.index) !== undefined;
  // Only where the probes run the final settings (--probe-preset same, the default): cheap probes
  // keep #16's learned search, whose probe→final pairs a final encode without a probe cannot give.
  const predicting = exactProbes && !process.env.CHUNKED_AV1_NO_PREDICT;
  const finalPath = predicting && !retry;
  // The content fingerprint tells kinds of content apart (content-window.ts); CHUNKED_AV1_NO_WINDOW=1
  // leaves it out (bench/film measures what it buys).
  const fingerprint =
    predicting && !ctx.dryRun && !process.env.CHUNKED_AV1_NO_WINDOW
      ? await measureContentFeature({
          ctx,
          settings,
          cache,
          dir,
          identity: { source: shortHash(source), keepFrom: segment.keepFromSeconds, keepTo: segment.keepToSeconds },
          encoder: `libsvtav1 ${caps.svtav1Version ?? ''} ${caps.version}`.trim(),
          // The content window is a VMAF feature of the content, whatever the target metric.
          vmafSettings: vmafOnly,
        }).catch((error: unknown) => {
          // The fingerprint only makes predictions better: without it the segment is predicted as before.
          if (ctx.signal?.aborted) throw error;
          ctx.log?.('debug', `segment ${segment.index}: content window not measured (${(error as Error).message}); predicting without it`);
          return undefined;
        })
      : undefined;
  const slope = learnedSlope(job.slopes, undefined, scale.assumedSlope);
  const prediction = predictSegmentCrf({
    segment: { segment: segment.index, bitsPerPixel, ...(fingerprint ? { window: fingerprint } : {}) },
    labels: job.labels,
    minCrf: options.minCrf,
    maxCrf: options.maxCrf,
    slope,
  });
  if (fingerprint) {
    ctx.log?.(
      'debug',
      `segment ${segment.index}: content window VMAF ${fingerprint.vmaf.toFixed(2)}, ${fingerprint.bitsPerPixel.toFixed(4)} bpp; ${prediction.reason}`,
    );
  }
  const label = { bitsPerPixel, prediction, slope, ...(fingerprint ? { window: fingerprint } : {}) };
  const earlier: Probe[] = [];
  // A new kind of content with a guess transferred from another kind (window-match.ts) takes this
  // path too: the encodes' own scores and slope correct the guess, for less than a search costs.
  const worthEncoding = prediction.confident || prediction.guess !== undefined;
  if (finalPath && (replayedFinal?.length || (!searchedBefore && worthEncoding))) {
    const whole = planSamples({ segmentFrames: segment.frames, frameRate: ctx.media.video.frameRate, samples: 1, sampleSeconds: Infinity });
    const finalSearch = segmentSearch(whole, settings, true);
    ctx.log?.('debug', `segment ${segment.index}: predicted CRF ${prediction.crf} (${prediction.reason}); encoding it whole`);
    const final = await runFinalEncodes({
      search: finalSearch,
      crfs: replayedFinal?.length ? replayedFinal : [prediction.crf],
      step,
      minCrf: options.minCrf,
      maxCrf: options.maxCrf,
      slope,
      onProbe: (probe) => ctx.onProbe?.(probe),
    });
    const { verdict, probes: finalProbes } = final;
    const last = final.encodes[final.encodes.length - 1]!;
    const answer = verdict.kind === 'accept' ? verdict : last;
    const record = { segment: segment.index, crf: answer.crf, vmaf: answer.vmaf, probes: finalProbes.length };
    await cache.putDecision({ ...record, scope: finalScope, finalEncodes: final.encodes.map((e) => e.crf) });
    job.recordAttempt(segment.index, (n) => attemptLine(n, `final encodes (${verdict.why})`, target, finalProbes, quality.metric));
    if (verdict.kind === 'accept') {
      await cache.putDecision({ ...record, scope });
      const chosen = finalProbes.find((p) => p.crf === verdict.crf)!;
      const warnings = decisionWarnings({
        segment: segment.index,
        target,
        minCrf: options.minCrf,
        run: { crf: verdict.crf, vmaf: verdict.vmaf, reached: true },
        chosen,
        maxEncodedPercent: options.maxEncodedPercent,
        metric: quality.metric,
        sourceBytes: (await stat(ctx.sourceFile)).size,
      });
      const segmentSlopeSeen = segmentSlope(final.encodes, scale);
      const decision: TargetQualityDecision = {
        crf: verdict.crf,
        probes: finalProbes,
        vmaf: verdict.vmaf,
        predictedCrf: final.encodes[0]!.crf,
        finalEncodes: final.encodes.length,
        verify: (encoded) =>
          verifySegment(
            finalSearch,
            verdict.crf,
            { bitsPerPixel, measured: verdict.vmaf, label, slopeSeen: segmentSlopeSeen },
            encoded,
            decision,
          ),
      };
      if (warnings.length) decision.warning = warnings.join('; ');
      if (final.output) decision.reusableOutput = final.output;
      ctx.log?.(
        'debug',
        `segment ${segment.index}: CRF ${verdict.crf} (VMAF ${verdict.vmaf.toFixed(2)}, ${verdict.why}) after ${final.encodes.length} final encode(s)`,
      );
      return decision;
    }
    ctx.log?.('debug', `segment ${segment.index}: ${verdict.why} after ${final.encodes.length} final encode(s); searching`);
    earlier.push(...finalProbes);
  }
  const search = segmentSearch(plan, probeSettings, exactProbes);
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
    neighbours:
      warmStartGuess(prediction, fingerprint !== undefined && job.labels.some((l) => l.window)) ?? newSetUp?.warmStart ?? neighbours,
  });
  const fresh: Probe[] = [];
  const probes: Probe[] = [];
  const run = await runSearchWithFlatStop(
    { target: searchTarget, minCrf: options.minCrf, maxCrf: options.maxCrf, step, warmStart, scale },
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
  job.recordAttempt(segment.index, (n) => attemptLine(n, ctx.attempt?.label ?? 'default settings', target, probes, quality.metric));
  ctx.log?.(
    'debug',
    `segment ${segment.index}: CRF ${run.crf} (${METRICS[quality.metric].label} ${run.vmaf.toFixed(2)}, ${run.reason}) after ${probes.length} probes, ${fresh.length} measured${warmStart.length ? `, warm start ${warmStart.join('/')}` : ''}`,
  );

  const chosen = probes.find((p) => p.crf === run.crf);
  const warnings = decisionWarnings({
    segment: segment.index,
    target,
    minCrf: options.minCrf,
    run,
    chosen,
    maxEncodedPercent: options.maxEncodedPercent,
    metric: quality.metric,
    sourceBytes: chosen ? (await stat(ctx.sourceFile)).size * (plan.frames / segment.frames) : 0,
  });

  const probeFile = path.join(dir, `probe-crf${run.crf}.mkv`);
  const reused = probeIsFinalEncode(plan, search.exactProbes) && (await fileExists(probeFile));
  const seen = {
    probeVmaf: chosen?.vmaf,
    bitsPerPixel,
    label,
    searchUnreachable: !run.reached,
    slopeSeen: run.flat ? undefined : segmentSlope(run.observations, scale),
  };
  const decision: TargetQualityDecision = {
    crf: run.crf,
    probes: [...earlier, ...probes],
    vmaf: run.vmaf,
    verify: (encoded) => verifySegment(search, run.crf, seen, encoded, decision),
  };
  if (prediction.source !== 'none' || prediction.guess !== undefined) decision.predictedCrf = prediction.crf;
  if (earlier.length) decision.finalEncodes = earlier.length;
  if (warnings.length) decision.warning = warnings.join('; ');
  if (reused) decision.reusableOutput = probeFile;
  return decision;
}
