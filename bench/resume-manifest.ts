import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManifestStore, manifestSchema, type Manifest } from '../server/src/job/manifest';

/**
 * Times the manifest's per-segment update (ManifestStore.recordSegment, what the pipeline calls when a
 * segment changes state) on jobs of different sizes. Each update is durable (fsync + rename), so
 * the figure includes the disk; what matters is whether it grows with the number of segments.
 */
function manifestOf(segments: number): Manifest {
  const plan = Array.from({ length: segments }, (_, index) => ({
    index,
    startFrame: index * 24,
    frames: 24,
    startSeconds: index,
    endSeconds: index + 1,
    seekSeconds: index,
    keepFromSeconds: index,
    keepToSeconds: index + 1,
  }));
  return manifestSchema.parse({
    version: 1,
    input: { path: '/bench/input.mkv', size: 1, mtimeMs: 1, edgeHash: 'x'.repeat(64) },
    output: '/bench/output.mkv',
    settings: { crf: 35, preset: 13, svtParams: '', keyintSeconds: 10, pixelFormat: 'yuv420p10le', segmentSeconds: 1 },
    settingsKey: 'k',
    plan: { frames: segments * 24, startSeconds: 0, endSeconds: segments, durationSeconds: segments, segments: plan },
    segments: plan.map((p) => ({ index: p.index, startFrame: p.startFrame, frames: p.frames, state: 'pending', attempts: 0 })),
    status: 'running',
    updatedAt: new Date().toISOString(),
  });
}

export interface ManifestCost {
  segments: number;
  manifestBytes: number;
  microsecondsPerUpdate: number;
  /** One full atomic rewrite (done at the start and end of a job only), for comparison. */
  microsecondsPerFullSave: number;
}

export async function measureManifestUpdates(sizes: number[], updates = 60): Promise<ManifestCost[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-bench-manifest-'));
  try {
    const results: ManifestCost[] = [];
    for (const segments of sizes) {
      const file = path.join(dir, `manifest-${segments}.json`);
      const store = new ManifestStore(file, manifestOf(segments));
      await store.save();
      const count = Math.min(updates, segments);
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        await store.recordSegment(i % segments, {
          state: 'done',
          attempts: 1,
          crf: 35,
          bytes: 123456,
          encodedFrames: 24,
          hash: 'f'.repeat(64),
        });
      }
      const elapsed = performance.now() - started;
      const saveStarted = performance.now();
      await store.save();
      const saveElapsed = performance.now() - saveStarted;
      results.push({
        segments,
        manifestBytes: statSync(file).size,
        microsecondsPerUpdate: Math.round((elapsed / count) * 1000),
        microsecondsPerFullSave: Math.round(saveElapsed * 1000),
      });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  // A top-level bench run: an unhandled rejection already fails the process loudly.
  void measureManifestUpdates(sizes.length ? sizes : [20, 200, 2000, 10000]).then((r) => console.log(JSON.stringify(r, null, 2)));
}
