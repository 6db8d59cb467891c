import { METRICS, type MetricName } from './quality-metric';

/**
 * A job's quality target, resolved once from the options (issue 25): which metric, what value in
 * that metric's units, how its frames pool into the segment's score, and the verification band.
 * `--target-vmaf N` is the short form of `--target-metric vmaf --target N`; `--target-metric M`
 * alone targets M's default (common/quality-metric.ts). Pure: the options schema refuses what
 * `targetProblem` names, and the pipeline, the CRF stage, the manifest and the events read
 * `qualityTargetOf` and nothing else.
 */
export interface QualityTarget {
  metric: MetricName;
  value: number;
  /** The segment statistic: VMAF's pool names (harmonic_mean, mean, min, pN) or mean | harmonic | pN. */
  pool: string;
  /** The verification band, in the metric's units: a segment is accepted in [low, high]. */
  low: number;
  high: number;
}

/** The options a target is resolved from (a subset of EncodeOptions, so tests may pass only these). */
export interface TargetOptions {
  targetVmaf?: number | undefined;
  targetMetric?: MetricName | undefined;
  target?: number | undefined;
  pool?: string | undefined;
  vmafPool?: string | undefined;
  alsoScore?: readonly MetricName[] | undefined;
}

/** SSIMULACRA2's and XPSNR's pool when none is named: the mean of the scored frames. */
export const DEFAULT_METRIC_POOL = 'mean';
/** VMAF's pool when none is named (the catalogue's --vmaf-pool default). */
const DEFAULT_VMAF_POOL = 'harmonic_mean';

/** `--pool harmonic` for VMAF is libvmaf's harmonic_mean; the other metrics have no min (Av1an's stats). */
function poolFor(metric: MetricName, options: TargetOptions): string {
  if (metric === 'vmaf') {
    if (options.pool === undefined) return options.vmafPool ?? DEFAULT_VMAF_POOL;
    return options.pool === 'harmonic' ? 'harmonic_mean' : options.pool;
  }
  if (options.pool === undefined) return DEFAULT_METRIC_POOL;
  return options.pool === 'harmonic_mean' ? 'harmonic' : options.pool;
}

/** One line naming what is wrong with the target options, or undefined. */
export function targetProblem(options: TargetOptions): string | undefined {
  const { targetVmaf, targetMetric, target } = options;
  if (targetVmaf !== undefined && targetMetric !== undefined && targetMetric !== 'vmaf')
    return `--target-vmaf ${targetVmaf} and --target-metric ${targetMetric} name two targets; give --target-metric ${targetMetric} --target N, or --target-vmaf alone`;
  if (targetVmaf !== undefined && target !== undefined && target !== targetVmaf)
    return `--target-vmaf ${targetVmaf} and --target ${target} disagree; give one of them`;
  const metric = targetMetric ?? 'vmaf';
  const value = target ?? targetVmaf;
  const { range, label } = METRICS[metric];
  if (value !== undefined && (value < range.min || value > range.max))
    return `--target: ${value} is out of ${label}'s range ${range.min}–${range.max}`;
  if (options.pool !== undefined && metric !== 'vmaf' && options.pool === 'min')
    return `--pool min is VMAF's; ${label} pools by mean, harmonic or pN`;
  if (options.alsoScore?.length && target === undefined && targetVmaf === undefined && targetMetric === undefined)
    return '--also-score scores at the verification of a target (--target-metric/--target or --target-vmaf); a fixed --crf has none';
  if (options.pool !== undefined && target === undefined && targetVmaf === undefined && targetMetric === undefined)
    return '--pool needs a target (--target-metric M and/or --target N, or --target-vmaf N)';
  return undefined;
}

/** The job's target, or undefined for a fixed-CRF job. Assumes targetProblem found nothing. */
export function qualityTargetOf(options: TargetOptions): QualityTarget | undefined {
  const { targetVmaf, targetMetric, target } = options;
  if (targetVmaf === undefined && targetMetric === undefined && target === undefined) return undefined;
  const metric = targetMetric ?? 'vmaf';
  const facts = METRICS[metric];
  const value = target ?? targetVmaf ?? facts.defaultTarget;
  return { metric, value, pool: poolFor(metric, options), ...bandAround(metric, value) };
}

/** The verification band around a target value, in the metric's units. */
export function bandAround(metric: MetricName, value: number): { low: number; high: number } {
  const { band } = METRICS[metric];
  return { low: round6(value - band.below), high: round6(value + band.above) };
}

function round6(value: number): number {
  return Number(value.toFixed(6));
}

/** `SSIMULACRA2 80 (mean)`, `VMAF 93 (harmonic_mean)`, `XPSNR 42 dB (mean)`: the target as the summary names it. */
export function describeTarget(target: QualityTarget): string {
  const facts = METRICS[target.metric];
  return `${facts.label} ${target.value}${facts.unit ? ` ${facts.unit}` : ''} (${target.pool})`;
}
