import { KERNELS_WASM_BASE64 } from './kernels.generated';
import { WasmArena, kernelModule, type KernelModuleExports } from './arena';

/**
 * The built-in VMAF engine's WebAssembly SIMD kernels (AssemblyScript sources *.as.ts beside this
 * file; scripts/build.mjs compiles them into kernels.generated.ts, which `npm ci` (prepare) and
 * `npm run build` write and git ignores). Pointers and sizes are byte offsets into the
 * instance's memory; the host lays out its buffers with a KernelArena.
 */
export interface KernelExports extends KernelModuleExports {
  vifStatistic(
    ref: number,
    dis: number,
    w: number,
    h: number,
    filter: number,
    taps: number,
    muShift: number,
    sqShift: number,
    scratch: number,
    stride: number,
    log2Table: number,
    out: number,
  ): void;
  vifDecimate(src: number, out: number, w: number, h: number, filter: number, taps: number, verticalShift: number, scratch: number): void;
  admDwt(
    src: number,
    srcIsPixels: number,
    w: number,
    h: number,
    out: number,
    size: number,
    vShift: number,
    vRound: number,
    vBias: number,
    hShift: number,
    hRound: number,
    scratch: number,
  ): void;
  admDecouple(
    ref: number,
    dis: number,
    size: number,
    w: number,
    top: number,
    bottom: number,
    left: number,
    right: number,
    scale: number,
    restored: number,
    additive: number,
    divTable: number,
    cos1degSq: number,
  ): void;
  admCsf(
    additive: number,
    size: number,
    w: number,
    top: number,
    bottom: number,
    left: number,
    right: number,
    scale: number,
    csfA: number,
    csfF: number,
    factorH: number,
    factorV: number,
    factorD: number,
  ): void;
  admCsfDenominator(
    ref: number,
    size: number,
    w: number,
    top: number,
    bottom: number,
    left: number,
    right: number,
    scale: number,
    shiftSq: number,
    shiftCub: number,
    shiftAccum: number,
    out: number,
  ): void;
  admMasking(
    restored: number,
    csfA: number,
    csfF: number,
    size: number,
    w: number,
    h: number,
    rowFrom: number,
    rowTo: number,
    colFrom: number,
    colTo: number,
    scale: number,
    shiftInner: number,
    params: number,
    fltSum: number,
    thrRow: number,
    out: number,
  ): void;
  motionSad(previous: number, current: number, w: number, h: number, bitDepth: number, row: number): number;
}

const instantiate = kernelModule<KernelExports>(KERNELS_WASM_BASE64, 'VMAF');

/** The VMAF kernels' arena (arena.ts), with the tables and input planes its users share. */
export class KernelArena extends WasmArena<KernelExports> {
  private readonly constants = new Map<string, number>();

  constructor() {
    super(instantiate());
  }

  /** A table shared by the arena's users, filled once. */
  constant(name: string, bytes: number, fill: (at: number) => void): number {
    let at = this.constants.get(name);
    if (at === undefined) {
      at = this.alloc(bytes);
      fill(at);
      this.constants.set(name, at);
    }
    return at;
  }

  /** Copies a luma plane (8-bit samples or 16-bit values) into the u16 buffer at `at`. */
  loadPlane(at: number, plane: ArrayLike<number>): void {
    this.u16(at, plane.length).set(plane);
  }

  /**
   * Copies two planes of the same size into a pair of input buffers the arena keeps for that size
   * (allocated on first use, shared by the computers of this arena: each loads, then computes).
   */
  loadPlanePair(first: ArrayLike<number>, second: ArrayLike<number>): [number, number] {
    const bytes = first.length * 2;
    const pair: [number, number] = [
      this.constant(`input-a-${bytes}`, bytes, () => undefined),
      this.constant(`input-b-${bytes}`, bytes, () => undefined),
    ];
    this.loadPlane(pair[0], first);
    this.loadPlane(pair[1], second);
    return pair;
  }
}
