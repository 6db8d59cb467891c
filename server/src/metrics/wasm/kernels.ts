import { METRIC_KERNELS_WASM_BASE64 } from './kernels.generated';
import { WasmArena, kernelModule, type KernelModuleExports } from '../../vmaf';

/**
 * The SSIMULACRA2 and XPSNR engines' WebAssembly SIMD kernels (AssemblyScript sources *.as.ts
 * beside this file; scripts/build.mjs compiles them into kernels.generated.ts, which git ignores).
 * Pointers are byte offsets into the instance's memory, laid out by a bump allocator.
 */
export interface MetricKernels extends KernelModuleExports {
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

const instantiate = kernelModule<MetricKernels>(METRIC_KERNELS_WASM_BASE64, 'metric');

/** One kernel instance and its buffers (the VMAF engine's arena: allocated once per frame size, zeroed, 16-byte aligned). */
export class MetricKernelMemory extends WasmArena<MetricKernels> {
  constructor() {
    super(instantiate());
  }
}
