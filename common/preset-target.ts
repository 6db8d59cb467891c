/**
 * A preset's target keys checked together (issue 25): `crf`, `targetVmaf`, `targetMetric` and
 * `target`. Each key's own type and range is the option catalogue's (presetShape); what one key
 * cannot say alone is here: a fixed CRF excludes a target, `targetVmaf` is VMAF only, and a target
 * lies in its metric's range (common/quality-metric.ts), so `target: 95` is fine for VMAF and
 * refused for XPSNR. Pure; settings.ts reports each problem on its key.
 */
import { METRICS, isMetricName } from './quality-metric';

export interface PresetTargetFields {
  crf?: number;
  targetVmaf?: number;
  targetMetric?: string;
  target?: number;
}

export interface PresetTargetProblem {
  /** The key the problem is reported on. */
  key: keyof PresetTargetFields;
  message: string;
}

export function presetTargetProblems(preset: PresetTargetFields): PresetTargetProblem[] {
  const problems: PresetTargetProblem[] = [];
  const { crf, targetVmaf, targetMetric, target } = preset;
  if (crf !== undefined && targetVmaf !== undefined)
    problems.push({ key: 'crf', message: 'a preset sets either targetVmaf or crf, not both' });
  if (crf !== undefined && (target !== undefined || targetMetric !== undefined))
    problems.push({ key: 'crf', message: 'a preset sets either a target (targetMetric, target) or crf, not both' });
  if (targetVmaf !== undefined && targetMetric !== undefined && targetMetric !== 'vmaf')
    problems.push({ key: 'targetVmaf', message: `targetVmaf is a VMAF target; with targetMetric "${targetMetric}" set target instead` });
  const metric = targetMetric ?? 'vmaf';
  if (metric === 'vmaf' && targetVmaf !== undefined && target !== undefined && targetVmaf !== target)
    problems.push({ key: 'target', message: `target ${target} and targetVmaf ${targetVmaf} disagree; set one of them` });
  if (target !== undefined && isMetricName(metric)) {
    const { label, range, unit } = METRICS[metric];
    if (target < range.min || target > range.max)
      problems.push({
        key: 'target',
        message: `target ${target} is outside ${label}'s range ${range.min}–${range.max}${unit ? ` ${unit}` : ''}`,
      });
  }
  return problems;
}
