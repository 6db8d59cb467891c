import { manifestSchema, type Manifest } from '../../server/src/job/manifest';

/**
 * Manifests as the pipeline writes them (literal JSON parsed by the manifest's schema), for tests of
 * what a job leaves behind: the report model and the report data kept after clean-up.
 */

export const FPS = 24;

/** A recorded manifest: `segments` 1 s segments of 24 frames; `records` patch each segment's record. */
export function recordedManifest(
  segments: number,
  settings: Record<string, unknown>,
  records: (index: number) => Record<string, unknown>,
  status = 'done',
): Manifest {
  const json = {
    version: 1,
    input: { path: '/films/in "a" #1.mkv', size: 10_000_000, mtimeMs: 1, edgeHash: 'e' },
    output: '/films/in "a" #1.av1.mkv',
    settings: { preset: 8, svtParams: '', keyintSeconds: 10, pixelFormat: 'yuv420p10le', segmentSeconds: 1, ...settings },
    settingsKey: 'k',
    plan: {
      frames: segments * FPS,
      startSeconds: 0,
      endSeconds: segments,
      durationSeconds: segments,
      segments: Array.from({ length: segments }, (_, i) => ({
        index: i,
        startFrame: i * FPS,
        frames: FPS,
        startSeconds: i,
        endSeconds: i + 1,
        seekSeconds: i,
        keepFromSeconds: i,
        keepToSeconds: i + 1,
      })),
    },
    segments: Array.from({ length: segments }, (_, i) => ({
      index: i,
      startFrame: i * FPS,
      frames: FPS,
      state: 'pending',
      attempts: 0,
      ...records(i),
    })),
    status,
    updatedAt: '2026-12-01T00:00:00.000Z',
  };
  return manifestSchema.parse(JSON.parse(JSON.stringify(json)));
}
