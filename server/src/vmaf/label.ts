import type { VmafEngineName, VmafPool, VmafResult } from './types';

/**
 * How a VMAF figure is said to the user, with the convention it was measured under (inputs.ts
 * inMeasuredPixelFormat), so that a number can be checked: the pool, the frames, the pixel
 * format both sides were in, the engine and the model. Pure.
 */

/** `harmonic_mean` → `harmonic mean`, `p5` → `5th percentile`. */
export function poolLabel(pool: VmafPool): string {
  if (pool === 'harmonic_mean') return 'harmonic mean';
  if (pool === 'min') return 'minimum';
  if (pool === 'mean') return 'mean';
  return `${ordinal(Number(pool.slice(1)))} percentile`;
}

function ordinal(n: number): string {
  if (!Number.isInteger(n)) return String(n);
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

export function engineLabel(engine: VmafEngineName): string {
  return engine === 'builtin' ? 'built-in' : engine;
}

/** `reference converted to yuv420p10le` or `both yuv420p`: the pixel format the frames were compared in. */
export function conversionLabel(pixelFormat: string, referenceConvertedFrom: string | undefined): string {
  return referenceConvertedFrom ? `reference converted to ${pixelFormat}` : `both ${pixelFormat}`;
}

/** `VMAF 93.21 (harmonic mean of 96 frames; reference converted to yuv420p10le; built-in engine, model v0.6.1)`. */
export function vmafResultLine(result: VmafResult): string {
  const scored =
    result.frames.length === result.frameCount ? `${result.frameCount} frames` : `${result.frames.length} of ${result.frameCount} frames`;
  return `VMAF ${result.score.toFixed(2)} (${poolLabel(result.pool)} of ${scored}; ${conversionLabel(result.pixelFormat, result.referenceConvertedFrom)}; ${engineLabel(result.engine)} engine, model ${result.model})`;
}
