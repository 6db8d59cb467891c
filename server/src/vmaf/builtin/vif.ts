import { KernelArena } from '../wasm/kernels';

/**
 * Visual information fidelity (VIF) at four scales, in the fixed-point arithmetic of libvmaf's
 * integer_vif feature extractor, so that the features agree with libvmaf's to float precision.
 * Written from the published algorithm (Sheikh & Bovik) and libvmaf's description of its
 * fixed-point form: Gaussian windows as 16-bit integer taps, local statistics in Q16/Q32, and
 * log2 through a 2048-scaled lookup table. The filtering and per-pixel terms run in the
 * WebAssembly kernels (wasm/vif*.as.ts); this class lays out their buffers and does the
 * single-precision tail.
 */

const FILTERS: readonly number[][] = [
  [489, 935, 1640, 2640, 3896, 5274, 6547, 7455, 7784, 7455, 6547, 5274, 3896, 2640, 1640, 935, 489],
  [1244, 3663, 7925, 12590, 14692, 12590, 7925, 3663, 1244],
  [3571, 16004, 26386, 16004, 3571],
  [10904, 43728, 10904],
];
const MAX_HALF_TAPS = 8;

/** round(log2(i) * 2048) for i in [32767, 65535], computed in single precision as libvmaf does. */
function fillLog2Table(table: Int32Array): void {
  for (let i = 32767; i < 65536; i++) table[i] = Math.floor(Math.fround(Math.fround(Math.log2(i)) * 2048) + 0.5);
}

export interface VifScores {
  /** num/den per scale, as single-precision values like libvmaf's. */
  scales: [number, number, number, number];
}

/** Kernel buffers sized for one frame size, reused across frames (nothing allocated per frame). */
export class VifComputer {
  private readonly filters: number[];
  private readonly log2Table: number;
  /** Scales 1..3 of the reference and distorted planes (u16). */
  private readonly scaled: [number, number][];
  private readonly scratch: number;
  private readonly stride: number;
  private readonly sums: number;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly bitDepth: number,
    private readonly arena = new KernelArena(),
  ) {
    this.filters = FILTERS.map((taps) => {
      const at = arena.alloc(taps.length * 4);
      arena.u32(at, taps.length).set(taps);
      return at;
    });
    this.log2Table = arena.constant('vif-log2', 65536 * 4, (at) => fillLog2Table(arena.i32(at, 65536)));
    this.scaled = [1, 2, 3].map((s) => {
      const bytes = (width >> s) * (height >> s) * 2;
      return [arena.alloc(bytes), arena.alloc(bytes)] as [number, number];
    });
    this.stride = width + 4 * MAX_HALF_TAPS;
    // Eight u16, eight u32 and two f64 rows for the statistic (the decimation uses less), then the tap offsets and pairs.
    this.scratch = arena.alloc((8 * 2 + 8 * 4 + 2 * 8) * this.stride + 32 * 4 + 32 * 16);
    this.sums = arena.alloc(4 * 8);
  }

  /** VIF of two luma planes (8-bit samples or 16-bit values). */
  compute(ref: ArrayLike<number>, dis: ArrayLike<number>): VifScores {
    return this.computePlanes(...this.arena.loadPlanePair(ref, dis));
  }

  /** VIF of two u16 planes already in the arena. */
  computePlanes(refPlane: number, disPlane: number): VifScores {
    const { kernels } = this.arena;
    const scales: number[] = [];
    let w = this.width,
      h = this.height;
    let curRef = refPlane,
      curDis = disPlane;
    for (let scale = 0; scale < 4; scale++) {
      const taps = FILTERS[scale]!.length;
      if (scale > 0) {
        const [nextRef, nextDis] = this.scaled[scale - 1]!;
        const verticalShift = scale === 1 ? this.bitDepth : 16;
        kernels.vifDecimate(curRef, nextRef, w, h, this.filters[scale]!, taps, verticalShift, this.scratch);
        kernels.vifDecimate(curDis, nextDis, w, h, this.filters[scale]!, taps, verticalShift, this.scratch);
        curRef = nextRef;
        curDis = nextDis;
        w >>= 1;
        h >>= 1;
      }
      const muShift = scale === 0 ? this.bitDepth : 16;
      const sqShift = scale === 0 ? (this.bitDepth - 8) * 2 : 16;
      kernels.vifStatistic(
        curRef,
        curDis,
        w,
        h,
        this.filters[scale]!,
        taps,
        muShift,
        sqShift,
        this.scratch,
        this.stride,
        this.log2Table,
        this.sums,
      );
      const [numLog, denLog, numNonLog, denNonLog] = this.arena.f64(this.sums, 4) as unknown as [number, number, number, number];
      const num = Math.fround(numLog / 2048 + (denNonLog - numNonLog / 16384 / 65025));
      const den = Math.fround(denLog / 2048 + denNonLog);
      scales.push(Math.fround(num / den));
    }
    return { scales: scales as VifScores['scales'] };
  }
}
