// @ts-nocheck -- AssemblyScript entry of the SSIMULACRA2 and XPSNR kernels with hardware fused
// multiply-adds (relaxed SIMD): kernels.as.ts with the blur and XYB steps replaced, compiled by
// scripts/build.mjs into kernels-fused.generated.ts; used only where the CPU fuses (../fused-kernels.ts).
export { rgb8ToLinear, rgb16ToLinear, product } from './ssimulacra2.as';
export { ssimMapNorms, edgeMapNorms, downscale2x2 } from './maps-simd.as';
export { linearToPositiveXyb } from './xyb-fused.as';
export { blurPlane, blurProduct } from './blur-fused.as';
export { xpsnrLumaSums8 } from './xpsnr.as';
export { heapBase } from './kernels.as';

/** a·b + c through `f32x4.relaxed_madd`: the host's check that this CPU fuses (one rounding). */
export function maddProbe(a: f32, b: f32, c: f32): f32 {
  return f32x4.extract_lane(f32x4.relaxed_madd(f32x4.splat(a), f32x4.splat(b), f32x4.splat(c)), 0);
}
