import { statSync } from 'node:fs';
import type { VmafInput } from '../inputs';

/**
 * What the built-in engine keeps of one reference between measurements against it: the luma of
 * the scored frames and each scored frame's motion2. Motion is computed on reference frames
 * only (libvmaf's integer_motion2), so neither depends on the distorted file; a measurement that
 * finds them here decodes the distorted file alone and computes VIF and ADM alone, and gets the
 * very numbers a full run gets. The target-quality search measures several encodes of one
 * segment against one lossless intermediate, which it otherwise decoded again for every probe.
 */
export interface CachedReference {
  key: string;
  frameCount: number;
  /** Scored frame index → its luma plane (shared memory, read by the worker threads). */
  frames: Map<number, Uint8Array>;
  /** Scored frame index → motion2. */
  motion2: Map<number, number>;
}

/**
 * Holds one reference (the last one stored). Frames are kept only while their bytes stay within
 * `maxBytes`; a larger reference is simply decoded every time, as without a cache. 128 MiB holds
 * e.g. 30 scored 1080p 10-bit frames (subsample 8 over 10 s at 24 fps) or 280 at 640x360.
 */
export class VmafReferenceCache {
  private entry: CachedReference | undefined;

  constructor(readonly maxBytes = 128 * 1024 * 1024) {}

  /** The key of `reference` decoded at `bitDepth` and scored every `subsample` frames; the file's size and mtime stand for its content. */
  static keyOf(reference: VmafInput, bitDepth: number, subsample: number): string {
    const { size, mtimeMs } = statSync(reference.path);
    return JSON.stringify([
      reference.path,
      size,
      mtimeMs,
      reference.through ?? null,
      reference.width,
      reference.height,
      bitDepth,
      subsample,
    ]);
  }

  get(key: string): CachedReference | undefined {
    return this.entry?.key === key ? this.entry : undefined;
  }

  store(entry: CachedReference): void {
    this.entry = entry;
  }

  /** Drops the frames (the caller is done with this reference). */
  clear(): void {
    this.entry = undefined;
  }
}
