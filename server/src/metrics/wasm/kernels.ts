import { METRIC_KERNELS_WASM_BASE64 } from './kernels.generated';

/**
 * The SSIMULACRA2 and XPSNR engines' WebAssembly SIMD kernels (AssemblyScript sources *.as.ts
 * beside this file; scripts/build.mjs compiles them into kernels.generated.ts, which git ignores).
 * Pointers are byte offsets into the instance's memory, laid out by a bump allocator.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
};

export interface MetricKernels {
  memory: WasmMemory;
  heapBase(): number;
  rgb8ToLinear: (src: number, table: number, r: number, g: number, b: number, n: number) => void;
  rgb16ToLinear: (src: number, table: number, r: number, g: number, b: number, n: number) => void;
  downscale2x2(input: number, w: number, h: number, out: number): void;
  linearToPositiveXyb(i0: number, i1: number, i2: number, p0: number, p1: number, p2: number, n: number, constants: number): void;
  product(a: number, b: number, out: number, n: number): void;
  blurPlane(
    coefficients: number,
    radius: number,
    input: number,
    w: number,
    h: number,
    temp: number,
    out: number,
    state: number,
    stride: number,
    zeros: number,
  ): void;
  ssimMapNorms(mu1: number, mu2: number, s11: number, s22: number, s12: number, n: number, out: number): void;
  edgeMapNorms(img1: number, mu1: number, img2: number, mu2: number, n: number, out: number): void;
  xpsnrLumaSums8(
    org: number,
    rec: number,
    previous: number,
    width: number,
    height: number,
    b: number,
    wBlk: number,
    sse: number,
    spatial: number,
    temporal: number,
  ): void;
}

let compiled: object | undefined;

const PAGE = 65536;
/** Bytes past every buffer: 4-lane loads and stores at a plane's end stay inside it. */
const SLACK = 64;

/** One kernel instance and its buffers (allocated once per frame size, zeroed, 16-byte aligned). */
export class MetricKernelMemory {
  readonly kernels: MetricKernels;
  private top: number;

  constructor() {
    compiled ??= new WebAssembly.Module(Buffer.from(METRIC_KERNELS_WASM_BASE64, 'base64'));
    const abort = () => {
      throw new Error('metric WebAssembly kernel aborted');
    };
    this.kernels = new WebAssembly.Instance(compiled, { env: { abort } }).exports as unknown as MetricKernels;
    this.top = align(this.kernels.heapBase());
  }

  alloc(bytes: number): number {
    const at = this.top;
    this.top = align(at + bytes + SLACK);
    const needed = Math.ceil(this.top / PAGE) - this.kernels.memory.buffer.byteLength / PAGE;
    if (needed > 0) this.kernels.memory.grow(needed);
    return at;
  }

  /** A view taken after the last alloc (growing the memory detaches older views). */
  bytes(at: number, length: number): Uint8Array {
    return new Uint8Array(this.kernels.memory.buffer, at, length);
  }
  f32(at: number, length: number): Float32Array {
    return new Float32Array(this.kernels.memory.buffer, at, length);
  }
  i16(at: number, length: number): Int16Array {
    return new Int16Array(this.kernels.memory.buffer, at, length);
  }
  f64(at: number, length: number): Float64Array {
    return new Float64Array(this.kernels.memory.buffer, at, length);
  }
}

function align(at: number): number {
  return (at + 15) & ~15;
}
