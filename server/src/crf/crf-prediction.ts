/**
 * Start at the answer (issue 16, lever 2): predict a segment's CRF before any probe from a cheap
 * content signal, the job's verified segments and the neighbours' decisions. The signal is the
 * segment copy's bits per pixel (a stream copy, already on disk: no encode, no decode); within one
 * source, harder content costs more bits, and the CRF reaching a fixed VMAF falls roughly linearly
 * in the signal's logarithm. Pure: the driver feeds it what the job has verified.
 */

export interface DecidedSegment {
  /** Bits per pixel of the segment copy. */
  bitsPerPixel: number;
  crf: number;
}

export interface CrfPrediction {
  crf: number;
  /** Fitted on this job's own segments with a small residual: the search may trust it. */
  confident: boolean;
  /** Residual spread of the fit, in CRF steps (Infinity without a fit). */
  spread: number;
  source: 'fit' | 'neighbours' | 'none';
}

export interface PredictionInput {
  bitsPerPixel: number;
  /** This job's verified segments (same target and settings), in the order they were verified. */
  decided: readonly DecidedSegment[];
  /** CRFs chosen for nearby segments, nearest first. */
  neighbours: readonly number[];
  minCrf: number;
  maxCrf: number;
}

/** Fewest segments to fit the job's curve on. */
export const MIN_FIT_SEGMENTS = 3;
/** Largest residual spread (CRF steps) of a fit the search trusts. */
export const CONFIDENT_SPREAD = 2;

/** Least squares crf = a + b·ln(bpp) over the decided segments; undefined when the signal does not vary. */
export function fitCrfCurve(decided: readonly DecidedSegment[]): { a: number; b: number; spread: number } | undefined {
  const points = decided.filter((d) => d.bitsPerPixel > 0).map((d) => ({ x: Math.log(d.bitsPerPixel), y: d.crf }));
  if (points.length < MIN_FIT_SEGMENTS) return undefined;
  const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const my = points.reduce((s, p) => s + p.y, 0) / points.length;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx < 1e-9) return undefined;
  const b = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
  const a = my - b * mx;
  const residual = points.reduce((s, p) => s + (p.y - (a + b * p.x)) ** 2, 0);
  return { a, b, spread: Math.sqrt(residual / Math.max(1, points.length - 2)) };
}

export function predictCrf(input: PredictionInput): CrfPrediction {
  const clamp = (crf: number) => Math.min(input.maxCrf, Math.max(input.minCrf, Math.round(crf)));
  const fit = input.bitsPerPixel > 0 ? fitCrfCurve(input.decided) : undefined;
  if (fit) {
    const crf = clamp(fit.a + fit.b * Math.log(input.bitsPerPixel));
    // A decreasing curve (more bits, lower CRF) is the expected shape; anything else is not trusted.
    return { crf, confident: fit.b < 0 && fit.spread <= CONFIDENT_SPREAD, spread: fit.spread, source: 'fit' };
  }
  if (input.neighbours.length) {
    const near = [...input.neighbours.slice(0, 2)].sort((x, y) => x - y);
    const median = near.length === 2 ? (near[0]! + near[1]!) / 2 : near[0]!;
    return { crf: clamp(median), confident: false, spread: Infinity, source: 'neighbours' };
  }
  return { crf: clamp((input.minCrf + input.maxCrf) / 2), confident: false, spread: Infinity, source: 'none' };
}
