/**
 * Single-precision arithmetic in JavaScript numbers, as the reference SSIMULACRA2 (libjxl, AVX2 /
 * AVX-512 dispatch) computes: every result rounded to float32; a fused multiply-add rounded once.
 * A product of two float32 values is exact in a double, so `fround(a * b + c)` is the fused result
 * (up to a rare double rounding). Why bother: on smooth, near-lossless content SSIMULACRA2's error
 * terms are tiny differences of large blurred values, and the reference's own portable build, which
 * rounds the products separately, scores up to 1.3 lower.
 */
export const f32 = Math.fround;

/** a * b + c, rounded once. */
export function fma(a: number, b: number, c: number): number {
  return f32(a * b + c);
}

const bits = new ArrayBuffer(4);
const asFloat = new Float32Array(bits);
const asInt = new Int32Array(bits);

export function floatBits(x: number): number {
  asFloat[0] = x;
  return asInt[0]!;
}

export function floatFromBits(i: number): number {
  asInt[0] = i;
  return asFloat[0]!;
}
