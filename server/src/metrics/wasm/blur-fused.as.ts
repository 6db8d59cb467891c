// @ts-nocheck -- AssemblyScript (v128 types), compiled with relaxed SIMD by scripts/build.mjs
// (entry kernels-fused.as.ts); the TypeScript program never imports it.
/**
 * SSIMULACRA2's recursive Gaussian (../blur.ts is the definition) with hardware fused multiply-adds:
 * blur.as.ts's operations, four lanes per f32x4, each fused multiply-add one `f32x4.relaxed_madd`
 * (rounded once, as the reference's AVX-512 build, when the CPU fuses it; the host checks that it
 * does before using this module, see ../fused-kernels.ts). Rows four at a time (lane = row; the
 * body's 4 inputs per row transposed into lanes), then columns four at a time.
 *
 * Coefficients at `k` (float32): mulIn[12], mulPrev[12], mulPrev2[12], n2[3], d1[3].
 */
const MUL_IN: usize = 0;
const MUL_PREV: usize = 48;
const MUL_PREV2: usize = 96;
const N2: usize = 144;
const D1: usize = 156;

/** The 42 coefficients as f32x4 splats, filled by blurPlane. */
const SPLATS = memory.data(42 * 16, 16);

@inline function splat(table: usize, term: usize, lane: usize): v128 {
  return v128.load(SPLATS + ((table >> 2) + term * 4 + lane) * 16);
}

@inline function madd(a: v128, b: v128, c: v128): v128 {
  return f32x4.relaxed_madd(a, b, c);
}

/** One term's output `lane` for four rows: blur.as.ts's termLane with rows in lanes. */
@inline function termLane4(term: usize, lane: usize, s0: v128, s1: v128, s2: v128, s3: v128, p: v128, q: v128): v128 {
  let acc = f32x4.mul(s0, splat(MUL_IN, term, lane));
  if (lane >= 1) acc = madd(splat(MUL_IN, term, lane - 1), s1, acc);
  if (lane >= 2) acc = madd(splat(MUL_IN, term, lane - 2), s2, acc);
  if (lane >= 3) acc = madd(splat(MUL_IN, term, lane - 3), s3, acc);
  return madd(splat(MUL_PREV, term, lane), p, madd(splat(MUL_PREV2, term, lane), q, acc));
}

/** Four rows' input at x (zero outside 0..width-1), one row per lane; times the rows `other` bytes on if `product`. */
@inline function quad(r0: usize, r1: usize, r2: usize, r3: usize, x: i32, width: i32, product: bool, other: isize): v128 {
  if (x < 0 || x >= width) return f32x4.splat(0);
  const at = (<usize>x) << 2;
  let v = v128.load32_zero(r0 + at);
  v = v128.load32_lane(r1 + at, v, 1);
  v = v128.load32_lane(r2 + at, v, 2);
  v = v128.load32_lane(r3 + at, v, 3);
  if (!product) return v;
  let u = v128.load32_zero(r0 + at + other);
  u = v128.load32_lane(r1 + at + other, u, 1);
  u = v128.load32_lane(r2 + at + other, u, 2);
  u = v128.load32_lane(r3 + at + other, u, 3);
  return f32x4.mul(v, u);
}

/** Four floats of the input at `at`: the product plane's a·b (float32, as ssimulacra2.as.ts's product) when `product`. */
@inline function input4(at: usize, product: bool, other: isize): v128 {
  return product ? f32x4.mul(v128.load(at), v128.load(at + other)) : v128.load(at);
}

// The 4x4 transposes below (lane j of the k-th result is element k of the j-th input): two
// rounds of interleaving shuffles, written out so that every value stays a local.
/**
 * blurRow (blur.as.ts) of four rows at once (in0..in3 → out0..out3; a row may repeat). With `product`,
 * the input is in·(the rows `other` bytes on), so that the blur of a product plane needs no pass of its own.
 */
