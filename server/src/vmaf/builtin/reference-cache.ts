import { statSync } from 'node:fs';
import os from 'node:os';
import { scoredFrameIndices } from '../frame-set';
import type { VmafInput } from '../inputs';

/**
 * What the built-in engine keeps of one reference between measurements against it: the luma of
 * the scored frames and each scored frame's motion2. Motion is computed on reference frames
 * only (libvmaf's integer_motion2), so neither depends on the distorted file; a measurement that
 * finds them here decodes the distorted file alone and computes VIF and ADM alone, and gets the
 * very numbers a full run gets. The target-quality search measures several encodes of one
 * segment against one reference (and its verification measures the final encode against it
 * again), which it otherwise decoded again every time.
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
 * Whether `entry` holds every frame (and its motion2) a measurement at `stride` scores. A frame's
 * motion2 does not depend on the stride (it comes from the frame's neighbours), so frames kept by
 * measurements at other strides serve too: target quality scores a final encode at stride 7 and
 * then, near the bound, at 3 (crf/final-encode.ts), and a re-encode does both again.
 */
export function coversStride(entry: CachedReference, stride: number): boolean {
  return scoredFrameIndices(entry.frameCount, stride).every((index) => entry.frames.has(index) && entry.motion2.has(index));
}

/**
 * The reference frames every cache of this process may keep at once: an eighth of the machine's
 * memory, at least 256 MiB and at most 4 GiB (3 GiB on a 24 GiB machine). Sized by what is
 * scored, one segment needs e.g. 207 MB for 50 scored 1080p 10-bit frames (150 sampled frames at
 * stride 3) or 348 MB for a 10 s 24 fps full pass at stride 3; the old fixed 128 MiB per cache
 * held neither, so such a reference was decoded again for every probe.
 */
export function referenceMemoryLimit(totalMemory = os.totalmem()): number {
  const MiB = 1024 * 1024;
  return Math.min(4096 * MiB, Math.max(256 * MiB, Math.floor(totalMemory / 8)));
}

/** Bytes reserved against one limit by every cache sharing it. */
export class ReferenceMemory {
  used = 0;
  constructor(readonly limit: number) {}

  reserve(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

/** The process-wide limit: segments searched in parallel, and jobs side by side in the language server, share it. */
export const processReferenceMemory = new ReferenceMemory(referenceMemoryLimit());

/** What a cache has reserved (kept apart from the cache, so that it can be returned when a forgotten cache is collected). */
interface Reservation {
  memory: ReferenceMemory;
  bytes: number;
}

// A segment whose search fails before its verification never clears its cache: its reservation
// goes back when the cache itself is garbage-collected.
const forgotten = new FinalizationRegistry<Reservation>((reservation) => reservation.memory.release(reservation.bytes));

/**
 * Holds one reference (the last one stored). How memory stays bounded:
 *  - one cache keeps one reference, only its scored frames (no motion neighbours);
 *  - frames are kept only while the reference's scored frames fit in `maxBytes` and the shared
 *    `memory` limit has room: every kept frame is reserved against it as it is decoded, and a
 *    reference that does not fit is dropped at once and simply decoded every time, as without a
 *    cache (measureVmaf gets the same scores either way);
 *  - the reservation goes back on clear() (the target-quality search clears a segment's cache once
 *    the segment is verified), on storing another reference, or when the cache is collected.
 */
export class VmafReferenceCache {
  private entry: CachedReference | undefined;
  private readonly reservation: Reservation;
  /** Bytes of the stored entry (the rest of the reservation belongs to a measurement filling the cache). */
  private entryBytes = 0;

  constructor(
    readonly maxBytes = processReferenceMemory.limit,
    memory: ReferenceMemory = processReferenceMemory,
  ) {
    this.reservation = { memory, bytes: 0 };
    forgotten.register(this, this.reservation, this);
  }

  /** The key of `reference` decoded at `bitDepth` (at any stride); the file's size and mtime stand for its content. */
  static keyOf(reference: VmafInput, bitDepth: number): string {
    const { size, mtimeMs } = statSync(reference.path);
    return JSON.stringify([reference.path, size, mtimeMs, reference.through ?? null, reference.width, reference.height, bitDepth]);
  }

  /** The kept reference, when it holds every frame a measurement at `stride` scores. */
  get(key: string, stride: number): CachedReference | undefined {
    const entry = this.kept(key);
    return entry && coversStride(entry, stride) ? entry : undefined;
  }

  /** The kept reference of `key`, whatever strides it covers (a measurement at another stride adds its frames to it). */
  kept(key: string): CachedReference | undefined {
    return this.entry?.key === key ? this.entry : undefined;
  }

  /** Bytes of the kept reference. */
  get storedBytes(): number {
    return this.entryBytes;
  }

  /**
   * Reserves room for a frame being kept by a measurement that will store it; false when the
   * measurement's frames (`filledBytes` so far) would exceed maxBytes or the shared limit is reached.
   */
  reserve(frameBytes: number, filledBytes: number): boolean {
    if (filledBytes + frameBytes > this.maxBytes) return false;
    if (!this.reservation.memory.reserve(frameBytes)) return false;
    this.reservation.bytes += frameBytes;
    return true;
  }

  /** Gives back what a measurement reserved and will not store. */
  release(bytes: number): void {
    const returned = Math.min(bytes, this.reservation.bytes);
    this.reservation.bytes -= returned;
    this.reservation.memory.release(returned);
  }

  /**
   * Keeps `entry` (its `bytes` reserved while it was filled): added to the kept reference of the
   * same key (the frames another stride scores; the filling measurement kept none of those already
   * there), or in place of another reference, whose reservation goes back.
   */
  store(entry: CachedReference, bytes: number): void {
    const same = this.kept(entry.key);
    if (same) {
      this.entry = {
        ...entry,
        frames: new Map([...same.frames, ...entry.frames]),
        motion2: new Map([...same.motion2, ...entry.motion2]),
      };
      this.entryBytes += bytes;
      return;
    }
    this.release(this.entryBytes);
    this.entry = entry;
    this.entryBytes = bytes;
  }

  /** Drops the frames (the caller is done with this reference). */
  clear(): void {
    this.release(this.entryBytes);
    this.entry = undefined;
    this.entryBytes = 0;
  }

  /** Bytes this cache holds reserved (its entry and any filling in progress). */
  get reservedBytes(): number {
    return this.reservation.bytes;
  }
}
