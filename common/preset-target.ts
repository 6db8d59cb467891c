/**
 * A preset's target keys checked together (issue 25): `crf`, `targetVmaf`, `targetMetric`,
 * `target`, `pool` and `alsoScore`. Each key's own type is the option catalogue's; what the keys
 * say together is the CLI's rule (common/quality-target.ts, `targetProblem`: targetVmaf is VMAF
 * only, a target lies in its metric's range, `min` pools VMAF only, ...), so a preset is refused
 * exactly where the same flags would be. Its line names flags; here they become the preset's keys
 * (`--target` → `target`), and the problem is reported on the first key it names.
 */
import { OPTION_CATALOGUE, type OptionKey } from './option-catalogue';
import { targetProblem, type TargetOptions } from './quality-target';

export interface PresetTargetFields extends TargetOptions {
  crf?: number | undefined;
}

export interface PresetTargetProblem {
  /** The key the problem is reported on. */
  key: OptionKey;
  message: string;
}

/** `--target-vmaf` → `targetVmaf`, from the catalogue's flags. */
const KEY_OF_FLAG = new Map(
  Object.entries(OPTION_CATALOGUE).flatMap(([key, spec]) => ('flag' in spec && spec.flag ? [[`--${spec.flag}`, key as OptionKey]] : [])),
);

export function presetTargetProblems(preset: PresetTargetFields): PresetTargetProblem[] {
  const problems: PresetTargetProblem[] = [];
  const { crf, targetVmaf, targetMetric, target } = preset;
  if (crf !== undefined && targetVmaf !== undefined)
    problems.push({ key: 'crf', message: 'a preset sets either targetVmaf or crf, not both' });
  if (crf !== undefined && (target !== undefined || targetMetric !== undefined))
    problems.push({ key: 'crf', message: 'a preset sets either a target (targetMetric, target) or crf, not both' });
  const line = targetProblem(preset);
  if (line) {
    const named: OptionKey[] = [];
    const message = line.replace(/--[a-z][a-z-]*/g, (flag) => {
      const key = KEY_OF_FLAG.get(flag);
      if (key) named.push(key);
      return key ?? flag;
    });
    problems.push({ key: named[0] ?? 'target', message });
  }
  return problems;
}
