import { windowCoordinates, type WindowFeature } from './content-window';

/**
 * The predictor's rules on the content fingerprint (content-window.ts), used when the segment has
 * one: a labelled segment is the same kind of content when its window scored close (u within
 * sameKindU) and cost close (bits within sameKindLogBits, in ln). On bench/film's first 2 minutes
 * the kinds are that far apart: establishing and action differ by ×3 in bits (ln 1.0–1.2) at
 * nearly the same VMAF, action and detail by 0.8–1.4 in u at the same bits; inside a kind the
 * spread was 0.33 in u and 0.55 in ln bits.
 * - same run: a same-kind label at most `runDistance` segments away, the nearest (latest on a tie);
 * - returning content: same-kind labels anywhere in the job, their median when they agree;
 * - a new kind: no prediction to trust (warm up); the nearest label in u, moved along the job's
 *   slope by the difference in u, is the search's first guess when that label was not held at the
 *   end of the CRF range.
 * Pure.
 */

export interface WindowLabel {
  segment: number;
  crf: number;
  window?: WindowFeature;
}

export interface WindowMatchConfig {
  sameKindU: number;
  sameKindLogBits: number;
  runDistance: number;
  /** Largest spread (CRF) of same-kind labels that are trusted together. */
  returningSpread: number;
}

export const DEFAULT_WINDOW_MATCH: WindowMatchConfig = {
  sameKindU: 0.45,
  sameKindLogBits: 0.7,
  runDistance: 2,
  returningSpread: 3,
};

export interface WindowMatch {
  crf: number;
  source: 'run' | 'similar' | 'none';
  confident: boolean;
  reason: string;
  /** A new kind: the search's first probe (undefined when nothing transfers). */
  guess?: number;
}

export function sameKind(a: WindowFeature, b: WindowFeature, config: WindowMatchConfig = DEFAULT_WINDOW_MATCH): boolean {
  const x = windowCoordinates(a);
  const y = windowCoordinates(b);
  return Math.abs(x.u - y.u) <= config.sameKindU && Math.abs(x.logBits - y.logBits) <= config.sameKindLogBits;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function matchWindow(input: {
  segment: number;
  window: WindowFeature;
  labels: readonly WindowLabel[];
  minCrf: number;
  maxCrf: number;
  /** u lost per CRF (acceptance.ts's learnedSlope). */
  slope: number;
  config?: WindowMatchConfig;
}): WindowMatch {
  const config = input.config ?? DEFAULT_WINDOW_MATCH;
  const clamp = (crf: number) => Math.min(input.maxCrf, Math.max(input.minCrf, Math.round(crf)));
  const withWindow = input.labels.map((label, order) => ({ label, order })).filter(({ label }) => label.window);
  const kin = withWindow.filter(({ label }) => sameKind(input.window, label.window!, config));
  const distance = (s: number) => Math.abs(s - input.segment);

  const run = kin
    .filter(({ label }) => distance(label.segment) <= config.runDistance)
    .sort((x, y) => distance(x.label.segment) - distance(y.label.segment) || y.order - x.order);
  if (run.length) {
    const nearest = run[0]!.label;
    return { crf: clamp(nearest.crf), source: 'run', confident: true, reason: `same run and kind as segment ${nearest.segment}` };
  }
  if (kin.length) {
    const crfs = kin.map(({ label }) => label.crf);
    const spread = Math.max(...crfs) - Math.min(...crfs);
    const confident = spread <= config.returningSpread;
    return {
      crf: clamp(median(crfs)),
      source: 'similar',
      confident,
      reason: `${kin.length} label(s) of the same kind${confident ? '' : `, spread ${spread.toFixed(1)} CRF`}`,
    };
  }
  // A new kind: the nearest label in u that is not at the end of the range, moved along the slope.
  const u = windowCoordinates(input.window).u;
  const free = withWindow
    .map(({ label }) => label)
    .filter((l) => l.crf > input.minCrf + 0.5 && l.crf < input.maxCrf - 0.5)
    .sort((a, b) => Math.abs(windowCoordinates(a.window!).u - u) - Math.abs(windowCoordinates(b.window!).u - u));
  const from = free[0];
  const guess = from ? clamp(from.crf + (u - windowCoordinates(from.window!).u) / input.slope) : undefined;
  return {
    crf: guess ?? clamp((input.minCrf + input.maxCrf) / 2),
    source: 'none',
    confident: false,
    reason: withWindow.length ? 'a new kind of content: warm up' : 'no label yet: warm up',
    ...(guess !== undefined ? { guess } : {}),
  };
}
