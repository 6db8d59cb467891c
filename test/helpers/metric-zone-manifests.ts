import type { Manifest } from '../../server/src/job/manifest';
import { recordedManifest } from './recorded-manifest';

/**
 * Recorded manifests for the report's metrics (issue 25) and zones (issue 26). The job-level
 * `target` and each record's `scores` are the fields of METRIC-CONTRACT.md; they are set after the
 * manifest schema's parse, as a manifest read before that schema knew them would not keep them.
 */

/** A SSIMULACRA2 job (target 80, band 79–84) with `--also-score vmaf`: 3 segments of 1 s, segment 1 below the band. */
export function ssimulacra2Manifest(): Manifest {
  const ssimu2 = [81.2, 78.4, 83.9];
  const vmaf = [94.1, 91.7, 96.2];
  const manifest = recordedManifest(3, { targetVmaf: undefined }, (i) => ({
    state: 'done',
    attempts: 1,
    crf: 30 + i,
    vmaf: vmaf[i],
    bytes: 100_000 + i * 10_000,
    hash: 'h',
    extra: {
      scoredFrames: Array.from({ length: 6 }, (_, f) => ({
        index: f * 4,
        vmaf: vmaf[i]! - f / 10,
        scores: { ssimulacra2: ssimu2[i]! - f / 10, vmaf: vmaf[i]! - f / 10 },
      })),
    },
  }));
  Object.assign(manifest, { target: { metric: 'ssimulacra2', value: 80, pool: 'mean', low: 79, high: 84 } });
  manifest.segments.forEach((record, i) => Object.assign(record, { scores: { ssimulacra2: ssimu2[i], vmaf: vmaf[i] } }));
  return manifest;
}

/**
 * Three unequal segments (0–2.5 s, 2.5–3.25 s, 3.25–6 s at 24 fps) of a VMAF 93 job: segment 0 in
 * no zone, segments 1 and 2 in zone 0 (`target-vmaf=95`), as a zones file `60-144 target-vmaf=95` plans them.
 */
export const ZONED_SPANS = [
  { startFrame: 0, frames: 60, startSeconds: 0, endSeconds: 2.5 },
  { startFrame: 60, frames: 18, startSeconds: 2.5, endSeconds: 3.25 },
  { startFrame: 78, frames: 66, startSeconds: 3.25, endSeconds: 6 },
] as const;

export function zonedManifest(): Manifest {
  const vmaf = [93.4, 94.2, 95.3];
  const manifest = recordedManifest(3, { targetVmaf: 93 }, (i) => ({
    state: 'done',
    attempts: 1,
    crf: 34 - 3 * i,
    vmaf: vmaf[i],
    bytes: 50_000 * (i + 1),
    hash: 'h',
  }));
  manifest.plan.segments.forEach((s, i) => {
    const span = ZONED_SPANS[i]!;
    Object.assign(s, span, { seekSeconds: span.startSeconds, keepFromSeconds: span.startSeconds, keepToSeconds: span.endSeconds });
    if (i > 0) s.zone = { index: 0, overrides: { targetVmaf: 95 } };
  });
  manifest.segments.forEach((s, i) => Object.assign(s, { startFrame: ZONED_SPANS[i]!.startFrame, frames: ZONED_SPANS[i]!.frames }));
  manifest.plan.frames = 144;
  manifest.plan.endSeconds = manifest.plan.durationSeconds = 6;
  return manifest;
}