@inline function blurRows4(radius: i32, in0: usize, in1: usize, in2: usize, in3: usize, width: i32, out0: usize, out1: usize, out2: usize, out3: usize, product: bool, other: isize): void {
  const N = radius;
  const zero = f32x4.splat(0);
  let p1 = zero, p3 = zero, p5 = zero;
  let q1 = zero, q3 = zero, q5 = zero;
  const firstAligned = ((N + 1 + 3) >> 2) << 2;
  const headEnd = min(firstAligned, width);
  const bodyEnd = width - N + 1 - 3;
  const mi0 = splat(MUL_IN, 0, 0), mi1 = splat(MUL_IN, 1, 0), mi2 = splat(MUL_IN, 2, 0);
  const mp0 = splat(MUL_PREV, 0, 0), mp1 = splat(MUL_PREV, 1, 0), mp2 = splat(MUL_PREV, 2, 0);
  const mq0 = splat(MUL_PREV2, 0, 0), mq1 = splat(MUL_PREV2, 1, 0), mq2 = splat(MUL_PREV2, 2, 0);
  let n = -N + 1;
  for (;;) {
    if (n < headEnd || (n >= bodyEnd && n < width)) {
      const sum = f32x4.add(quad(in0, in1, in2, in3, n - N - 1, width, product, other), quad(in0, in1, in2, in3, n + N - 1, width, product, other));
      const o1 = madd(mp0, p1, madd(mq0, q1, f32x4.mul(sum, mi0)));
      const o3 = madd(mp1, p3, madd(mq1, q3, f32x4.mul(sum, mi1)));
      const o5 = madd(mp2, p5, madd(mq2, q5, f32x4.mul(sum, mi2)));
      q1 = p1;
      q3 = p3;
      q5 = p5;
      p1 = o1;
      p3 = o3;
      p5 = o5;
      if (n >= 0) {
        const total = f32x4.add(o1, f32x4.add(o3, o5));
        const at = (<usize>n) << 2;
        v128.store32_lane(out0 + at, total, 0);
        v128.store32_lane(out1 + at, total, 1);
        v128.store32_lane(out2 + at, total, 2);
        v128.store32_lane(out3 + at, total, 3);
      }
      n++;
      continue;
    }
    if (n >= width) break;
    const left = (<usize>(n - N - 1)) << 2;
    const right = left + ((<usize>(2 * N)) << 2);
    const a = f32x4.add(input4(in0 + left, product, other), input4(in0 + right, product, other));
    const b = f32x4.add(input4(in1 + left, product, other), input4(in1 + right, product, other));
    const c = f32x4.add(input4(in2 + left, product, other), input4(in2 + right, product, other));
    const d = f32x4.add(input4(in3 + left, product, other), input4(in3 + right, product, other));
    const ab0 = i32x4.shuffle(a, b, 0, 4, 1, 5), ab1 = i32x4.shuffle(a, b, 2, 6, 3, 7);
    const cd0 = i32x4.shuffle(c, d, 0, 4, 1, 5), cd1 = i32x4.shuffle(c, d, 2, 6, 3, 7);
    const s0 = i64x2.shuffle(ab0, cd0, 0, 2), s1 = i64x2.shuffle(ab0, cd0, 1, 3);
    const s2 = i64x2.shuffle(ab1, cd1, 0, 2), s3 = i64x2.shuffle(ab1, cd1, 1, 3);
    const t0 = termLane4(0, 0, s0, s1, s2, s3, p1, q1);
    const t1 = termLane4(0, 1, s0, s1, s2, s3, p1, q1);
    const t2 = termLane4(0, 2, s0, s1, s2, s3, p1, q1);
    const t3 = termLane4(0, 3, s0, s1, s2, s3, p1, q1);
    const u0 = termLane4(1, 0, s0, s1, s2, s3, p3, q3);
    const u1 = termLane4(1, 1, s0, s1, s2, s3, p3, q3);
    const u2 = termLane4(1, 2, s0, s1, s2, s3, p3, q3);
    const u3 = termLane4(1, 3, s0, s1, s2, s3, p3, q3);
    const v0 = termLane4(2, 0, s0, s1, s2, s3, p5, q5);
    const v1 = termLane4(2, 1, s0, s1, s2, s3, p5, q5);
    const v2 = termLane4(2, 2, s0, s1, s2, s3, p5, q5);
    const v3 = termLane4(2, 3, s0, s1, s2, s3, p5, q5);
    q1 = t2;
    p1 = t3;
    q3 = u2;
    p3 = u3;
    q5 = v2;
    p5 = v3;
    // Output n+J of the four rows is lane r of aJ; transposed back, one vector per row.
    const e0 = f32x4.add(t0, f32x4.add(u0, v0));
    const e1 = f32x4.add(t1, f32x4.add(u1, v1));
    const e2 = f32x4.add(t2, f32x4.add(u2, v2));
    const e3 = f32x4.add(t3, f32x4.add(u3, v3));
    const f01 = i32x4.shuffle(e0, e1, 0, 4, 1, 5), g01 = i32x4.shuffle(e0, e1, 2, 6, 3, 7);
    const f23 = i32x4.shuffle(e2, e3, 0, 4, 1, 5), g23 = i32x4.shuffle(e2, e3, 2, 6, 3, 7);
    const at = (<usize>n) << 2;
    v128.store(out0 + at, i64x2.shuffle(f01, f23, 0, 2));
    v128.store(out1 + at, i64x2.shuffle(f01, f23, 1, 3));
    v128.store(out2 + at, i64x2.shuffle(g01, g23, 0, 2));
    v128.store(out3 + at, i64x2.shuffle(g01, g23, 1, 3));
    n += 4;
  }
}

/**
 * Every column, row by row, four columns per f32x4: y_k[n] = n2_k·(in[n-N-1] + in[n+N-1]) -
 * d1_k·y_k[n-1] - y_k[n-2], fused as ../blur.ts's blurColumns; state as float32 (6 rows of
 * `stride` ≥ w rounded up to 4). Writes up to three floats past each row (the next row's, rewritten
 * after) and past the plane; `zeros` is a row of ≥ w + 4 zero floats (the outside).
 */
