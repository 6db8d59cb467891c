/**
 * The scene changes a zones file in the editor is checked against (the "snap to a scene cut" hint
 * and fix), without decoding the video: what a known job of that video already found. First the
 * job's manifest (`detection.scenes`, every scene change the detection scored, filtered by the
 * threshold the next encode uses), else that run's plan (the segments that start at a scene
 * change). With neither, or when the next encode does not split at scene changes (and so moves no
 * boundary), the reason is given instead; the hover says it.
 */
import { statSync } from 'node:fs';
import type { JobSnapshot } from '../../../common/protocol';
import { loadManifest, type Manifest } from '../job';
import { workDirLayout } from '../workdir';
import { sceneCutFrames } from '../zones';
import { OPTION_CATALOGUE, defaultOf } from '../../../common/option-catalogue';

export type KnownSceneCuts = { frames: number[]; from: string } | { missing: string };

/** The split and threshold of the encode that would run next (its settings and default preset), when known. */
export interface NextSplit {
  split: string;
  sceneThreshold: number;
}

const manifests = new Map<string, { mtimeMs: number; manifest: Manifest | undefined }>();

/** The job's manifest, read again only when it changed; undefined when the work directory is gone. */
async function manifestOf(workDir: string): Promise<Manifest | undefined> {
  const file = workDirLayout(workDir).manifest;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  const cached = manifests.get(file);
  if (cached?.mtimeMs === mtimeMs) return cached.manifest;
  const manifest = await loadManifest(file).catch(() => undefined);
  manifests.set(file, { mtimeMs, manifest });
  return manifest;
}

/** Pure: the scene-change frames from a manifest's detection, at the threshold given. */
export function manifestSceneCuts(manifest: Pick<Manifest, 'detection'> | undefined, sceneThreshold: number): number[] | undefined {
  const scenes = manifest?.detection?.scenes;
  if (!scenes) return undefined;
  const scores = scenes.frames.map((frame, i) => ({ frame, score: scenes.scores[i] ?? 0 }));
  return sceneCutFrames({ sceneThreshold }, scores);
}

/** Pure: whether the manifest was made from the video as it is now (its size and mtime, as a resume checks first). */
export function manifestMatches(manifest: Pick<Manifest, 'input'>, video: { size: number; mtimeMs: number }): boolean {
  return manifest.input.size === video.size && Math.abs(manifest.input.mtimeMs - video.mtimeMs) <= 1;
}

/** Pure: the first frames of the run's segments that start at a scene change. */
export function planSceneCuts(job: Pick<JobSnapshot, 'segments'>, frameOf: (seconds: number) => number): number[] {
  return job.segments.filter((s) => s.reason === 'scene').map((s) => frameOf(s.startSeconds));
}

export async function knownSceneCuts(
  job: JobSnapshot | undefined,
  next: NextSplit | undefined,
  frameOf: (seconds: number) => number,
  /** The video's size and mtime now: a manifest of another version of it is not used. */
  video?: { size: number; mtimeMs: number },
): Promise<KnownSceneCuts> {
  if (next && next.split !== 'scene')
    return { missing: `the next encode splits by ${next.split} (chunkedAv1.split), so it moves no zone boundary to a scene change` };
  if (!job) return { missing: 'no run of this video is known yet (an encode with split "scene" finds them)' };
  const manifest = job.workDir ? await manifestOf(job.workDir) : undefined;
  if (manifest && video && !manifestMatches(manifest, video))
    return { missing: 'the video changed since the last run, so its scene changes are not used' };
  const threshold = next?.sceneThreshold ?? (defaultOf(OPTION_CATALOGUE.sceneThreshold.schema) as number);
  const fromManifest = manifestSceneCuts(manifest, threshold);
  if (fromManifest) return { frames: fromManifest, from: "the last run's scene detection (its work directory)" };
  const fromPlan = planSceneCuts(job, frameOf);
  if (fromPlan.length) return { frames: fromPlan, from: "the last run's cuts at scene changes" };
  return { missing: 'the last run of this video kept no scene changes (it did not split by scene, or its work directory is gone)' };
}
