import { f32, floatBits, floatFromBits, fma } from './float32';

/**
 * SSIMULACRA2's colour path (libjxl's, as the reference tool runs it): R'G'B' samples → linear
 * sRGB → XYB (the opsin absorbance matrix, a cube root) → "positive" XYB scaled to about 0..1.
 */

/** The sRGB transfer function, decoded (IEC 61966-2-1), for a sample in 0..1. */
export function srgbToLinear(v: number): number {
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
}

/** Linear float32 value of each code value 0..max (255 or 65535), read as libjxl reads PNG samples. */
export function linearTable(max: number): Float32Array {
  const table = new Float32Array(max + 1);
  const scale = f32(1 / max);
  for (let i = 0; i <= max; i++) table[i] = srgbToLinear(f32(i * scale));
  return table;
}

/** Interleaved R'G'B' (rgb24 or rgb48le samples) → three planes of linear float32. */
export function interleavedToLinear(
  samples: Uint8Array | Uint16Array,
  table: Float32Array,
  planes: [Float32Array, Float32Array, Float32Array],
): void {
  const [r, g, b] = planes;
  const n = r.length;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    r[i] = table[samples[j]!]!;
    g[i] = table[samples[j + 1]!]!;
    b[i] = table[samples[j + 2]!]!;
  }
}

// libjxl's opsin absorbance matrix and bias (float constants; the row sums are 1 in float arithmetic).
const M00 = f32(0.3);
const M02 = f32(0.078);
const M01 = f32(f32(1 - M02) - M00);
const M10 = f32(0.23);
const M12 = f32(0.078);
const M11 = f32(f32(1 - M12) - M10);
const M20 = f32(0.24342268924547819);
const M21 = f32(0.20476744424496821);
const M22 = f32(f32(1 - M20) - M21);
const BIAS = f32(0.0037930732552754493);
const NEG_BIAS_CBRT = f32(-Math.cbrt(BIAS));
const ONE_THIRD = f32(1 / 3);
const FOUR_THIRDS = f32(4 / 3);
const HALF = f32(0.5);

/** The float32 constants of the XYB step, in the order the WebAssembly kernel reads them. */
export const XYB_CONSTANTS: readonly number[] = [
  M00,
  M01,
  M02,
  M10,
  M11,
  M12,
  M20,
  M21,
  M22,
  BIAS,
  NEG_BIAS_CBRT,
  ONE_THIRD,
  FOUR_THIRDS,
  HALF,
];

/**
 * cbrt(x) + add as libjxl approximates it (6 ulp): an exponent guess of x^(-1/3), Newton
 * iterations with fused multiply-adds, then x * r^2. Copied so that XYB rounds as the reference's.
 */
export function cubeRootAndAdd(x: number, add: number): number {
  const m1 = floatBits(x);
  let r = floatFromBits(m1 === 0 ? 0 : (0x54800000 - (m1 >> 23) * 0x002aaaaa) | 0);
  const x3 = f32(ONE_THIRD * x);
  for (let i = 0; i < 3; i++) {
    const r2 = f32(r * r);
    r = fma(-x3, f32(r2 * r2), f32(FOUR_THIRDS * r));
  }
  let r2 = f32(r * r);
  r = fma(ONE_THIRD, fma(-x, f32(r2 * r2), r), r);
  r2 = f32(r * r);
  return fma(r2, x, add);
}

/**
 * Linear RGB planes → positive XYB planes, in place: X*14 + 0.42, Y + 0.01, (B - Y) + 0.55
 * (SSIMULACRA 2.1's rescaling; the SSIM formula wants non-negative values within 0..1).
 */
export function linearToPositiveXyb(planes: [Float32Array, Float32Array, Float32Array], n: number): void {
  const [p0, p1, p2] = planes;
  for (let i = 0; i < n; i++) {
    const r = p0[i]!;
    const g = p1[i]!;
    const b = p2[i]!;
    let m0 = fma(M00, r, fma(M01, g, fma(M02, b, BIAS)));
    let m1 = fma(M10, r, fma(M11, g, fma(M12, b, BIAS)));
    let m2 = fma(M20, r, fma(M21, g, fma(M22, b, BIAS)));
    if (m0 < 0) m0 = 0;
    if (m1 < 0) m1 = 0;
    if (m2 < 0) m2 = 0;
    const l = cubeRootAndAdd(m0, NEG_BIAS_CBRT);
    const m = cubeRootAndAdd(m1, NEG_BIAS_CBRT);
    const s = cubeRootAndAdd(m2, NEG_BIAS_CBRT);
    const x = f32(HALF * f32(l - m));
    const y = f32(HALF * f32(l + m));
    p0[i] = f32(f32(x * 14) + f32(0.42));
    p1[i] = f32(y + f32(0.01));
    p2[i] = f32(f32(s - y) + f32(0.55));
  }
}
