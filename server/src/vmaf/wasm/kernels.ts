import { KERNELS_WASM_BASE64 } from './kernels.generated';

/**
 * The built-in VMAF engine's WebAssembly SIMD kernels (AssemblyScript sources *.as.ts beside this
 * file; scripts/build.mjs compiles them into kernels.generated.ts, which `npm ci` (prepare) and
 * `npm run build` write and git ignores). Pointers and sizes are byte offsets into the
 * instance's memory; the host lays out its buffers with a KernelArena.
 */
// The project's lib (ES2023, no DOM) has no WebAssembly types: the little used here.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
};

export interface KernelExports {
  memory: WasmMemory;
  heapBase(): number;
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

let compiled: object | undefined;

function instantiate(): KernelExports {
  compiled ??= new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
  return new WebAssembly.Instance(compiled, { env: { abort: kernelAbort } }).exports as unknown as KernelExports;
}

function kernelAbort(): never {
  throw new Error('VMAF WebAssembly kernel aborted');
}

const PAGE = 65536;
/** Bytes past every buffer, so 4-lane loads and stores at a row's end stay inside it. */
const SLACK = 64;

/**
 * One kernel instance and a bump allocator over its memory. Buffers live as long as the arena
 * (one per frame size), so nothing is allocated per frame. Typed views must be taken after the
 * last alloc (growing the memory detaches older views), hence the view methods.
 */
export class KernelArena {
  readonly kernels = instantiate();
  private top: number;
  private readonly constants = new Map<string, number>();

  constructor() {
    this.top = align(this.kernels.heapBase());
  }

  /** A zeroed buffer of `bytes` (16-byte aligned, with slack after it). */
  alloc(bytes: number): number {
    const at = this.top;
    this.top = align(at + bytes + SLACK);
    const needed = Math.ceil(this.top / PAGE) - this.kernels.memory.buffer.byteLength / PAGE;
    if (needed > 0) this.kernels.memory.grow(needed);
    return at;
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

  u16(at: number, length: number): Uint16Array {
    return new Uint16Array(this.kernels.memory.buffer, at, length);
  }
  u32(at: number, length: number): Uint32Array {
    return new Uint32Array(this.kernels.memory.buffer, at, length);
  }
  i32(at: number, length: number): Int32Array {
    return new Int32Array(this.kernels.memory.buffer, at, length);
  }
  f64(at: number, length: number): Float64Array {
    return new Float64Array(this.kernels.memory.buffer, at, length);
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

function align(at: number): number {
  return (at + 15) & ~15;
}
