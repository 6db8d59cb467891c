// @ts-nocheck -- AssemblyScript (v128 types), compiled to WebAssembly by scripts/build.mjs
// (entry kernels.as.ts); the TypeScript program never imports it.
/**
 * SSIMULACRA2's per-pixel work, bit for bit as the TypeScript definition beside it (../colour.ts,
 * ../downscale.ts, ../ssim-map.ts, ../edge-map.ts, ../blur.ts), in native float32: each float32
 * operation is one wasm f32 instruction (the correctly rounded result, as Math.fround of the
 * double operation); each fused multiply-add is the double product plus the addend, demoted once,
 * as the TypeScript `fma`. Planes are float32, 4-byte aligned; pointers are byte offsets.
 */
/** Interleaved rgb24 → three planes of linear float32 through a 256-entry table. */
export function rgb8ToLinear(src: usize, table: usize, r: usize, g: usize, b: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const s = src + <usize>i * 3;
    const o = (<usize>i) << 2;
    store<f32>(r + o, load<f32>(table + ((<usize>load<u8>(s)) << 2)));
    store<f32>(g + o, load<f32>(table + ((<usize>load<u8>(s, 1)) << 2)));
    store<f32>(b + o, load<f32>(table + ((<usize>load<u8>(s, 2)) << 2)));
  }
}

/** Interleaved rgb48le → three planes of linear float32 through a 65536-entry table. */
export function rgb16ToLinear(src: usize, table: usize, r: usize, g: usize, b: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const s = src + <usize>i * 6;
    const o = (<usize>i) << 2;
    store<f32>(r + o, load<f32>(table + ((<usize>load<u16>(s)) << 2)));
    store<f32>(g + o, load<f32>(table + ((<usize>load<u16>(s, 2)) << 2)));
    store<f32>(b + o, load<f32>(table + ((<usize>load<u16>(s, 4)) << 2)));
  }
}

/** 2x2 box average (output size rounds up, the last row / column repeated), float32 sums in order. */
export function downscale2x2(input: usize, w: i32, h: i32, out: usize): void {
  const ow = (w + 1) >> 1;
  const oh = (h + 1) >> 1;
  const quarter: f32 = 0.25;
  for (let oy = 0; oy < oh; oy++) {
    const y0 = input + ((<usize>(2 * oy * w)) << 2);
    const y1 = input + ((<usize>(min(2 * oy + 1, h - 1) * w)) << 2);
    const o = out + ((<usize>(oy * ow)) << 2);
    for (let ox = 0; ox < ow; ox++) {
      const x0 = (<usize>(2 * ox)) << 2;
      const x1 = (<usize>min(2 * ox + 1, w - 1)) << 2;
      const sum: f32 = load<f32>(y0 + x0) + load<f32>(y0 + x1) + load<f32>(y1 + x0) + load<f32>(y1 + x1);
      store<f32>(o + ((<usize>ox) << 2), sum * quarter);
    }
  }
}

@inline function round32(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}

@inline function fma2(a: v128, b: v128, c: v128): v128 {
  return round32(f64x2.add(f64x2.mul(a, b), c));
}

/** cubeRootAndAdd of two float32 values in f64x2 lanes (the exponent guess on their float32 bits). */
@inline function cubeRootAndAdd2(x: v128, add: v128, oneThird: v128, fourThirds: v128): v128 {
  const bits = f32x4.demote_f64x2_zero(x);
  const guess = i32x4.sub(i32x4.splat(0x54800000), i32x4.mul(i32x4.shr_s(bits, 23), i32x4.splat(0x002aaaaa)));
  let r = f64x2.promote_low_f32x4(v128.bitselect(i32x4.splat(0), guess, i32x4.eq(bits, i32x4.splat(0))));
  const x3 = f64x2.neg(round32(f64x2.mul(oneThird, x)));
  for (let i = 0; i < 3; i++) {
    const r2 = round32(f64x2.mul(r, r));
    r = fma2(x3, round32(f64x2.mul(r2, r2)), round32(f64x2.mul(fourThirds, r)));
  }
  let r2 = round32(f64x2.mul(r, r));
  r = fma2(oneThird, fma2(f64x2.neg(x), round32(f64x2.mul(r2, r2)), r), r);
  r2 = round32(f64x2.mul(r, r));
  return fma2(r2, x, add);
}

@inline function constant2(k: usize, offset: usize): v128 {
  return f64x2.splat(<f64>load<f32>(k + offset));
}

@inline function load2(plane: usize, o: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(plane + o));
}

/** max(v, 0) as the definition's `if (v < 0) v = 0` (a NaN or -0 stays). */
@inline function clampNegative(v: v128): v128 {
  return v128.bitselect(f64x2.splat(0), v, f64x2.lt(v, f64x2.splat(0)));
}

/**
 * Linear RGB (i0, i1, i2) → positive XYB (p0, p1, p2), two pixels per step in f64x2 lanes, each
 * rounding as the float32 definition (../colour.ts). `k` holds the host's float32 constants: the
 * opsin matrix (9, row-major), its bias, -cbrt(bias), 1/3, 4/3, 1/2. An odd count reads and
 * writes one float past the planes (their slack).
 */
