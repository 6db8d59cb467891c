import { createRecursiveGaussian } from './blur';
import { linearTable, XYB_CONSTANTS } from './colour';
import { SSIMULACRA2_SCALES, ssimulacra2Score, type ScaleNorms } from './ssimulacra2';
import { MetricKernelMemory, preferredKernelBuild, type MetricKernelBuild } from './wasm/kernels';

type Planes = [number, number, number];

/**
 * Scores frame pairs of one size with the WebAssembly kernels (wasm/*.as.ts): the same arithmetic
 * as the TypeScript definition (Ssimulacra2DefinitionScorer, which the unit tests hold it to,
 * norm for norm), about 50 times faster. The buffers (about 21 float planes) live in the kernel
 * instance's memory, allocated once.
 */
export class Ssimulacra2Scorer {
  private readonly memory: MetricKernelMemory;
  readonly build: MetricKernelBuild;
  private readonly sampleBytes: number;
  private readonly input1: number;
  private readonly input2: number;
  private readonly table: number;
  private readonly constants: number;
  private readonly coefficients: number;
  private readonly radius: number;
  private linear1: Planes;
  private linear2: Planes;
  private down1: Planes;
  private down2: Planes;
  private readonly xyb1: Planes;
  private readonly xyb2: Planes;
  private readonly mul: number;
  private readonly temp: number;
  private readonly blurred: number[];
  private readonly state: number;
  private readonly stride: number;
  private readonly zeros: number;
  private readonly out: number;

  constructor(
    readonly width: number,
    readonly height: number,
    /** 8 for rgb24 samples, 16 for rgb48le. */
    sampleBits: 8 | 16,
    /** `exact`: bit for bit the definition; `fused`: hardware FMAs (see wasm/kernels.ts); default: fused where usable. */
    build: MetricKernelBuild = preferredKernelBuild(),
  ) {
    this.build = build;
    const m = (this.memory = new MetricKernelMemory(build));
    const n = width * height;
    const plane = () => m.alloc(4 * n);
    const planes = (count: number): Planes => [m.alloc(4 * count), m.alloc(4 * count), m.alloc(4 * count)];
    this.sampleBytes = sampleBits / 8;
    this.input1 = m.alloc(3 * n * this.sampleBytes);
    this.input2 = m.alloc(3 * n * this.sampleBytes);
    const table = linearTable(sampleBits === 8 ? 255 : 65535);
    this.table = m.alloc(4 * table.length);
    this.constants = m.alloc(4 * XYB_CONSTANTS.length);
    const rg = createRecursiveGaussian(1.5);
    this.radius = rg.radius;
    this.coefficients = m.alloc(4 * 42);
    this.linear1 = planes(n);
    this.linear2 = planes(n);
    const quarter = Math.ceil(width / 2) * Math.ceil(height / 2);
    this.down1 = planes(quarter);
    this.down2 = planes(quarter);
    this.xyb1 = planes(n);
    this.xyb2 = planes(n);
    this.mul = plane();
    this.temp = plane();
    this.blurred = Array.from({ length: 5 }, plane);
    this.stride = (width + 1) & ~1;
    this.state = m.alloc(6 * 8 * this.stride);
    this.zeros = m.alloc(4 * (width + 4));
    this.out = m.alloc(8 * 4);
    // Views after the last alloc.
    m.f32(this.table, table.length).set(table);
    m.f32(this.constants, XYB_CONSTANTS.length).set(XYB_CONSTANTS);
    const coefficients = m.f32(this.coefficients, 42);
    coefficients.set(rg.mulIn, 0);
    coefficients.set(rg.mulPrev, 12);
    coefficients.set(rg.mulPrev2, 24);
    coefficients.set(rg.n2, 36);
    coefficients.set(rg.d1, 39);
  }

  /** The score of one pair of interleaved R'G'B' frames (rgb24 or rgb48le samples). */
  score(reference: Uint8Array | Uint16Array, distorted: Uint8Array | Uint16Array): number {
    return ssimulacra2Score(this.norms(reference, distorted));
  }

  /** The 6 scales' norms (fewer when the picture gets under 8 pixels). */
  norms(reference: Uint8Array | Uint16Array, distorted: Uint8Array | Uint16Array): ScaleNorms[] {
    const m = this.memory;
    const k = m.kernels;
    const n0 = this.width * this.height;
    const bytes = 3 * n0 * this.sampleBytes;
    m.bytes(this.input1, bytes).set(new Uint8Array(reference.buffer, reference.byteOffset, bytes));
    m.bytes(this.input2, bytes).set(new Uint8Array(distorted.buffer, distorted.byteOffset, bytes));
    const toLinear = this.sampleBytes === 1 ? k.rgb8ToLinear : k.rgb16ToLinear;
    toLinear(this.input1, this.table, ...this.linear1, n0);
    toLinear(this.input2, this.table, ...this.linear2, n0);
    let w = this.width;
    let h = this.height;
    const result: ScaleNorms[] = [];
    for (let scale = 0; scale < SSIMULACRA2_SCALES; scale++) {
      if (w < 8 || h < 8) break;
      if (scale > 0) {
        for (let c = 0; c < 3; c++) {
          k.downscale2x2(this.linear1[c]!, w, h, this.down1[c]!);
          k.downscale2x2(this.linear2[c]!, w, h, this.down2[c]!);
        }
        [this.linear1, this.down1] = [this.down1, this.linear1];
        [this.linear2, this.down2] = [this.down2, this.linear2];
        w = Math.ceil(w / 2);
        h = Math.ceil(h / 2);
      }
      const n = w * h;
      k.linearToPositiveXyb(...this.linear1, ...this.xyb1, n, this.constants);
      k.linearToPositiveXyb(...this.linear2, ...this.xyb2, n, this.constants);
      result.push(this.scaleNorms(w, h));
    }
    // The full-size planes back in place for the next frame.
    if (this.linear1[0] > this.down1[0]) {
      [this.linear1, this.down1] = [this.down1, this.linear1];
      [this.linear2, this.down2] = [this.down2, this.linear2];
    }
    return result;
  }

  private scaleNorms(w: number, h: number): ScaleNorms {
    const k = this.memory.kernels;
    const n = w * h;
    const ssim: number[] = [];
    const edge: number[] = [];
    const [s11, s22, s12, mu1, mu2] = this.blurred as [number, number, number, number, number];
    const blur = (input: number, out: number) =>
      k.blurPlane(this.coefficients, this.radius, input, w, h, this.temp, out, this.state, this.stride, this.zeros);
    const blurProduct = (a: number, b: number, out: number) => {
      if (k.blurProduct) k.blurProduct(this.coefficients, this.radius, a, b, w, h, this.temp, out, this.state, this.zeros);
      else {
        k.product(a, b, this.mul, n);
        blur(this.mul, out);
      }
    };
    for (let c = 0; c < 3; c++) {
      const a = this.xyb1[c]!;
      const b = this.xyb2[c]!;
      blurProduct(a, a, s11);
      blurProduct(b, b, s22);
      blurProduct(a, b, s12);
      blur(a, mu1);
      blur(b, mu2);
      k.ssimMapNorms(mu1, mu2, s11, s22, s12, n, this.out);
      k.edgeMapNorms(a, mu1, b, mu2, n, this.out + 16);
      const out = this.memory.f64(this.out, 6);
      ssim.push(out[0]!, out[1]!);
      edge.push(out[2]!, out[3]!, out[4]!, out[5]!);
    }
    return { ssim, edge };
  }
}
