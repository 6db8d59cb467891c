// @ts-nocheck -- AssemblyScript (v128 types), compiled to WebAssembly by scripts/build.mjs;
// the TypeScript program never imports it.
/**
 * SSIMULACRA2's recursive Gaussian (../blur.ts is the definition, with its derivation), bit for bit:
 * rows with the reference's 4-output expansion (scalar: each row is one recurrence), then columns,
 * two at a time in f64x2 lanes (a fused multiply-add is the double product plus the addend, demoted
 * to float32 once, so the lanes round as the scalar definition).
 *
 * Coefficients at `k` (float32): mulIn[12], mulPrev[12], mulPrev2[12], n2[3], d1[3].
 */
const MUL_IN: usize = 0;
const MUL_PREV: usize = 48;
const MUL_PREV2: usize = 96;
const N2: usize = 144;
const D1: usize = 156;

@inline function fma32(a: f32, b: f32, c: f32): f32 {
  return <f32>(<f64>a * <f64>b + <f64>c);
}

@inline function coefficient(k: usize, table: usize, term: usize, lane: usize): f32 {
  return load<f32>(k + table + ((term * 4 + lane) << 2));
}

/** Output `lane` (0..3) of one term for four inputs s0..s3 and the term's previous two outputs p, q. */
@inline function termLane(k: usize, term: usize, lane: usize, s0: f32, s1: f32, s2: f32, s3: f32, p: f32, q: f32): f32 {
  let acc: f32 = s0 * coefficient(k, MUL_IN, term, lane);
  if (lane >= 1) acc = fma32(coefficient(k, MUL_IN, term, lane - 1), s1, acc);
  if (lane >= 2) acc = fma32(coefficient(k, MUL_IN, term, lane - 2), s2, acc);
  if (lane >= 3) acc = fma32(coefficient(k, MUL_IN, term, lane - 3), s3, acc);
  return fma32(coefficient(k, MUL_PREV, term, lane), p, fma32(coefficient(k, MUL_PREV2, term, lane), q, acc));
}

