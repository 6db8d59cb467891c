import path from 'node:path';
import { statSync } from 'node:fs';
import { measureVmaf, poolScores } from '../server/src/vmaf';
import type { PlanEvent } from '../common/events';
import { plainSvtEncode, type PlainEncodeSettings } from './ab-av1-style';
import type { ToolWrappers } from './cpu-accounting';

/**
 * Every-frame VMAF per segment window, outside the timing: the whole output scored by the
 * product's built-in engine against the source decoded through ffmpeg's format filter into the
 * encode's pixel format (and the job's crop, if it cropped), each window pooled as the product
 * pools a segment (harmonic mean).
 */
export interface WindowScores {
  /** Harmonic mean of every frame of each planned segment's window, in segment order. */
  windows: number[];
  seconds: number;
}

export type Ranges = PlanEvent['ranges'];

export async function scoreWindows(
  source: string,
  encoded: string,
  plan: Pick<PlanEvent, 'ranges' | 'width' | 'height' | 'crop'>,
  pixelFormat: string,
): Promise<WindowScores> {
  const started = performance.now();
  const crop = plan.crop ? `crop=${plan.crop.width}:${plan.crop.height}:${plan.crop.x}:${plan.crop.y},` : '';
  const result = await measureVmaf(source, encoded, {
    engine: 'builtin',
    subsample: 1,
    inputs: {
      reference: {
        width: plan.crop?.width ?? plan.width,
        height: plan.crop?.height ?? plan.height,
        pixFmt: pixelFormat,
        through: { inputOptions: [], filter: `${crop}format=${pixelFormat}` },
      },
    },
  });
  const byFrame = new Map(result.frames.map((f) => [f.index, f.vmaf]));
  const windows = plan.ranges.map((r) => {
    const scores: number[] = [];
    for (let f = r.startFrame; f < r.startFrame + r.frames; f++) {
      const score = byFrame.get(f);
      if (score !== undefined) scores.push(score);
    }
    if (scores.length !== r.frames) throw new Error(`${encoded}: segment ${r.index} has ${scores.length} of ${r.frames} frames scored`);
    return Math.round(poolScores(scores, 'harmonic_mean') * 1000) / 1000;
  });
  return { windows, seconds: (performance.now() - started) / 1000 };
}

export interface WholeFileStep {
  crf: number;
  bytes: number;
  worstWindow: number;
  windowsBelow: number;
  meets: boolean;
  encodeSeconds: number;
  encodeCpuSeconds: number;
}

/**
 * The best single whole-file CRF that meets T everywhere: the highest CRF whose one plain
 * whole-file encode leaves no segment window below `floor` (T − 0.5, the tolerance the target
 * run's verification allows), found by bisection from a CRF known to pass (`low`) and one known
 * or expected to fail (`high`), at most `maxSteps` encodes. Each step is encoded and scored
 * every frame, outside any timing. Returns the steps and the answer (undefined if none passed).
 */
export async function bestWholeFileCrf(input: {
  wrappers: ToolWrappers;
  source: string;
  dir: string;
  plan: Pick<PlanEvent, 'ranges' | 'width' | 'height' | 'crop'>;
  settings: PlainEncodeSettings;
  floor: number;
  low: number;
  high: number;
  minCrf: number;
  maxSteps: number;
  onStep?: (step: WholeFileStep) => void;
}) {
  const steps: WholeFileStep[] = [];
  const tryCrf = async (crf: number) => {
    const output = path.join(input.dir, `whole-crf${crf}.mkv`);
    const encoded = plainSvtEncode(input.wrappers, { ...input.settings, input: input.source, output, crf });
    const { windows } = await scoreWindows(input.source, output, input.plan, input.settings.pixelFormat);
    const below = windows.filter((w) => w < input.floor).length;
    const step: WholeFileStep = {
      crf,
      bytes: statSync(output).size,
      worstWindow: Math.min(...windows),
      windowsBelow: below,
      meets: below === 0,
      encodeSeconds: Math.round(encoded.seconds * 10) / 10,
      encodeCpuSeconds: encoded.cpuSeconds,
    };
    steps.push(step);
    input.onStep?.(step);
    return step;
  };
  let low = input.low;
  let high = input.high;
  // The lower end must pass: step down until it does (or the range ends).
  let pass: WholeFileStep | undefined;
  while (steps.length < input.maxSteps) {
    const step = await tryCrf(low);
    if (step.meets) {
      pass = step;
      break;
    }
    high = low;
    if (low <= input.minCrf) break;
    low = Math.max(input.minCrf, low - 3);
  }
  while (pass && high - low > 1 && steps.length < input.maxSteps) {
    const mid = Math.floor((low + high) / 2);
    const step = await tryCrf(mid);
    if (step.meets) {
      pass = step;
      low = mid;
    } else high = mid;
  }
  return { steps, best: pass, bracket: { low, high }, exact: pass !== undefined && high - low <= 1 };
}