function blurColumns4(k: usize, radius: i32, input: usize, w: i32, h: i32, out: usize, state: usize, stride: i32, zeros: usize): void {
  const N = radius;
  const rowBytes = (<usize>stride) << 2;
  memory.fill(state, 0, rowBytes * 6);
  const n2a = f32x4.splat(load<f32>(k + N2)),
    n2b = f32x4.splat(load<f32>(k + N2, 4)),
    n2c = f32x4.splat(load<f32>(k + N2, 8));
  const d1a = f32x4.splat(-load<f32>(k + D1)),
    d1b = f32x4.splat(-load<f32>(k + D1, 4)),
    d1c = f32x4.splat(-load<f32>(k + D1, 8));
  let pa = state,
    qa = state + rowBytes;
  let pb = state + 2 * rowBytes,
    qb = state + 3 * rowBytes;
  let pc = state + 4 * rowBytes,
    qc = state + 5 * rowBytes;
  for (let n = -N + 1; n < h; n++) {
    const top = n - N - 1;
    const bottom = n + N - 1;
    const topRow = top >= 0 ? input + ((<usize>(top * w)) << 2) : zeros;
    const bottomRow = bottom < h ? input + ((<usize>(bottom * w)) << 2) : zeros;
    const outRow = out + ((<usize>(n * w)) << 2);
    const store = n >= 0;
    for (let x = 0; x < w; x += 4) {
      const xf = (<usize>x) << 2;
      const sum = f32x4.add(v128.load(topRow + xf), v128.load(bottomRow + xf));
      // -(d1·p) - q fused, then n2·sum plus that, fused.
      const ya = madd(n2a, sum, madd(d1a, v128.load(pa + xf), f32x4.neg(v128.load(qa + xf))));
      const yb = madd(n2b, sum, madd(d1b, v128.load(pb + xf), f32x4.neg(v128.load(qb + xf))));
      const yc = madd(n2c, sum, madd(d1c, v128.load(pc + xf), f32x4.neg(v128.load(qc + xf))));
      v128.store(qa + xf, ya);
      v128.store(qb + xf, yb);
      v128.store(qc + xf, yc);
      if (store) v128.store(outRow + xf, f32x4.add(ya, f32x4.add(yb, yc)));
    }
    let t = pa;
    pa = qa;
    qa = t;
    t = pb;
    pb = qb;
    qb = t;
    t = pc;
    pc = qc;
    qc = t;
  }
}

function blurRows4Plain(radius: i32, in0: usize, in1: usize, in2: usize, in3: usize, width: i32, out0: usize, out1: usize, out2: usize, out3: usize): void {
  blurRows4(radius, in0, in1, in2, in3, width, out0, out1, out2, out3, false, 0);
}

function blurRows4Product(radius: i32, in0: usize, in1: usize, in2: usize, in3: usize, width: i32, out0: usize, out1: usize, out2: usize, out3: usize, other: isize): void {
  blurRows4(radius, in0, in1, in2, in3, width, out0, out1, out2, out3, true, other);
}

/** Fills the coefficient splats, then the row pass of `input` (times `second` if not 0) into `temp`. */
@inline function rows(k: usize, radius: i32, input: usize, second: usize, w: i32, h: i32, temp: usize): void {
  const rowBytes = (<usize>w) << 2;
  for (let i: usize = 0; i < 42; i++) v128.store(SPLATS + i * 16, f32x4.splat(load<f32>(k + (i << 2))));
  const other = <isize>second - <isize>input;
  for (let y = 0; y < h; y += 4) {
    // The last group repeats its last row in the missing lanes (same input, same output).
    const r0 = <usize>y * rowBytes;
    const r1 = <usize>min(y + 1, h - 1) * rowBytes;
    const r2 = <usize>min(y + 2, h - 1) * rowBytes;
    const r3 = <usize>min(y + 3, h - 1) * rowBytes;
    if (second == 0) blurRows4Plain(radius, input + r0, input + r1, input + r2, input + r3, w, temp + r0, temp + r1, temp + r2, temp + r3);
    else blurRows4Product(radius, input + r0, input + r1, input + r2, input + r3, w, temp + r0, temp + r1, temp + r2, temp + r3, other);
  }
}

/**
 * Rows of `input` into `temp`, then columns of `temp` into `out` (w·h floats each). `stride` is unused
 * here (blurColumns4 takes w rounded up to 4; `state`, 6·8·stride bytes, is enough).
 */
export function blurPlane(
  k: usize,
  radius: i32,
  input: usize,
  w: i32,
  h: i32,
  temp: usize,
  out: usize,
  state: usize,
  stride: i32,
  zeros: usize,
): void {
  rows(k, radius, input, 0, w, h, temp);
  blurColumns4(k, radius, temp, w, h, out, state, (w + 3) & ~3, zeros);
}

/** blurPlane of the product plane a·b (float32 per pixel), without writing it. */
export function blurProduct(
  k: usize,
  radius: i32,
  a: usize,
  b: usize,
  w: i32,
  h: i32,
  temp: usize,
  out: usize,
  state: usize,
  zeros: usize,
): void {
  rows(k, radius, a, b, w, h, temp);
  blurColumns4(k, radius, temp, w, h, out, state, (w + 3) & ~3, zeros);
}
