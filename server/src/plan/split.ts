import type { FrameTimeline } from '../probe';
import { chooseFixedCuts, chooseSceneCuts, type PlannedCut, type SceneCutLimits } from './scene-cuts';
import type { SceneScore } from '../probe';
import { keyframeCuts } from './plan';

/**
 * `--split`: which cutter places the segment boundaries. Pure: the options and what detection found
 * (scene scores) → the cuts planSegments takes.
 */
export type SplitMode = 'scene' | 'keyframe' | 'fixed';

export interface SplitOptions {
  split: SplitMode;
  segmentSeconds: number;
  minSegmentSeconds: number;
  maxSegmentSeconds?: number;
  sceneThreshold: number;
}

/**
 * The scene cutter's limits. The minimum never exceeds the target (a `--segment-seconds 2` job keeps
 * 2 s segments) and the maximum defaults to twice the target, never under it.
 */
export function sceneLimits(options: SplitOptions): SceneCutLimits {
  const target = options.segmentSeconds;
  const min = Math.min(options.minSegmentSeconds, target);
  const max = Math.max(options.maxSegmentSeconds ?? 2 * target, target, min);
  return { targetSeconds: target, minSeconds: min, maxSeconds: max, threshold: options.sceneThreshold };
}

/** The cuts for this split; `scene` needs the detection's scores. */
export function splitCuts(timeline: FrameTimeline, options: SplitOptions, scores?: SceneScore[]): PlannedCut[] {
  switch (options.split) {
    case 'fixed':
      return chooseFixedCuts(timeline, options.segmentSeconds);
    case 'keyframe':
      return keyframeCuts(timeline, options.segmentSeconds);
    case 'scene':
      if (!scores) throw new Error('--split scene needs the scene scores');
      return chooseSceneCuts(timeline, scores, sceneLimits(options));
  }
}
