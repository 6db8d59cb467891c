import { fitCrfCurve } from './crf-prediction';
import type { WindowFeature } from './content-window';
import { matchWindow } from './window-match';
import { ASSUMED_U_PER_CRF } from './search';

/**
 * The per-job CRF predictor (issue 22, item 3): every verified segment is an exact label (the CRF it
 * needed for T at the final preset), and the film amortises them. A segment's CRF is predicted from
 * features that cost nothing more than what the job already has:
 * - its neighbours in the same run of content (labelled segments a few indices away whose content
 *   signal is close): adjacent segments of one scene need close CRFs, and the nearest one follows
 *   a drift along the run;
 * - the segment copy's bits per pixel (a stream copy already on disk): within one source, harder
 *   content costs more bits, and labels of similar bits per pixel are what returning content looks
 *   like (a film returns to earlier kinds of content);
 * - the scene-detection score at its start, when the plan kept one: a hard cut with a jump in bits
 *   per pixel is a change of content, and a change of content means warming up again.
 * Pure: the driver feeds it the job's labels (CrfJobState) and asks before each segment.
 */

export interface SegmentFeatures {
  segment: number;
  /** Bits per pixel of the segment copy (8 · bytes ÷ (frames · width · height)). */
  bitsPerPixel: number;
  /** Scene-detection score (0..1) of the cut that opens the segment, when known. */
  sceneScore?: number;
  /**
   * The content fingerprint (content-window.ts), when measured: the predictor then compares kinds
   * of content on it (window-match.ts) instead of on bits per pixel of the source.
   */
  window?: WindowFeature;
}

export interface CrfLabel extends SegmentFeatures {
  /** The CRF the segment needed for T at the final preset (verified). */
  crf: number;
  /** What the predictor said before the segment was decided, when it was asked. */
  predicted?: number;
}

export type PredictionSource = 'run' | 'similar' | 'fit' | 'none';

export interface SegmentPrediction {
  crf: number;
  source: PredictionSource;
  /** Trusted enough to encode the whole segment at `crf` without a search (else: warm up). */
  confident: boolean;
  /** Why, in a few words (logged). */
  reason: string;
  /** Not confident: a first guess for the warm-up's search, when one transfers from another kind. */
  guess?: number;
}

export interface PredictorConfig {
  /** Same run: a labelled segment at most this many indices away... */
  runDistance: number;
  /** ...whose ln(bits per pixel) differs by at most this much (about ±35 %). */
  runLogBpp: number;
  /** Similar content elsewhere in the job: ln(bits per pixel) within this (about ±20 %). */
  similarLogBpp: number;
  /** Similar labels needed, and the largest spread (CRF) among them, to trust them. */
  similarMin: number;
  similarSpread: number;
  /** Labels for the whole-job fit crf = a + b·ln(bpp), and its largest residual (CRF) to trust it. */
  fitMin: number;
  fitSpread: number;
  /** A cut scoring at least this, with a jump in bits per pixel beyond runLogBpp / 2, breaks a run. */
  hardCut: number;
}

export const DEFAULT_PREDICTOR: PredictorConfig = {
  runDistance: 2,
  runLogBpp: 0.3,
  similarLogBpp: 0.18,
  similarMin: 2,
  similarSpread: 1.5,
  fitMin: 4,
  fitSpread: 1.2,
  hardCut: 0.4,
};

export interface PredictInput {
  segment: SegmentFeatures;
  /** The job's labels, in the order they were verified. */
  labels: readonly CrfLabel[];
  minCrf: number;
  maxCrf: number;
  config?: PredictorConfig;
  /** u lost per CRF (acceptance.ts's learnedSlope); the window rules move a guess along it. */
  slope?: number;
}

const logRatio = (a: number, b: number) => Math.abs(Math.log(a / b));

/** Least squares crf = a + b·ln(bpp) over the labels (crf-prediction.ts's fit, at least 3 labels). */
export function fitLabels(labels: readonly CrfLabel[]): { a: number; b: number; spread: number } | undefined {
  return fitCrfCurve(labels);
}

/**
 * CRF per unit of ln(bpp) from the job's labels: the fit's slope when it is the expected sign
 * (more bits, lower CRF), else 0 (a neighbour's label is then used as it is).
 */
function bppSlope(labels: readonly CrfLabel[], config: PredictorConfig): number {
  if (labels.length < config.fitMin) return 0;
  const fit = fitLabels(labels);
  return fit && fit.b < 0 ? fit.b : 0;
}

