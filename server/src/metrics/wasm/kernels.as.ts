// @ts-nocheck -- AssemblyScript entry of the SSIMULACRA2 and XPSNR engines' WebAssembly kernels,
// compiled by scripts/build.mjs into kernels.generated.ts; the TypeScript program never imports it.
export { rgb8ToLinear, rgb16ToLinear, downscale2x2, linearToPositiveXyb, product, ssimMapNorms, edgeMapNorms } from './ssimulacra2.as';
export { blurPlane } from './blur.as';
export { xpsnrLumaSums8 } from './xpsnr.as';

/** First free byte after the module's static data: the host lays out its buffers from here. */
export function heapBase(): usize {
  return __heap_base;
}
