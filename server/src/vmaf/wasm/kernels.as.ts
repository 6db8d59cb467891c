// @ts-nocheck -- AssemblyScript entry of the built-in VMAF engine's WebAssembly kernels, compiled
// by scripts/build.mjs into kernels.generated.ts; the TypeScript program never imports it.
export { vifStatistic } from './vif.as';
export { vifDecimate } from './vif-decimate.as';
export { admDwt } from './adm-dwt.as';
export { admDecouple, admCsf, admCsfDenominator, admMasking } from './adm.as';
export { motionSad } from './motion.as';

/** First free byte after the module's static data: the host lays out its buffers from here. */
export function heapBase(): usize {
  return __heap_base;
}
