import { setFlagsFromString } from 'node:v8';
import { METRIC_KERNELS_FUSED_WASM_BASE64 } from './kernels-fused.generated';
import { METRIC_KERNELS_WASM_BASE64 } from './kernels.generated';
import { WasmArena, kernelModule, type KernelModuleExports } from '../../vmaf';

/**
 * The SSIMULACRA2 and XPSNR engines' WebAssembly SIMD kernels (AssemblyScript sources *.as.ts
 * beside this file; scripts/build.mjs compiles them into kernels.generated.ts, which git ignores).
 * Pointers are byte offsets into the instance's memory, laid out by a bump allocator.
 *
 * Two builds with the same exports: `exact` (kernels.as.ts: every fused multiply-add emulated in
 * f64x2, rounded once as the TypeScript definition) and `fused` (kernels-fused.as.ts: the blur and
 * XYB steps in f32x4 with relaxed SIMD's `relaxed_madd`, a hardware FMA where the CPU has one,
 * about 4x faster). `auto` takes `fused` only if this V8 compiles relaxed SIMD (Node 20 needs
 * --experimental-wasm-relaxed-simd, set here at run time) and the probe shows a single rounding.
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
  /** blurPlane of a·b without the product plane (the fused build only). */
  blurProduct?: (
    coefficients: number,
    radius: number,
    a: number,
    b: number,
    w: number,
    h: number,
    temp: number,
    out: number,
    state: number,
    zeros: number,
  ) => void;
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

interface FusedKernels extends MetricKernels {
  maddProbe(a: number, b: number, c: number): number;
}

export type MetricKernelBuild = 'exact' | 'fused';

const instantiateExact = kernelModule<MetricKernels>(METRIC_KERNELS_WASM_BASE64, 'metric');
const instantiateFused = kernelModule<FusedKernels>(METRIC_KERNELS_FUSED_WASM_BASE64, 'metric (fused)');

let fusedUsable: boolean | undefined;

/**
 * Whether the fused build runs here with one rounding per multiply-add: (1 + 2⁻¹²)(1 - 2⁻¹²) - 1 is
 * -2⁻²⁴ fused, 0 when the product is rounded first. Decided once per process.
 */
export function fusedKernelsUsable(): boolean {
  if (fusedUsable !== undefined) return fusedUsable;
  let kernels: FusedKernels | undefined;
  try {
    kernels = instantiateFused();
  } catch {
    try {
      // V8 11.x (Node 20) ships relaxed SIMD behind this flag; it applies to modules compiled after it.
      setFlagsFromString('--experimental-wasm-relaxed-simd');
      kernels = instantiateFused();
    } catch {
      kernels = undefined;
    }
  }
  const a = Math.fround(1 + 2 ** -12);
  const b = Math.fround(1 - 2 ** -12);
  fusedUsable = kernels !== undefined && kernels.maddProbe(a, b, -1) === -(2 ** -24);
  return fusedUsable;
}

/** The build `auto` picks in this process. */
export function preferredKernelBuild(): MetricKernelBuild {
  return fusedKernelsUsable() ? 'fused' : 'exact';
}

/** One kernel instance and its buffers (the VMAF engine's arena: allocated once per frame size, zeroed, 16-byte aligned). */
export class MetricKernelMemory extends WasmArena<MetricKernels> {
  constructor(readonly build: MetricKernelBuild = preferredKernelBuild()) {
    if (build === 'fused' && !fusedKernelsUsable()) throw new Error('fused metric kernels: this CPU or V8 has no fused relaxed_madd');
    super(build === 'fused' ? instantiateFused() : instantiateExact());
  }
}
