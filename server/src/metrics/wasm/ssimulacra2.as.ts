// @ts-nocheck -- AssemblyScript (v128 types), compiled to WebAssembly by scripts/build.mjs
// (entry kernels.as.ts); the TypeScript program never imports it.
/**
 * SSIMULACRA2's per-pixel work, bit for bit as the TypeScript definition beside it (../colour.ts,
 * ../downscale.ts, ../ssim-map.ts, ../edge-map.ts, ../blur.ts), in native float32: each float32
 * operation is one wasm f32 instruction (the correctly rounded result, as Math.fround of the
 * double operation); each fused multiply-add is the double product plus the addend, demoted once,
 * as the TypeScript `fma`. Planes are float32, 4-byte aligned; pointers are byte offsets.
 */
@inline function fma32(a: f32, b: f32, c: f32): f32 {
  return <f32>(<f64>a * <f64>b + <f64>c);
}

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

/** libjxl's cube root (exponent guess, Newton steps with fused multiply-adds) plus `add`. */
@inline function cubeRootAndAdd(x: f32, add: f32, oneThird: f32, fourThirds: f32): f32 {
  const bits = reinterpret<i32>(x);
  let r = reinterpret<f32>(bits == 0 ? 0 : 0x54800000 - (bits >> 23) * 0x002aaaaa);
  const x3 = oneThird * x;
  for (let i = 0; i < 3; i++) {
    const r2 = r * r;
    r = fma32(-x3, r2 * r2, fourThirds * r);
  }
  let r2 = r * r;
  r = fma32(oneThird, fma32(-x, r2 * r2, r), r);
  r2 = r * r;
  return fma32(r2, x, add);
}

/**
 * Linear RGB (i0, i1, i2) → positive XYB (p0, p1, p2; may be the same planes). `k` holds the host's float32 constants: the opsin matrix
 * (9, row-major), its bias, -cbrt(bias), 1/3, 4/3, 1/2 (so that both definitions share them).
 */
export function linearToPositiveXyb(i0: usize, i1: usize, i2: usize, p0: usize, p1: usize, p2: usize, n: i32, k: usize): void {
  const m00 = load<f32>(k),
    m01 = load<f32>(k, 4),
    m02 = load<f32>(k, 8);
  const m10 = load<f32>(k, 12),
    m11 = load<f32>(k, 16),
    m12 = load<f32>(k, 20);
  const m20 = load<f32>(k, 24),
    m21 = load<f32>(k, 28),
    m22 = load<f32>(k, 32);
  const bias = load<f32>(k, 36),
    negBiasCbrt = load<f32>(k, 40);
  const oneThird = load<f32>(k, 44),
    fourThirds = load<f32>(k, 48),
    half = load<f32>(k, 52);
  const c14: f32 = 14,
    c042: f32 = 0.42,
    c001: f32 = 0.01,
    c055: f32 = 0.55;
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    const r = load<f32>(i0 + o);
    const g = load<f32>(i1 + o);
    const b = load<f32>(i2 + o);
    let a0 = fma32(m00, r, fma32(m01, g, fma32(m02, b, bias)));
    let a1 = fma32(m10, r, fma32(m11, g, fma32(m12, b, bias)));
    let a2 = fma32(m20, r, fma32(m21, g, fma32(m22, b, bias)));
    if (a0 < 0) a0 = 0;
    if (a1 < 0) a1 = 0;
    if (a2 < 0) a2 = 0;
    const l = cubeRootAndAdd(a0, negBiasCbrt, oneThird, fourThirds);
    const m = cubeRootAndAdd(a1, negBiasCbrt, oneThird, fourThirds);
    const s = cubeRootAndAdd(a2, negBiasCbrt, oneThird, fourThirds);
    const x = half * (l - m);
    const y = half * (l + m);
    store<f32>(p0 + o, x * c14 + c042);
    store<f32>(p1 + o, y + c001);
    store<f32>(p2 + o, s - y + c055);
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
  let sum: f64 = 0;
  let sum4: f64 = 0;
  for (let i = 0; i < n; i++) {
    const d = ssimError((<usize>i) << 2, mu1, mu2, s11, s22, s12);
    sum += d;
    const d2 = d * d;
    sum4 += d2 * d2;
  }
  const perPixel = 1 / <f64>n;
  store<f64>(out, perPixel * sum);
  store<f64>(out, Math.sqrt(Math.sqrt(perPixel * sum4)), 8);
}

/** One pixel's SSIM' error (≥ 0) at byte offset `o` of the planes (float32 per pixel, then double). */
@inline export function ssimError(o: usize, mu1: usize, mu2: usize, s11: usize, s22: usize, s12: usize): f64 {
  const c2: f32 = 0.0009;
  const one: f32 = 1;
  const two: f32 = 2;
  const m1 = load<f32>(mu1 + o);
  const m2 = load<f32>(mu2 + o);
  const diff = m1 - m2;
  const numM = one - diff * diff;
  const numS = two * (load<f32>(s12 + o) - m1 * m2) + c2;
  const denS = load<f32>(s11 + o) - m1 * m1 + (load<f32>(s22 + o) - m2 * m2) + c2;
  const d: f64 = 1 - <f64>((numM * numS) / denS);
  return d < 0 ? 0 : d;
}

/** The edge-difference maps' norms (see ../edge-map.ts) into out[0..3]: artifact 1, 4, detail lost 1, 4. */
export function edgeMapNorms(img1: usize, mu1: usize, img2: usize, mu2: usize, n: i32, out: usize): void {
  let artifact: f64 = 0;
  let artifact4: f64 = 0;
  let lost: f64 = 0;
  let lost4: f64 = 0;
  for (let i = 0; i < n; i++) {
    const d = edgeDifference((<usize>i) << 2, img1, mu1, img2, mu2);
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

/** One pixel's edge difference (1 + |img2 - mu2|) / (1 + |img1 - mu1|) - 1 at byte offset `o`. */
@inline export function edgeDifference(o: usize, img1: usize, mu1: usize, img2: usize, mu2: usize): f64 {
  const e2 = <f64>Mathf.abs(load<f32>(img2 + o) - load<f32>(mu2 + o));
  const e1 = <f64>Mathf.abs(load<f32>(img1 + o) - load<f32>(mu1 + o));
  return (1 + e2) / (1 + e1) - 1;
}