/** One row of `width` floats at `input` into `out`; zero outside, as ../blur.ts's blurRow. */
function blurRow(k: usize, radius: i32, input: usize, width: i32, out: usize): void {
  const N = radius;
  let p1: f32 = 0,
    p3: f32 = 0,
    p5: f32 = 0;
  let q1: f32 = 0,
    q3: f32 = 0,
    q5: f32 = 0;
  const firstAligned = ((N + 1 + 3) >> 2) << 2;
  const headEnd = min(firstAligned, width);
  const bodyEnd = width - N + 1 - 3;
  const mi0 = coefficient(k, MUL_IN, 0, 0),
    mi1 = coefficient(k, MUL_IN, 1, 0),
    mi2 = coefficient(k, MUL_IN, 2, 0);
  const mp0 = coefficient(k, MUL_PREV, 0, 0),
    mp1 = coefficient(k, MUL_PREV, 1, 0),
    mp2 = coefficient(k, MUL_PREV, 2, 0);
  const mq0 = coefficient(k, MUL_PREV2, 0, 0),
    mq1 = coefficient(k, MUL_PREV2, 1, 0),
    mq2 = coefficient(k, MUL_PREV2, 2, 0);
  let n = -N + 1;
  for (;;) {
    if (n < headEnd || (n >= bodyEnd && n < width)) {
      const left = n - N - 1;
      const right = n + N - 1;
      const a: f32 = left >= 0 ? load<f32>(input + ((<usize>left) << 2)) : 0;
      const b: f32 = right < width ? load<f32>(input + ((<usize>right) << 2)) : 0;
      const sum = a + b;
      const o1 = fma32(mp0, p1, fma32(mq0, q1, sum * mi0));
      const o3 = fma32(mp1, p3, fma32(mq1, q3, sum * mi1));
      const o5 = fma32(mp2, p5, fma32(mq2, q5, sum * mi2));
      q1 = p1;
      q3 = p3;
      q5 = p5;
      p1 = o1;
      p3 = o3;
      p5 = o5;
      if (n >= 0) store<f32>(out + ((<usize>n) << 2), o1 + (o3 + o5));
      n++;
      continue;
    }
    if (n >= width) break;
    const base = input + ((<usize>(n - N - 1)) << 2);
    const far = (<usize>(2 * N)) << 2;
    const s0 = load<f32>(base) + load<f32>(base + far);
    const s1 = load<f32>(base, 4) + load<f32>(base + far, 4);
    const s2 = load<f32>(base, 8) + load<f32>(base + far, 8);
    const s3 = load<f32>(base, 12) + load<f32>(base + far, 12);
    const t0 = termLane(k, 0, 0, s0, s1, s2, s3, p1, q1);
    const t1 = termLane(k, 0, 1, s0, s1, s2, s3, p1, q1);
    const t2 = termLane(k, 0, 2, s0, s1, s2, s3, p1, q1);
    const t3 = termLane(k, 0, 3, s0, s1, s2, s3, p1, q1);
    const u0 = termLane(k, 1, 0, s0, s1, s2, s3, p3, q3);
    const u1 = termLane(k, 1, 1, s0, s1, s2, s3, p3, q3);
    const u2 = termLane(k, 1, 2, s0, s1, s2, s3, p3, q3);
    const u3 = termLane(k, 1, 3, s0, s1, s2, s3, p3, q3);
    const v0 = termLane(k, 2, 0, s0, s1, s2, s3, p5, q5);
    const v1 = termLane(k, 2, 1, s0, s1, s2, s3, p5, q5);
    const v2 = termLane(k, 2, 2, s0, s1, s2, s3, p5, q5);
    const v3 = termLane(k, 2, 3, s0, s1, s2, s3, p5, q5);
    q1 = t2;
    p1 = t3;
    q3 = u2;
    p3 = u3;
    q5 = v2;
    p5 = v3;
    const o = out + ((<usize>n) << 2);
    store<f32>(o, t0 + (u0 + v0));
    store<f32>(o, t1 + (u1 + v1), 4);
    store<f32>(o, t2 + (u2 + v2), 8);
    store<f32>(o, t3 + (u3 + v3), 12);
    n += 4;
  }
}


@inline function round32(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}

/** a·b + c of float32 values in f64x2 lanes, rounded once to float32 (kept as doubles). */
@inline function fma2(a: v128, b: v128, c: v128): v128 {
  return round32(f64x2.add(f64x2.mul(a, b), c));
}

/** The 42 coefficients as f64x2 splats, filled by blurPlane for its rows. */
const SPLATS = memory.data(42 * 16, 16);

@inline function splat(table: usize, term: usize, lane: usize): v128 {
  return v128.load(SPLATS + ((table >> 2) + term * 4 + lane) * 16);
}

/** termLane in f64x2 lanes (two rows' outputs at once). */
@inline function termLane2(term: usize, lane: usize, s0: v128, s1: v128, s2: v128, s3: v128, p: v128, q: v128): v128 {
  let acc = round32(f64x2.mul(s0, splat(MUL_IN, term, lane)));
  if (lane >= 1) acc = fma2(splat(MUL_IN, term, lane - 1), s1, acc);
  if (lane >= 2) acc = fma2(splat(MUL_IN, term, lane - 2), s2, acc);
  if (lane >= 3) acc = fma2(splat(MUL_IN, term, lane - 3), s3, acc);
  return fma2(splat(MUL_PREV, term, lane), p, fma2(splat(MUL_PREV2, term, lane), q, acc));
}

/** Two rows' input at x (zero outside 0..width-1) as an f64x2. */
@inline function pair(in0: usize, in1: usize, x: i32, width: i32): v128 {
  if (x < 0 || x >= width) return f64x2.splat(0);
  const at = (<usize>x) << 2;
  return f64x2.promote_low_f32x4(v128.load32_lane(in1 + at, v128.load32_zero(in0 + at), 1));
}

