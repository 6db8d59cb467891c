import { xpsnrBlockSize, type Plane, type TemporalMemory } from './xpsnr-weighting';
import { MetricKernelMemory } from './wasm/kernels';

/**
 * XPSNR's per-block luma sums (SSE, spatial and temporal activity) in WebAssembly SIMD, for the
 * common case: 8-bit and the first-order temporal difference (below 32 frames/s). The same
 * integers as lumaSumsByRow (the unit tests compare them); about twice as fast. It keeps the
 * temporal memory (the previous frame) in the kernel's memory, so the accumulator takes its
 * `temporalMemory` as its own.
 */
export class XpsnrLumaKernel {
  private readonly memory = new MetricKernelMemory('exact');
  readonly temporalMemory: TemporalMemory;
  private readonly org: number;
  private readonly rec: number;
  private readonly previous: number;
  private readonly sums: [number, number, number];
  private readonly blockSize: number;
  private readonly blocksPerRow: number;
  private readonly blocks: number;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    const m = this.memory;
    const n = width * height;
    this.blockSize = xpsnrBlockSize(width, height);
    this.blocksPerRow = Math.ceil(width / this.blockSize);
    this.blocks = this.blocksPerRow * Math.ceil(height / this.blockSize);
    this.org = m.alloc(n);
    this.rec = m.alloc(n);
    this.previous = m.alloc(2 * n);
    this.sums = [m.alloc(8 * this.blocks), m.alloc(8 * this.blocks), m.alloc(8 * this.blocks)];
    // The memory does not grow after this: the view stays valid.
    this.temporalMemory = { previous: m.i16(this.previous, n), beforePrevious: new Int16Array(0) };
  }

  /** The sums into sse, spatial and temporal (zeroed first); false when the planes are not 8-bit. */
  readonly rowSums = (org: Plane, rec: Plane, sse: Float64Array, spatial: Float64Array, temporal: Float64Array): boolean => {
    if (!(org instanceof Uint8Array && rec instanceof Uint8Array)) return false;
    const m = this.memory;
    const n = this.width * this.height;
    m.bytes(this.org, n).set(org.subarray(0, n));
    m.bytes(this.rec, n).set(rec.subarray(0, n));
    const [a, b, c] = this.sums;
    m.kernels.xpsnrLumaSums8(this.org, this.rec, this.previous, this.width, this.height, this.blockSize, this.blocksPerRow, a, b, c);
    sse.set(m.f64(a, this.blocks));
    spatial.set(m.f64(b, this.blocks));
    temporal.set(m.f64(c, this.blocks));
    return true;
  };
}
