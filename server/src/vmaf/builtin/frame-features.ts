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

/** Feature computers for one frame size, kept between frames so nothing is allocated per frame. */
export class FrameFeatureComputer {
  private readonly vif: VifComputer;
  private readonly adm: AdmComputer;
  private readonly motion: MotionComputer;

  constructor(readonly width: number, readonly height: number, readonly bitDepth: number) {
    this.vif = new VifComputer(width, height, bitDepth);
    this.adm = new AdmComputer(width, height, bitDepth);
    this.motion = new MotionComputer(width, height, bitDepth);
  }

  compute(job: FrameJob): FrameFeatures {
    const plane = (bytes: Uint8Array) => this.bitDepth > 8 ? new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1) : bytes;
    const reference = plane(job.reference);
    const result: FrameFeatures = { id: job.id };
    if (job.scored) {
      const distorted = plane(job.distorted);
      result.vif = this.vif.compute(reference, distorted).scales;
      result.adm2 = this.adm.compute(reference, distorted).adm2;
    }
    if (job.previousReference) result.motionToPrevious = this.motion.score(plane(job.previousReference), reference);
    if (job.nextReference) result.motionToNext = this.motion.score(reference, plane(job.nextReference));
    return result;
  }
}

const computers = new Map<string, FrameFeatureComputer>();

/** A cached computer for this frame size and depth. */
export function computeFrameFeatures(job: FrameJob): FrameFeatures {
  const key = `${job.width}x${job.height}x${job.bitDepth}`;
  let computer = computers.get(key);
  if (!computer) {
    computers.clear();
    computer = new FrameFeatureComputer(job.width, job.height, job.bitDepth);
    computers.set(key, computer);
  }
  return computer.compute(job);
}