/** blurRow of two rows at once, lane 0 the first, lane 1 the second: the same operations, in f64x2. */
function blurRows2(radius: i32, in0: usize, in1: usize, width: i32, out0: usize, out1: usize): void {
  const N = radius;
  const zero = f64x2.splat(0);
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
      const sum = round32(f64x2.add(pair(in0, in1, n - N - 1, width), pair(in0, in1, n + N - 1, width)));
      const o1 = fma2(mp0, p1, fma2(mq0, q1, round32(f64x2.mul(sum, mi0))));
      const o3 = fma2(mp1, p3, fma2(mq1, q3, round32(f64x2.mul(sum, mi1))));
      const o5 = fma2(mp2, p5, fma2(mq2, q5, round32(f64x2.mul(sum, mi2))));
      q1 = p1;
      q3 = p3;
      q5 = p5;
      p1 = o1;
      p3 = o3;
      p5 = o5;
      if (n >= 0) {
        const total = f32x4.demote_f64x2_zero(f64x2.add(o1, round32(f64x2.add(o3, o5))));
        const at = (<usize>n) << 2;
        v128.store32_lane(out0 + at, total, 0);
        v128.store32_lane(out1 + at, total, 1);
      }
      n++;
      continue;
    }
    if (n >= width) break;
    const left = n - N - 1;
    const right = left + 2 * N;
    const s0 = round32(f64x2.add(pair(in0, in1, left, width), pair(in0, in1, right, width)));
    const s1 = round32(f64x2.add(pair(in0, in1, left + 1, width), pair(in0, in1, right + 1, width)));
    const s2 = round32(f64x2.add(pair(in0, in1, left + 2, width), pair(in0, in1, right + 2, width)));
    const s3 = round32(f64x2.add(pair(in0, in1, left + 3, width), pair(in0, in1, right + 3, width)));
    const t0 = termLane2(0, 0, s0, s1, s2, s3, p1, q1);
    const t1 = termLane2(0, 1, s0, s1, s2, s3, p1, q1);
    const t2 = termLane2(0, 2, s0, s1, s2, s3, p1, q1);
    const t3 = termLane2(0, 3, s0, s1, s2, s3, p1, q1);
    const u0 = termLane2(1, 0, s0, s1, s2, s3, p3, q3);
    const u1 = termLane2(1, 1, s0, s1, s2, s3, p3, q3);
    const u2 = termLane2(1, 2, s0, s1, s2, s3, p3, q3);
    const u3 = termLane2(1, 3, s0, s1, s2, s3, p3, q3);
    const v0 = termLane2(2, 0, s0, s1, s2, s3, p5, q5);
    const v1 = termLane2(2, 1, s0, s1, s2, s3, p5, q5);
    const v2 = termLane2(2, 2, s0, s1, s2, s3, p5, q5);
    const v3 = termLane2(2, 3, s0, s1, s2, s3, p5, q5);
    q1 = t2;
    p1 = t3;
    q3 = u2;
    p3 = u3;
    q5 = v2;
    p5 = v3;
    // out = t + (u + v) in float32; each aJ = [row 0's output n+J, row 1's, 0, 0].
    const a0 = f32x4.add(f32x4.demote_f64x2_zero(t0), f32x4.demote_f64x2_zero(f64x2.add(u0, v0)));
    const a1 = f32x4.add(f32x4.demote_f64x2_zero(t1), f32x4.demote_f64x2_zero(f64x2.add(u1, v1)));
    const a2 = f32x4.add(f32x4.demote_f64x2_zero(t2), f32x4.demote_f64x2_zero(f64x2.add(u2, v2)));
    const a3 = f32x4.add(f32x4.demote_f64x2_zero(t3), f32x4.demote_f64x2_zero(f64x2.add(u3, v3)));
    const r01 = i32x4.shuffle(a0, a1, 0, 4, 1, 5);
    const r23 = i32x4.shuffle(a2, a3, 0, 4, 1, 5);
    const at = (<usize>n) << 2;
    v128.store(out0 + at, i64x2.shuffle(r01, r23, 0, 2));
    v128.store(out1 + at, i64x2.shuffle(r01, r23, 1, 3));
    n += 4;
  }
}

