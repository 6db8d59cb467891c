/**
 * The quality metrics a job can target or score (issue 25), and the facts every side shows about
 * them: names, labels, units, defaults and verification bands. Written once here; the server's
 * engines (server/src/metrics, server/src/vmaf), the option catalogue, the report and the editor
 * read them from this file.
 */
export const METRIC_NAMES = ['vmaf', 'ssimulacra2', 'xpsnr'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export function isMetricName(value: string): value is MetricName {
  return (METRIC_NAMES as readonly string[]).includes(value);
}

export interface MetricFacts {
  /** As printed in sentences and chart titles. */
  label: string;
  /** As the segment tree and narrow columns print it (`ssimu2 81.2`). */
  short: string;
  /** Unit after the number, '' when the metric has none. */
  unit: '' | 'dB';
  /** Digits after the point when a score is shown. */
  digits: number;
  /**
   * The target used when none is given: what corresponds to VMAF 93 on the film bench
   * (docs/notes/metric25c.md: SSIMULACRA2 48 and 64, XPSNR 34.3 and 36.2 dB on the two kinds that
   * reach VMAF 93 at CRF 20–44; their mean, rounded).
   */
  defaultTarget: number;
  /** The values a target may take. */
  range: { min: number; max: number };
  /** The verification band, in the metric's own units: a segment is accepted in [T − below, T + above]. */
  band: { below: number; above: number };
}

export const METRICS: Readonly<Record<MetricName, MetricFacts>> = {
  vmaf: {
    label: 'VMAF',
    short: 'VMAF',
    unit: '',
    digits: 2,
    defaultTarget: 93,
    range: { min: 1, max: 100 },
    band: { below: 0.5, above: 2 },
  },
  ssimulacra2: {
    label: 'SSIMULACRA2',
    short: 'ssimu2',
    unit: '',
    digits: 1,
    defaultTarget: 56,
    range: { min: 1, max: 100 },
    // 0.8–1.2 points per CRF on the bench: about 1 CRF below, 3–5 above (VMAF's band is 1–2 and 4–6).
    band: { below: 1, above: 4 },
  },
  xpsnr: {
    label: 'XPSNR',
    short: 'XPSNR',
    unit: 'dB',
    digits: 2,
    defaultTarget: 35,
    range: { min: 10, max: 80 },
    // 0.07–0.11 dB per CRF on the bench: 0.25/1 dB was 3 CRF below and 10–14 above, and its flat-curve
    // width (0.375 dB over 6 CRF) took a normal curve for a flat one.
    band: { below: 0.15, above: 0.6 },
  },
};

/** `ssimu2 81.2`, `VMAF 93.21`, `XPSNR 42.10 dB`. */
export function formatMetricScore(metric: MetricName, value: number): string {
  const facts = METRICS[metric];
  return `${facts.short} ${value.toFixed(facts.digits)}${facts.unit ? ` ${facts.unit}` : ''}`;
}
