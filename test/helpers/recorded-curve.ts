/**
 * A recorded VMAF-by-CRF curve for the pure CRF decisions' tests: bench/target-quality --case
 * 1080p-p8 --quick, segment 2 (mandelbrot), preset 8, whole-segment VMAF at each CRF measured.
 */
export const MANDELBROT_1080P_P8: readonly (readonly [crf: number, vmaf: number])[] = [
  [20, 97.28],
  [25, 96.21],
  [28, 95.14],
  [30, 94.44],
  [31, 94.01],
  [32, 93.31],
  [55, 68.66],
];

/** VMAF at CRF on the recorded curve; between measured CRFs 100 − VMAF is interpolated on a log scale (what the curves look like). */
export function recordedVmaf(crf: number, measured: readonly (readonly [number, number])[] = MANDELBROT_1080P_P8): number {
  const upper = measured.findIndex(([c]) => c >= crf);
  const [c1, v1] = measured[upper]!;
  if (c1 === crf || upper === 0) return v1;
  const [c0, v0] = measured[upper - 1]!;
  const t = (crf - c0) / (c1 - c0);
  return 100 - Math.exp(Math.log(100 - v0) + t * (Math.log(100 - v1) - Math.log(100 - v0)));
}
