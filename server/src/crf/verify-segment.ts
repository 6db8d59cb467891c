import { rm, stat } from 'node:fs/promises';
import type { CrfDecision } from './crf-strategy';
import type { SegmentPrediction } from './crf-predictor';
import type { WindowFeature } from './content-window';
import { labelCrf } from './acceptance';
import { alsoScores } from './also-score';
import { qualityTargetOf } from '../../../common/options';
import { METRICS } from '../../../common/quality-metric';
import type { MetricScores } from '../../../common/events';
import { missAnswer, unreachableText } from './unreachable';
import { probeIsFinalEncode, verifiedMiss } from './target-quality-plan';
import {
  cutWholeSegment,
  keptFrames,
  measureAgainst,
  probeKey,
  reference,
  segmentThroughFilter,
  verifyKey,
  type ScoredFrame,
  type SegmentSearch,
} from './probe-measure';

/**
 * The whole-segment check of target quality after the final encode: the score (measured, or the
 * one the final-encode path or an exact full-pass probe already has), the answer to a miss (the
 * retry ladder, an unreachable target, or --strict's failure) and the label the job learns from.
 */

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
  /** The verified score in the target metric (VMAF unless the job targets another). */
  vmaf: number;
  /** Another target metric, or --also-score: every metric measured at verification, the target's included. */
  scores?: MetricScores;
  /** The scored frames of the measurement, when this run made it (not from the cache of an earlier run). */
  frames?: ScoredFrame[];
}

/**
 * Whole-segment VMAF of the final encode. A full-pass probe reused as the output was already
 * measured on the whole segment, so it is not measured again. Misses beyond the margin throw
 * (the retry ladder takes over) with every observation of every attempt in the message.
 */
export interface SeenBeforeVerify {
  probeVmaf?: number;
  bitsPerPixel: number;
  /** The final-encode path's accepted score of this very encode. */
  measured?: number;
  /** The search stopped on a flat curve or at --min-crf without reaching its target. */
  searchUnreachable?: boolean;
  label: { prediction: SegmentPrediction; slope: number; window?: WindowFeature };
  /** u per CRF this segment's observations gave, if any. */
  slopeSeen?: number;
}

export async function verifySegment(
  search: SegmentSearch,
  crf: number,
  seen: SeenBeforeVerify,
  encoded: string,
  decision: CrfDecision,
): Promise<VerifiedQuality> {
  const { ctx, cache, plan, job } = search;
  try {
    // An exact full-pass probe at this CRF ran the very command of the final encode (SVT-AV1 is
    // deterministic), so its measurement is the whole segment's, reused or re-encoded.
    const measured = seen.measured ?? (probeIsFinalEncode(plan, search.exactProbes) ? cache.get(probeKey(search, crf))?.vmaf : undefined);
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
    const { scale } = search;
    const miss = verifiedMiss({
      segment: ctx.segment.index,
      crf,
      vmaf,
      target: search.target,
      history: job.historyOf(ctx.segment.index),
      scale,
    });
    // Judged against the job's own target: a lowered rung's target is never reported as met.
    const jobTarget = qualityTargetOf(ctx.options)?.value ?? search.target;
    const answer = missAnswer({
      vmaf,
      target: jobTarget,
      strict: ctx.options.strict,
      searchSaidUnreachable: Boolean(seen.searchUnreachable),
      scale,
    });
    if (miss && answer !== 'unreachable') throw new TargetMissedError(miss, ctx.segment.index);
    if (answer !== 'met') {
      if (ctx.options.strict) {
        throw new TargetMissedError(
          `segment ${ctx.segment.index}: verified ${METRICS[scale.metric].label} ${vmaf.toFixed(2)} at CRF ${crf} is under the target ${jobTarget} (reached only for a lowered target); --strict`,
          ctx.segment.index,
        );
      }
      decision.unreachable = unreachableText(vmaf, crf);
      const why = seen.searchUnreachable
        ? `${METRICS[scale.metric].label} saturates below ${jobTarget} at every CRF measured; kept at the knee`
        : `the target was lowered to ${search.target} to reach it`;
      const note = `segment ${ctx.segment.index}: ${decision.unreachable} (${why}; --strict fails instead)`;
      decision.warning = decision.warning ? `${decision.warning}; ${note}` : note;
    } else {
      // Every verified segment is the predictor's label: its CRF at T, and what was predicted for it.
      const { prediction, slope } = seen.label;
      if (seen.slopeSeen !== undefined) job.slopes.push(seen.slopeSeen);
      job.recordLabel({
        segment: ctx.segment.index,
        bitsPerPixel: seen.bitsPerPixel,
        crf: labelCrf({ crf, vmaf, target: jobTarget, slope, minCrf: ctx.options.minCrf, maxCrf: ctx.options.maxCrf, scale }),
        ...(prediction.source !== 'none' || prediction.guess !== undefined ? { predicted: prediction.crf } : {}),
        ...(seen.label.window ? { window: seen.label.window } : {}),
      });
    }
    job.forget(ctx.segment.index);
    const verified: VerifiedQuality = frames?.length ? { vmaf, frames } : { vmaf };
    const also = ctx.options.alsoScore ?? [];
    if (scale.metric !== 'vmaf' || also.length) {
      verified.scores = {
        [scale.metric]: vmaf,
        ...(await alsoScores(search, crf, encoded, also, ctx.options.vmafPool)),
      };
    }
    return verified;
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