/**
 * Every column at once, row by row, two columns per f64x2: y_k[n] = n2_k·(in[n-N-1] + in[n+N-1]) -
 * d1_k·y_k[n-1] - y_k[n-2], fused as ../blur.ts's blurColumns. `state` holds 6 rows of `stride`
 * doubles (stride ≥ w rounded up to even); `zeros` a row of ≥ w + 2 zero floats (the outside).
 * Writes up to one float past each row (the next row's first, rewritten after) and past the plane.
 */
function blurColumns(k: usize, radius: i32, input: usize, w: i32, h: i32, out: usize, state: usize, stride: i32, zeros: usize): void {
  const N = radius;
  const rowBytes = (<usize>stride) << 3;
  memory.fill(state, 0, rowBytes * 6);
  const n2a = f64x2.splat(<f64>load<f32>(k + N2)),
    n2b = f64x2.splat(<f64>load<f32>(k + N2, 4)),
    n2c = f64x2.splat(<f64>load<f32>(k + N2, 8));
  const d1a = f64x2.splat(<f64>load<f32>(k + D1)),
    d1b = f64x2.splat(<f64>load<f32>(k + D1, 4)),
    d1c = f64x2.splat(<f64>load<f32>(k + D1, 8));
  // Per term: P holds y(n-1), Q y(n-2); the new y overwrites Q, then the two swap.
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
    for (let x = 0; x < w; x += 2) {
      const xf = (<usize>x) << 2;
      const xd = (<usize>x) << 3;
      const sum = f64x2.promote_low_f32x4(f32x4.add(v128.load64_zero(topRow + xf), v128.load64_zero(bottomRow + xf)));
      const ya = round32(f64x2.sub(f64x2.mul(n2a, sum), round32(f64x2.add(f64x2.mul(d1a, v128.load(pa + xd)), v128.load(qa + xd)))));
      const yb = round32(f64x2.sub(f64x2.mul(n2b, sum), round32(f64x2.add(f64x2.mul(d1b, v128.load(pb + xd)), v128.load(qb + xd)))));
      const yc = round32(f64x2.sub(f64x2.mul(n2c, sum), round32(f64x2.add(f64x2.mul(d1c, v128.load(pc + xd)), v128.load(qc + xd)))));
      v128.store(qa + xd, ya);
      v128.store(qb + xd, yb);
      v128.store(qc + xd, yc);
      if (store) {
        const total = f32x4.add(f32x4.demote_f64x2_zero(ya), f32x4.add(f32x4.demote_f64x2_zero(yb), f32x4.demote_f64x2_zero(yc)));
        v128.store64_lane(outRow + xf, total, 0);
      }
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

/** Rows of `input` into `temp`, then columns of `temp` into `out` (w·h floats each). */
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
  const rowBytes = (<usize>w) << 2;
  for (let i: usize = 0; i < 42; i++) v128.store(SPLATS + i * 16, f64x2.splat(<f64>load<f32>(k + (i << 2))));
  let y = 0;
  for (; y + 2 <= h; y += 2) {
    const row = <usize>y * rowBytes;
    blurRows2(radius, input + row, input + row + rowBytes, w, temp + row, temp + row + rowBytes);
  }
  if (y < h) blurRow(k, radius, input + <usize>y * rowBytes, w, temp + <usize>y * rowBytes);
  blurColumns(k, radius, temp, w, h, out, state, stride, zeros);
}
