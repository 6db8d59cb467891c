import { METRICS, type MetricName } from '../../../common/quality-metric';

/**
 * How the CRF search reads one metric's scores (issue 25). Pure. The search interpolates on a scale
 * u that is close to a line in CRF, and its tolerances were tuned in VMAF points:
 *
 * - VMAF: u = −ln(100 − VMAF), the distortion's logarithm (search.ts: 100 − VMAF ≈ d·e^(CRF/s)).
 * - SSIMULACRA2: the same form on 100 − score, which is a distortion too (0 for identical frames);
 *   a score may go below zero, where 100 − score only grows, so u stays defined and decreasing.
 * - XPSNR: dB is already a logarithm of the (weighted) squared error: u = dB · ln(10)/10 is
 *   −ln(wMSE) up to a constant, a line in CRF as VMAF's u is, and with comparable slopes.
 *
 * `unit` converts the VMAF-tuned tolerances (the search's accept tolerance, the flat-curve and knee
 * widths, the re-encode's aim, the stride's near-bound zone, a retry rung's lowered target) into the
 * metric's units: the ratio of its verification band to VMAF's. The band is the metric's own
 * (common/quality-metric.ts: [T − below, T + above]).
 */
export interface MetricScale {
  metric: MetricName;
  /** The search's interpolation scale: increasing with quality, close to linear in CRF. */
  u: (score: number) => number;
  /** The verification band below and above the target, in the metric's units. */
  below: number;
  above: number;
  /** Metric units per VMAF point for the VMAF-tuned tolerances (VMAF: 1). */
  unit: number;
  /** u lost per CRF before a segment's own observations give a slope. */
  assumedSlope: number;
}

/** Under this distortion (100 − score) u stops growing: a near-lossless probe does not dominate a fit. */
const FLOOR_DISTORTION = 0.05;
/** u lost per CRF before two observations give a real slope (VMAF: s = 14, mid-range of the bench's 12–19). */
const VMAF_U_PER_CRF = 1 / 14;
/**
 * SSIMULACRA2 and XPSNR: measured on the bench clip of docs/notes/metric25c.md (CRF 20–50 around
 * VMAF 93) by a least-squares fit of u against CRF.
 */
const SSIMULACRA2_U_PER_CRF = 1 / 22;
const XPSNR_U_PER_CRF = 1 / 16;

function distortionLog(score: number): number {
  return -Math.log(Math.max(100 - score, FLOOR_DISTORTION));
}

const DB_TO_U = Math.LN10 / 10;

function scaleOf(metric: MetricName, u: (score: number) => number, assumedSlope: number): MetricScale {
  const { band } = METRICS[metric];
  return { metric, u, below: band.below, above: band.above, unit: band.below / METRICS.vmaf.band.below, assumedSlope };
}

export const METRIC_SCALES: Readonly<Record<MetricName, MetricScale>> = {
  vmaf: scaleOf('vmaf', distortionLog, VMAF_U_PER_CRF),
  ssimulacra2: scaleOf('ssimulacra2', distortionLog, SSIMULACRA2_U_PER_CRF),
  xpsnr: scaleOf('xpsnr', (db) => db * DB_TO_U, XPSNR_U_PER_CRF),
};

/** VMAF's: what every search without a named metric uses (as before issue 25). */
export const VMAF_SCALE = METRIC_SCALES.vmaf;

export function metricScale(metric: MetricName | undefined): MetricScale {
  return METRIC_SCALES[metric ?? 'vmaf'];
}
