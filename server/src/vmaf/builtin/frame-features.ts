import { KernelArena } from '../wasm/kernels';
import { AdmComputer } from './adm';
import { MotionComputer } from './motion';
import { VifComputer } from './vif';

/** One frame's work for a feature worker. Frames are 8-bit or 16-bit little-endian luma planes. */
export interface FrameJob {
  id: number;
  width: number;
  height: number;
  bitDepth: number;
  reference: Uint8Array;
  distorted: Uint8Array;
  /** Compute VIF and ADM (false for frames only needed by a neighbour's motion). */
  scored: boolean;
  /** Reference frames before and after, for motion(i-1, i) and motion(i, i+1). */
  previousReference?: Uint8Array;
  nextReference?: Uint8Array;
}

export interface FrameFeatures {
  id: number;
  vif?: [number, number, number, number];
  adm2?: number;
  motionToPrevious?: number;
  motionToNext?: number;
}

/**
 * Feature computers for one frame size sharing one WebAssembly kernel instance, kept between
 * frames so nothing is allocated per frame. Each plane is copied into the kernel memory once
 * (as u16) and read there by VIF, ADM and motion alike.
 */
export class FrameFeatureComputer {
  private readonly vif: VifComputer;
  private readonly adm: AdmComputer;
  private readonly motion: MotionComputer;
  private readonly arena = new KernelArena();
  private readonly reference: number;
  private readonly distorted: number;
  private readonly neighbour: number;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly bitDepth: number,
  ) {
    this.vif = new VifComputer(width, height, bitDepth, this.arena);
    this.adm = new AdmComputer(width, height, bitDepth, this.arena);
    this.motion = new MotionComputer(width, height, bitDepth, this.arena);
    const planeBytes = width * height * 2;
    this.reference = this.arena.alloc(planeBytes);
    this.distorted = this.arena.alloc(planeBytes);
    this.neighbour = this.arena.alloc(planeBytes);
  }

  compute(job: FrameJob): FrameFeatures {
    const plane = (bytes: Uint8Array) =>
      this.bitDepth > 8 ? new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1) : bytes;
    this.arena.loadPlane(this.reference, plane(job.reference));
    const result: FrameFeatures = { id: job.id };
    if (job.scored) {
      this.arena.loadPlane(this.distorted, plane(job.distorted));
      result.vif = this.vif.computePlanes(this.reference, this.distorted).scales;
      result.adm2 = this.adm.computePlanes(this.reference, this.distorted).adm2;
    }
    if (job.previousReference) {
      this.arena.loadPlane(this.neighbour, plane(job.previousReference));
      result.motionToPrevious = this.motion.scorePlanes(this.neighbour, this.reference);
    }
    if (job.nextReference) {
      this.arena.loadPlane(this.neighbour, plane(job.nextReference));
      result.motionToNext = this.motion.scorePlanes(this.reference, this.neighbour);
    }
    return result;
  }
}

const computers = new Map<string, FrameFeatureComputer>();
/**
 * Frame sizes a worker keeps a computer for: two jobs side by side in the language server (or a
 * segment and its neighbour after a crop change) share the workers, and alternating between two
 * sizes must not rebuild a computer for every frame. The least recently used one goes.
 */
const KEPT_SIZES = 2;

/** A cached computer for this frame size and depth. */
export function computeFrameFeatures(job: FrameJob): FrameFeatures {
  const key = `${job.width}x${job.height}x${job.bitDepth}`;
  let computer = computers.get(key);
  if (computer) computers.delete(key);
  else {
    if (computers.size >= KEPT_SIZES) computers.delete(computers.keys().next().value!);
    computer = new FrameFeatureComputer(job.width, job.height, job.bitDepth);
  }
  computers.set(key, computer);
  return computer.compute(job);
}
