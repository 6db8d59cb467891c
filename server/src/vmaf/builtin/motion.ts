import { KernelArena } from '../wasm/kernels';

/**
 * The motion feature: mean absolute value of the 5-tap Gaussian-blurred difference between
 * consecutive reference frames, in libvmaf 3.x integer_motion fixed point (difference blurred
 * vertically with a 2^bpc rounding shift, then horizontally with a 2^16 one), computed by the
 * WebAssembly kernel (wasm/motion.as.ts).
 * motion2 of frame i is min(motion(i-1, i), motion(i, i+1)); 0 for the first frame and
 * motion(i-1, i) for the last one.
 */
export class MotionComputer {
  private readonly row: number;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly bitDepth: number,
    private readonly arena = new KernelArena(),
  ) {
    this.row = arena.alloc((width + 16) * 4);
  }

  /** motion(previous, current) of two luma planes (8-bit samples or 16-bit values). */
  score(previous: ArrayLike<number>, current: ArrayLike<number>): number {
    return this.scorePlanes(...this.arena.loadPlanePair(previous, current));
  }

  /** motion(previous, current): single-precision mean absolute blurred difference of two u16 planes in the arena. */
  scorePlanes(previousPlane: number, currentPlane: number): number {
    const { width: w, height: h } = this;
    const sad = this.arena.kernels.motionSad(previousPlane, currentPlane, w, h, this.bitDepth, this.row);
    return Math.fround(Math.fround(sad / 256) / (w * h));
  }
}

/** motion2 of frame `index` of `frameCount`, from motion(index-1, index) and motion(index, index+1). */
export function motion2(index: number, frameCount: number, toPrevious: number | undefined, toNext: number | undefined): number {
  if (index === 0) return 0;
  if (toPrevious === undefined) throw new Error(`motion: frame ${index} needs the previous frame`);
  if (index === frameCount - 1 || toNext === undefined) return toPrevious;
  return Math.min(toPrevious, toNext);
}
