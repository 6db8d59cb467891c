// @ts-nocheck -- AssemblyScript (v128 types), compiled with relaxed SIMD by scripts/build.mjs
// (entry kernels-fused.as.ts); the TypeScript program never imports it.
/**
 * Linear RGB → positive XYB (ssimulacra2.as.ts's linearToPositiveXyb, ../colour.ts the definition),
 * four pixels per f32x4, each fused multiply-add one `f32x4.relaxed_madd` (used only where the CPU
 * fuses it, see ../fused-kernels.ts). Writes whole vectors: up to 3 floats past n (buffer slack).
 */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  return f32x4.relaxed_madd(a, b, c);
}

/** libjxl's cube root (exponent guess on the bits, Newton steps with fused multiply-adds) plus `add`. */
@inline function cubeRootAndAdd4(x: v128, add: v128, oneThird: v128, fourThirds: v128): v128 {
  const guess = i32x4.sub(i32x4.splat(0x54800000), i32x4.mul(i32x4.shr_s(x, 23), i32x4.splat(0x002aaaaa)));
  let r = v128.andnot(guess, i32x4.eq(x, i32x4.splat(0)));
  const negX3 = f32x4.neg(f32x4.mul(oneThird, x));
  for (let i = 0; i < 3; i++) {
    const r2 = f32x4.mul(r, r);
    r = madd(negX3, f32x4.mul(r2, r2), f32x4.mul(fourThirds, r));
  }
  let r2 = f32x4.mul(r, r);
  r = madd(oneThird, madd(f32x4.neg(x), f32x4.mul(r2, r2), r), r);
  r2 = f32x4.mul(r, r);
  return madd(r2, x, add);
}

/** Clamps negative lanes to 0 (a -0 stays -0, as the scalar `if (a < 0) a = 0`). */
@inline function nonNegative(a: v128): v128 {
  return v128.andnot(a, f32x4.lt(a, f32x4.splat(0)));
}

export function linearToPositiveXyb(i0: usize, i1: usize, i2: usize, p0: usize, p1: usize, p2: usize, n: i32, k: usize): void {
  const m00 = v128.load32_splat(k), m01 = v128.load32_splat(k, 4), m02 = v128.load32_splat(k, 8);
  const m10 = v128.load32_splat(k, 12), m11 = v128.load32_splat(k, 16), m12 = v128.load32_splat(k, 20);
  const m20 = v128.load32_splat(k, 24), m21 = v128.load32_splat(k, 28), m22 = v128.load32_splat(k, 32);
  const bias = v128.load32_splat(k, 36), negBiasCbrt = v128.load32_splat(k, 40);
  const oneThird = v128.load32_splat(k, 44), fourThirds = v128.load32_splat(k, 48), half = v128.load32_splat(k, 52);
  const c14 = f32x4.splat(14), c042 = f32x4.splat(0.42), c001 = f32x4.splat(0.01), c055 = f32x4.splat(0.55);
  const end = (<usize>n) << 2;
  for (let o: usize = 0; o < end; o += 16) {
    const r = v128.load(i0 + o);
    const g = v128.load(i1 + o);
    const b = v128.load(i2 + o);
    const a0 = nonNegative(madd(m00, r, madd(m01, g, madd(m02, b, bias))));
    const a1 = nonNegative(madd(m10, r, madd(m11, g, madd(m12, b, bias))));
    const a2 = nonNegative(madd(m20, r, madd(m21, g, madd(m22, b, bias))));
    const l = cubeRootAndAdd4(a0, negBiasCbrt, oneThird, fourThirds);
    const m = cubeRootAndAdd4(a1, negBiasCbrt, oneThird, fourThirds);
    const s = cubeRootAndAdd4(a2, negBiasCbrt, oneThird, fourThirds);
    const x = f32x4.mul(half, f32x4.sub(l, m));
    const y = f32x4.mul(half, f32x4.add(l, m));
    v128.store(p0 + o, f32x4.add(f32x4.mul(x, c14), c042));
    v128.store(p1 + o, f32x4.add(y, c001));
    v128.store(p2 + o, f32x4.add(f32x4.sub(s, y), c055));
  }
}
