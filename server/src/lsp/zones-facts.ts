/**
 * The video a zones file in the editor belongs to, and its facts for the checks: found as the
 * encode finds the zones file, the other way round (`film.mkv.zones` beside `film.mkv`, or
 * `ROOT/.chunked-av1/zones/film.mkv.zones` for `ROOT/film.mkv`), probed once per version of the
 * video (size and mtime) with the same probe as the encode. The segments come from the latest
 * known job of that video, when there is one, and so do the scene changes (zones-scene-cuts.ts).
 * The minimum segment is the one the next encode would use (the settings and their default
 * preset), when the caller knows it; else the catalogue's default.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nearestFrame, probeInput } from '../probe';
import { resolveTools, type Tools } from '../sys';
import { videoForZonesFile, type ZoneFacts } from '../zones';
import type { JobSnapshot } from '../../../common/protocol';
import { errorMessage } from '../errors';
import { OPTION_CATALOGUE, defaultOf } from '../../../common/option-catalogue';
import { sceneLimits, type SplitOptions } from '../plan';
import { knownSceneCuts, type KnownSceneCuts } from './zones-scene-cuts';

/** The encode that would run next for this video: the default preset and the options it makes. */
export interface NextEncode {
  preset: string;
  options: SplitOptions;
}

export interface ZonesVideo {
  video: string;
  facts?: ZoneFacts;
  /** Why there are no facts (no video found, the probe failed). */
  problem?: string;
  /** The job the segments came from. */
  job?: JobSnapshot;
  /** The scene changes the snap uses and where they come from, or why none are known. */
  sceneCuts?: KnownSceneCuts;
  /** The encode the minimum segment was taken from; absent: the catalogue's default. */
  next?: NextEncode;
}

interface Probed {
  key: string;
  facts?: ZoneFacts;
  problem?: string;
}

const cache = new Map<string, Promise<Probed>>();

function findBeside(root: string, name: string): string | undefined {
  const file = path.join(root, name);
  return existsSync(file) ? file : undefined;
}

export function videoForZonesUri(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  return videoForZonesFile(fileURLToPath(uri), findBeside);
}

async function probeOnce(video: string, tools: Tools): Promise<Probed> {
  const info = statSync(video);
  const key = `${info.size}:${info.mtimeMs}`;
  const cached = cache.get(video);
  if (cached && (await cached).key === key) return cached;
  const probing = probeInput(tools, video)
    .then(({ media, timeline }): Probed => ({
      key,
      // The catalogue's minimum segment, until zonesVideo knows the next encode's.
      facts: {
        pts: timeline.pts,
        lastFrameSeconds: timeline.lastFrameSeconds,
        chapters: media.chapters,
        minSegmentSeconds: defaultOf(OPTION_CATALOGUE.minSegmentSeconds.schema) as number,
      },
    }))
    .catch((error: unknown): Probed => ({ key, problem: `${video}: ${errorMessage(error)}` }));
  cache.set(video, probing);
  return probing;
}

/** The frame shown at a source time (the frame count at the end). */
function frameOfSeconds(facts: ZoneFacts): (seconds: number) => number {
  return (seconds) =>
    seconds >= facts.pts[facts.pts.length - 1]! + facts.lastFrameSeconds - 1e-6 ? facts.pts.length : nearestFrame(facts.pts, seconds);
}

/** The segments of the latest job of this video, in frames. */
function jobSegments(facts: ZoneFacts, job: JobSnapshot): ZoneFacts['segments'] {
  if (!job.segments.length) return undefined;
  const start = facts.pts[0] ?? 0;
  const frameOf = frameOfSeconds(facts);
  return job.segments.map((s) => {
    const startFrame = frameOf(Math.max(start, s.startSeconds));
    return { index: s.index, startFrame, frames: frameOf(s.endSeconds) - startFrame };
  });
}

export async function zonesVideo(
  uri: string,
  jobs: JobSnapshot[],
  paths: { ffmpeg?: string; ffprobe?: string },
  next?: NextEncode,
): Promise<ZonesVideo | undefined> {
  const video = videoForZonesUri(uri);
  if (!video) return undefined;
  const probed = await probeOnce(video, resolveTools(paths));
  if (!probed.facts) return { video, problem: probed.problem };
  const job = jobs.filter((j) => path.resolve(j.input) === video && j.segments.length).at(-1);
  const facts: ZoneFacts = { ...probed.facts };
  const segments = job && jobSegments(facts, job);
  if (segments) facts.segments = segments;
  if (next) facts.minSegmentSeconds = sceneLimits(next.options).minSeconds;
  const { size, mtimeMs } = statSync(video);
  const sceneCuts = await knownSceneCuts(job, next?.options, frameOfSeconds(facts), { size, mtimeMs });
  if ('frames' in sceneCuts) facts.sceneCuts = sceneCuts.frames;
  return { video, facts, sceneCuts, ...(job ? { job } : {}), ...(next ? { next } : {}) };
}
