import { learnCorrection, probeTarget, type Correction } from './probe-correction';
import { predictCrf, type CrfPrediction, type DecidedSegment } from './crf-prediction';
import type { VerifiedObservation } from './crf-job-state';

/**
 * How one segment's search is set up from what the job has learned (issue 16, levers 1–3), when its
 * probes are cheap (--probe-preset other than --preset): the probe target from the learned
 * correction, the warm start from the predicted CRF, and fewer, shorter samples when both the
 * prediction and the correction are trusted. Pure; every final encode is still measured whole.
 */

export interface LearnedSearchInput {
  target: number;
  minCrf: number;
  maxCrf: number;
  samples: number;
  sampleSeconds: number;
  bitsPerPixel: number;
  verified: readonly (VerifiedObservation & { bitsPerPixel?: number })[];
  neighbours: readonly number[];
}

export interface LearnedSearchSetup {
  /** The VMAF the probes aim at. */
  probeTarget: number;
  correction: Correction;
  prediction: CrfPrediction;
  /** The search's first CRF(s). */
  warmStart: number[];
  samples: number;
  sampleSeconds: number;
}

/** Samples when the job's model is trusted: one, of at least a second (ab-av1 and Av1an both probe on far less than the whole). */
export const CONFIDENT_SAMPLES = 1;
export const CONFIDENT_SAMPLE_SECONDS = 1;

export function setUpLearnedSearch(input: LearnedSearchInput): LearnedSearchSetup {
  const decided: DecidedSegment[] = input.verified
    .filter((v) => v.bitsPerPixel !== undefined)
    .map((v) => ({ bitsPerPixel: v.bitsPerPixel!, crf: v.crf }));
  const prediction = predictCrf({
    bitsPerPixel: input.bitsPerPixel,
    decided,
    neighbours: input.neighbours,
    minCrf: input.minCrf,
    maxCrf: input.maxCrf,
  });
  const pairs = input.verified
    .filter((v) => v.probeVmaf !== undefined)
    .map((v) => ({ crf: v.crf, probeVmaf: v.probeVmaf!, finalVmaf: v.vmaf }));
  const correction = learnCorrection(pairs, prediction.crf);
  const confident = prediction.confident && correction.trusted;
  return {
    probeTarget: probeTarget(input.target, correction),
    correction,
    prediction,
    warmStart: prediction.source === 'none' ? [] : [prediction.crf],
    samples: confident ? Math.min(input.samples, CONFIDENT_SAMPLES) : input.samples,
    sampleSeconds: confident
      ? Math.min(input.sampleSeconds, Math.max(CONFIDENT_SAMPLE_SECONDS, input.sampleSeconds / 2))
      : input.sampleSeconds,
  };
}