/** Whether a labelled segment belongs to the query's run of content. */
function sameRun(query: SegmentFeatures, label: CrfLabel, config: PredictorConfig): boolean {
  if (Math.abs(label.segment - query.segment) > config.runDistance) return false;
  const jump = logRatio(query.bitsPerPixel, label.bitsPerPixel);
  if (jump > config.runLogBpp) return false;
  // A hard cut between them with a visible jump in the signal: a change of content, even if small.
  const cut = label.segment < query.segment ? query.sceneScore : label.sceneScore;
  if (Math.abs(label.segment - query.segment) === 1 && (cut ?? 0) >= config.hardCut && jump > config.runLogBpp / 2) return false;
  return true;
}

export function predictSegmentCrf(input: PredictInput): SegmentPrediction {
  const config = input.config ?? DEFAULT_PREDICTOR;
  const { segment, labels } = input;
  if (segment.window) {
    return matchWindow({
      segment: segment.segment,
      window: segment.window,
      labels,
      minCrf: input.minCrf,
      maxCrf: input.maxCrf,
      slope: input.slope ?? ASSUMED_U_PER_CRF,
    });
  }
  const clamp = (crf: number) => Math.min(input.maxCrf, Math.max(input.minCrf, Math.round(crf)));
  const slope = bppSlope(labels, config);
  const shifted = (label: CrfLabel) => label.crf + slope * Math.log(segment.bitsPerPixel / label.bitsPerPixel);
  const usable = segment.bitsPerPixel > 0 ? labels.filter((l) => l.bitsPerPixel > 0) : [];

  // 1. The same run: the nearest labelled neighbour (latest verified on a tie), so a drift is followed.
  const run = usable
    .map((label, order) => ({ label, order }))
    .filter(({ label }) => sameRun(segment, label, config))
    .sort((x, y) => Math.abs(x.label.segment - segment.segment) - Math.abs(y.label.segment - segment.segment) || y.order - x.order);
  if (run.length) {
    const nearest = run[0]!.label;
    return { crf: clamp(shifted(nearest)), source: 'run', confident: true, reason: `same run as segment ${nearest.segment}` };
  }

  // 2. Returning content: labels of similar bits per pixel anywhere in the job, if they agree.
  const similar = usable.filter((l) => logRatio(segment.bitsPerPixel, l.bitsPerPixel) <= config.similarLogBpp);
  if (similar.length >= config.similarMin) {
    const crfs = similar.map(shifted);
    const mean = crfs.reduce((s, c) => s + c, 0) / crfs.length;
    const spread = Math.max(...crfs) - Math.min(...crfs);
    if (spread <= config.similarSpread) {
      return { crf: clamp(mean), source: 'similar', confident: true, reason: `${similar.length} labels of similar content` };
    }
  }

  // 3. The whole job's curve, trusted only when the labels sit close to it.
  const fit = usable.length >= config.fitMin && segment.bitsPerPixel > 0 ? fitLabels(usable) : undefined;
  if (fit) {
    const crf = clamp(fit.a + fit.b * Math.log(segment.bitsPerPixel));
    // Not trusted outside the signal's labelled range: a new kind of content is warmed up.
    const xs = usable.map((l) => Math.log(l.bitsPerPixel));
    const x = Math.log(segment.bitsPerPixel);
    const inside = x >= Math.min(...xs) - config.similarLogBpp && x <= Math.max(...xs) + config.similarLogBpp;
    const confident = fit.b < 0 && fit.spread <= config.fitSpread && inside;
    return { crf, source: 'fit', confident, reason: `job fit, residual ${fit.spread.toFixed(2)} CRF` };
  }
  const nearestAny = [...usable].sort((x, y) => Math.abs(x.segment - segment.segment) - Math.abs(y.segment - segment.segment))[0];
  if (nearestAny) return { crf: clamp(nearestAny.crf), source: 'none', confident: false, reason: 'new content: warm up' };
  return { crf: clamp((input.minCrf + input.maxCrf) / 2), source: 'none', confident: false, reason: 'no label yet: warm up' };
}

export interface PredictorError {
  /** Labels that had a prediction. */
  count: number;
  /** Mean absolute error in CRF. */
  mean: number;
  worst: number;
  /** Share of predictions within ±1 CRF of the label. */
  withinOne: number;
}

/** The predictor's error in CRF over the labels that were predicted (all of them, warm-ups included). */
export function predictorError(labels: readonly CrfLabel[]): PredictorError {
  const errors = labels.filter((l) => l.predicted !== undefined).map((l) => Math.abs(l.predicted! - l.crf));
  if (!errors.length) return { count: 0, mean: 0, worst: 0, withinOne: 0 };
  return {
    count: errors.length,
    mean: errors.reduce((s, e) => s + e, 0) / errors.length,
    worst: Math.max(...errors),
    withinOne: errors.filter((e) => e <= 1).length / errors.length,
  };
}