export function linearToPositiveXyb(i0: usize, i1: usize, i2: usize, p0: usize, p1: usize, p2: usize, n: i32, k: usize): void {
  const m00 = constant2(k, 0), m01 = constant2(k, 4), m02 = constant2(k, 8);
  const m10 = constant2(k, 12), m11 = constant2(k, 16), m12 = constant2(k, 20);
  const m20 = constant2(k, 24), m21 = constant2(k, 28), m22 = constant2(k, 32);
  const bias = constant2(k, 36), negBiasCbrt = constant2(k, 40);
  const oneThird = constant2(k, 44), fourThirds = constant2(k, 48), half = constant2(k, 52);
  const c14 = f64x2.splat(14), c042 = f64x2.splat(<f64>(<f32>0.42)), c001 = f64x2.splat(<f64>(<f32>0.01)), c055 = f64x2.splat(<f64>(<f32>0.55));
  for (let i = 0; i < n; i += 2) {
    const o = (<usize>i) << 2;
    const r = load2(i0, o);
    const g = load2(i1, o);
    const b = load2(i2, o);
    const a0 = clampNegative(fma2(m00, r, fma2(m01, g, fma2(m02, b, bias))));
    const a1 = clampNegative(fma2(m10, r, fma2(m11, g, fma2(m12, b, bias))));
    const a2 = clampNegative(fma2(m20, r, fma2(m21, g, fma2(m22, b, bias))));
    const l = cubeRootAndAdd2(a0, negBiasCbrt, oneThird, fourThirds);
    const m = cubeRootAndAdd2(a1, negBiasCbrt, oneThird, fourThirds);
    const s = cubeRootAndAdd2(a2, negBiasCbrt, oneThird, fourThirds);
    const x = round32(f64x2.mul(half, round32(f64x2.sub(l, m))));
    const y = round32(f64x2.mul(half, round32(f64x2.add(l, m))));
    v128.store64_lane(p0 + o, f32x4.demote_f64x2_zero(f64x2.add(round32(f64x2.mul(x, c14)), c042)), 0);
    v128.store64_lane(p1 + o, f32x4.demote_f64x2_zero(f64x2.add(y, c001)), 0);
    v128.store64_lane(p2 + o, f32x4.demote_f64x2_zero(f64x2.add(round32(f64x2.sub(s, y)), c055)), 0);
  }
}

/** out = a·b, float32, four at a time. */
export function product(a: usize, b: usize, out: usize, n: i32): void {
  const end = (<usize>n) << 2;
  for (let o: usize = 0; o < end; o += 16) v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
}

/**
 * SSIMULACRA 2.1's SSIM' error map's 1-norm and 4-norm (see ../ssim-map.ts) into out[0..1]
 * (doubles); the sums are doubles added in pixel order, as the definition.
 */
export function ssimMapNorms(mu1: usize, mu2: usize, s11: usize, s22: usize, s12: usize, n: i32, out: usize): void {
  const c2: f32 = 0.0009;
  const one: f32 = 1;
  const two: f32 = 2;
  let sum: f64 = 0;
  let sum4: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    const m1 = load<f32>(mu1 + o);
    const m2 = load<f32>(mu2 + o);
    const diff = m1 - m2;
    const numM = one - diff * diff;
    const numS = two * (load<f32>(s12 + o) - m1 * m2) + c2;
    const denS = load<f32>(s11 + o) - m1 * m1 + (load<f32>(s22 + o) - m2 * m2) + c2;
    let d: f64 = 1 - <f64>((numM * numS) / denS);
    if (d < 0) d = 0;
    sum += d;
    const d2 = d * d;
    sum4 += d2 * d2;
  }
  const perPixel = 1 / <f64>n;
  store<f64>(out, perPixel * sum);
  store<f64>(out, Math.sqrt(Math.sqrt(perPixel * sum4)), 8);
}

/** The edge-difference maps' norms (see ../edge-map.ts) into out[0..3]: artifact 1, 4, detail lost 1, 4. */
export function edgeMapNorms(img1: usize, mu1: usize, img2: usize, mu2: usize, n: i32, out: usize): void {
  let artifact: f64 = 0;
  let artifact4: f64 = 0;
  let lost: f64 = 0;
  let lost4: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    const e2 = <f64>Mathf.abs(load<f32>(img2 + o) - load<f32>(mu2 + o));
    const e1 = <f64>Mathf.abs(load<f32>(img1 + o) - load<f32>(mu1 + o));
    const d = (1 + e2) / (1 + e1) - 1;
    if (d > 0) {
      artifact += d;
      const d2 = d * d;
      artifact4 += d2 * d2;
    } else if (d < 0) {
      lost -= d;
      const d2 = d * d;
      lost4 += d2 * d2;
    }
  }
  const perPixel = 1 / <f64>n;
  store<f64>(out, perPixel * artifact);
  store<f64>(out, Math.sqrt(Math.sqrt(perPixel * artifact4)), 8);
  store<f64>(out, perPixel * lost, 16);
  store<f64>(out, Math.sqrt(Math.sqrt(perPixel * lost4)), 24);
}
