import type { Manifest } from '../../server/src/job/manifest';
import { recordedManifest } from './recorded-manifest';

/**
 * A recorded target-quality manifest of two unequal segments cut at a scene change, as issue 23
 * reproduced them: segment 0 covers 0–7.02 s (168 frames), segment 1 7.02–20.02 s (312 frames).
 */
export const SCENE_CUT_SPANS = [
  { startSeconds: 0, endSeconds: 7.02, startFrame: 0, frames: 168 },
  { startSeconds: 7.02, endSeconds: 20.02, startFrame: 168, frames: 312 },
] as const;

export function sceneCutManifest(records: (index: number) => Record<string, unknown>, status = 'done'): Manifest {
  const manifest = recordedManifest(2, { targetVmaf: 93 }, records, status);
  manifest.plan.segments.forEach((s, i) => Object.assign(s, SCENE_CUT_SPANS[i]));
  manifest.segments.forEach((s, i) => Object.assign(s, { startFrame: SCENE_CUT_SPANS[i]!.startFrame, frames: SCENE_CUT_SPANS[i]!.frames }));
  manifest.plan.endSeconds = manifest.plan.durationSeconds = 20.02;
  manifest.plan.frames = 480;
  return manifest;
}
