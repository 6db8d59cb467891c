/**
 * The presets the extension ships (the default of `chunkedAv1.presets`; package.json carries the
 * same values, a unit test checks). Data only, so the client can import it without zod.
 */
import type { Preset } from './settings';

export const BUILT_IN_PRESETS: Record<string, Preset> = {
  balanced: {
    targetVmaf: 93,
    preset: 8,
    samples: 3,
    sampleSeconds: 2,
    vmafSubsample: 3,
    vmafPool: 'harmonic_mean',
    pixelFormat: 'yuv420p10le',
    audio: 'copy',
  },
  archive: {
    targetVmaf: 95,
    preset: 6,
    samples: 4,
    sampleSeconds: 3,
    vmafSubsample: 3,
    vmafPool: 'p5',
    pixelFormat: 'yuv420p10le',
    audio: 'copy',
  },
  small: {
    targetVmaf: 90,
    preset: 10,
    svtParams: 'film-grain=8',
    samples: 3,
    sampleSeconds: 2,
    vmafSubsample: 3,
    vmafPool: 'harmonic_mean',
    pixelFormat: 'yuv420p10le',
    audio: 'opus',
  },
  fast: { crf: 35, preset: 12, pixelFormat: 'yuv420p10le', audio: 'copy' },
};
