// @ts-nocheck -- AssemblyScript (v128 types), compiled to WebAssembly by scripts/build.mjs;
// the TypeScript program never imports it.
/**
 * The VIF filter passes through i32x4.dot_i16x8_s (8 multiplies and 4 pair sums per instruction),
 * used by vifStatistic (vif.as.ts) where the taps and values allow it; bit-identical to its
 * 32-bit-lane passes.
 */
import { LOW16, roundShiftU32x4 } from './vif.as';

/** Stores four u32 lanes holding values below 2^16 as four i16 holding value - 2^15 (see horizontalDot). */
export function storeOffsetU16x4(at: usize, v: v128): void {
  v128.store64_lane(at, v128.xor(i16x8.narrow_i32x4_u(v, v), i16x8.splat(-32768)), 0);
}

/**
 * Σf·t of one padded row of 16-bit values into u32 sums (for output j, taps over t[j..j+taps-1]),
 * through i32x4.dot_i16x8_s: the values are stored as t - 2^15 (signed) and the taps in pairs
 * (f[2m], f[2m+1]), each below 2^15. A load at t[j + 2m] gives, in lane i, the pair's part of
 * output j + 2i; one at t[j + 1 + 2m], of output j + 1 + 2i. The offset adds -2^15·Σf to every
 * sum, taken back by `correction`; every true sum is below 2^32, so u32 wrap-around is exact.
 */
export function horizontalDot(src: usize, dst: usize, w: i32, pairs: usize, groups: i32, correction: v128): void {
  if (groups == 9) {
    horizontalDot9(src, dst, w, pairs, correction);
    return;
  }
  if (groups == 5) {
    horizontalDot5(src, dst, w, pairs, correction);
    return;
  }
  for (let j = 0; j < w; j += 8) {
    const at = src + ((<usize>j) << 1);
    let even = correction,
      odd = correction;
    for (let m = 0; m < groups; m++) {
      const f = v128.load(pairs + ((<usize>m) << 4));
      const p = at + ((<usize>m) << 2);
      even = i32x4.add(even, i32x4.dot_i16x8_s(v128.load(p), f));
      odd = i32x4.add(odd, i32x4.dot_i16x8_s(v128.load(p, 2), f));
    }
    const o = dst + ((<usize>j) << 2);
    v128.store(o, i32x4.shuffle(even, odd, 0, 4, 1, 5));
    v128.store(o, i32x4.shuffle(even, odd, 2, 6, 3, 7), 16);
  }
}

/** horizontalDot for the 17 taps of scale 0, unrolled with the pairs held in registers. */
function horizontalDot9(src: usize, dst: usize, w: i32, pairs: usize, correction: v128): void {
  const f0 = v128.load(pairs),
    f1 = v128.load(pairs, 16),
    f2 = v128.load(pairs, 32),
    f3 = v128.load(pairs, 48),
    f4 = v128.load(pairs, 64);
  const f5 = v128.load(pairs, 80),
    f6 = v128.load(pairs, 96),
    f7 = v128.load(pairs, 112),
    f8 = v128.load(pairs, 128);
  const end = src + ((<usize>w) << 1);
  let o = dst;
  for (let p = src; p < end; p += 16) {
    let even = i32x4.add(correction, i32x4.dot_i16x8_s(v128.load(p), f0));
    let odd = i32x4.add(correction, i32x4.dot_i16x8_s(v128.load(p, 2), f0));
    even = i32x4.add(even, i32x4.dot_i16x8_s(v128.load(p, 4), f1));
    odd = i32x4.add(odd, i32x4.dot_i16x8_s(v128.load(p, 6), f1));
    even = i32x4.add(even, i32x4.dot_i16x8_s(v128.load(p, 8), f2));
    odd = i32x4.add(odd, i32x4.dot_i16x8_s(v128.load(p, 10), f2));
    even = i32x4.add(even, i32x4.dot_i16x8_s(v128.load(p, 12), f3));
    odd = i32x4.add(odd, i32x4.dot_i16x8_s(v128.load(p, 14), f3));
    even = i32x4.add(even, i32x4.dot_i16x8_s(v128.load(p, 16), f4));
    odd = i32x4.add(odd, i32x4.dot_i16x8_s(v128.load(p, 18), f4));
    even = i32x4.add(even, i32x4.dot_i16x8_s(v128.load(p, 20), f5));
    odd = i32x4.add(odd, i32x4.dot_i16x8_s(v128.load(p, 22), f5));
    even = i32x4.add(even, i32x4.dot_i16x8_s(v128.load(p, 24), f6));
    odd = i32x4.add(odd, i32x4.dot_i16x8_s(v128.load(p, 26), f6));
    even = i32x4.add(even, i32x4.dot_i16x8_s(v128.load(p, 28), f7));
    odd = i32x4.add(odd, i32x4.dot_i16x8_s(v128.load(p, 30), f7));
    even = i32x4.add(even, i32x4.dot_i16x8_s(v128.load(p, 32), f8));
    odd = i32x4.add(odd, i32x4.dot_i16x8_s(v128.load(p, 34), f8));
    v128.store(o, i32x4.shuffle(even, odd, 0, 4, 1, 5));
    v128.store(o, i32x4.shuffle(even, odd, 2, 6, 3, 7), 16);
    o += 32;
  }
}

/** horizontalDot for the 9 taps of scale 1, unrolled with the pairs held in registers. */
function horizontalDot5(src: usize, dst: usize, w: i32, pairs: usize, correction: v128): void {
  const f0 = v128.load(pairs),
    f1 = v128.load(pairs, 16),
    f2 = v128.load(pairs, 32),
    f3 = v128.load(pairs, 48),
    f4 = v128.load(pairs, 64);
  const end = src + ((<usize>w) << 1);
  let o = dst;
  for (let p = src; p < end; p += 16) {
    let even = i32x4.add(correction, i32x4.dot_i16x8_s(v128.load(p), f0));
    let odd = i32x4.add(correction, i32x4.dot_i16x8_s(v128.load(p, 2), f0));
    even = i32x4.add(even, i32x4.dot_i16x8_s(v128.load(p, 4), f1));
    odd = i32x4.add(odd, i32x4.dot_i16x8_s(v128.load(p, 6), f1));
    even = i32x4.add(even, i32x4.dot_i16x8_s(v128.load(p, 8), f2));
    odd = i32x4.add(odd, i32x4.dot_i16x8_s(v128.load(p, 10), f2));
    even = i32x4.add(even, i32x4.dot_i16x8_s(v128.load(p, 12), f3));
    odd = i32x4.add(odd, i32x4.dot_i16x8_s(v128.load(p, 14), f3));
    even = i32x4.add(even, i32x4.dot_i16x8_s(v128.load(p, 16), f4));
    odd = i32x4.add(odd, i32x4.dot_i16x8_s(v128.load(p, 18), f4));
    v128.store(o, i32x4.shuffle(even, odd, 0, 4, 1, 5));
    v128.store(o, i32x4.shuffle(even, odd, 2, 6, 3, 7), 16);
    o += 32;
  }
}

/**
 * The vertical pass of 8-bit samples (17 taps), eight columns at a time through i32x4.dot_i16x8_s:
 * rows a and b of each tap pair interleaved as i16 pairs of x - 128 (so that squares and products,
 * at most 2^14, fit i16), then Σf·x = Σf·x' + 128·S, Σf·x² = Σf·x'² + 256·Σf·x' + 2^14·S and
 * Σf·xy = Σf·x'y' + 128·(Σf·x' + Σf·y') + 2^14·S (S = Σf), exact in u32 wrap-around since every
 * true sum is below 2^32. Writes the eight rows verticalStore does, from `t0` every `tStride` bytes.
 */
export function verticalDot8(
  ref: usize,
  dis: usize,
  w: i32,
  rowPairs: usize,
  vpairs: usize,
  pairCount: i32,
  half: i32,
  tapSum: i32,
  t0: usize,
  tStride: usize,
): void {
  const bias = i16x8.splat(128);
  for (let j = 0; j < w; j += 8) {
    const c = (<usize>j) << 1;
    let mx0 = i32x4.splat(0),
      mx1 = mx0,
      my0 = mx0,
      my1 = mx0,
      xx0 = mx0,
      xx1 = mx0,
      yy0 = mx0,
      yy1 = mx0,
      xy0 = mx0,
      xy1 = mx0;
    for (let m = 0; m < pairCount; m++) {
      const f = v128.load(vpairs + ((<usize>m) << 4));
      const atA = ((<usize>load<i32>(rowPairs + ((<usize>m) << 3))) << 1) + c,
        atB = ((<usize>load<i32>(rowPairs + ((<usize>m) << 3), 4)) << 1) + c;
      const xa = i16x8.sub(v128.load(ref + atA), bias),
        xb = i16x8.sub(v128.load(ref + atB), bias);
      const ya = i16x8.sub(v128.load(dis + atA), bias),
        yb = i16x8.sub(v128.load(dis + atB), bias);
      const x0 = i16x8.shuffle(xa, xb, 0, 8, 1, 9, 2, 10, 3, 11),
        x1 = i16x8.shuffle(xa, xb, 4, 12, 5, 13, 6, 14, 7, 15);
      const y0 = i16x8.shuffle(ya, yb, 0, 8, 1, 9, 2, 10, 3, 11),
        y1 = i16x8.shuffle(ya, yb, 4, 12, 5, 13, 6, 14, 7, 15);
      mx0 = i32x4.add(mx0, i32x4.dot_i16x8_s(x0, f));
      mx1 = i32x4.add(mx1, i32x4.dot_i16x8_s(x1, f));
      my0 = i32x4.add(my0, i32x4.dot_i16x8_s(y0, f));
      my1 = i32x4.add(my1, i32x4.dot_i16x8_s(y1, f));
      xx0 = i32x4.add(xx0, i32x4.dot_i16x8_s(i16x8.mul(x0, x0), f));
      xx1 = i32x4.add(xx1, i32x4.dot_i16x8_s(i16x8.mul(x1, x1), f));
      yy0 = i32x4.add(yy0, i32x4.dot_i16x8_s(i16x8.mul(y0, y0), f));
      yy1 = i32x4.add(yy1, i32x4.dot_i16x8_s(i16x8.mul(y1, y1), f));
      xy0 = i32x4.add(xy0, i32x4.dot_i16x8_s(i16x8.mul(x0, y0), f));
      xy1 = i32x4.add(xy1, i32x4.dot_i16x8_s(i16x8.mul(x1, y1), f));
    }
    const t = t0 + ((<usize>(half + j)) << 1);
    verticalStore8(t, tStride, mx0, my0, xx0, yy0, xy0, tapSum);
    verticalStore8(t + 8, tStride, mx1, my1, xx1, yy1, xy1, tapSum);
  }
}

/** Four columns of verticalDot8's sums, back from the x - 128 form, stored as the eight offset u16 rows. */
function verticalStore8(t: usize, tStride: usize, mx: v128, my: v128, xx: v128, yy: v128, xy: v128, tapSum: i32): void {
  const lowMask = i32x4.splat(LOW16),
    squareBias = i32x4.splat(tapSum << 14);
  const mu1 = i32x4.add(mx, i32x4.splat(tapSum << 7)),
    mu2 = i32x4.add(my, i32x4.splat(tapSum << 7));
  const xxTrue = i32x4.add(i32x4.add(xx, i32x4.shl(mx, 8)), squareBias);
  const yyTrue = i32x4.add(i32x4.add(yy, i32x4.shl(my, 8)), squareBias);
  const xyTrue = i32x4.add(i32x4.add(xy, i32x4.shl(i32x4.add(mx, my), 7)), squareBias);
  storeOffsetU16x4(t, roundShiftU32x4(mu1, 8));
  storeOffsetU16x4(t + tStride, roundShiftU32x4(mu2, 8));
  storeOffsetU16x4(t + 2 * tStride, v128.and(xxTrue, lowMask));
  storeOffsetU16x4(t + 3 * tStride, i32x4.shr_u(xxTrue, 16));
  storeOffsetU16x4(t + 4 * tStride, v128.and(yyTrue, lowMask));
  storeOffsetU16x4(t + 5 * tStride, i32x4.shr_u(yyTrue, 16));
  storeOffsetU16x4(t + 6 * tStride, v128.and(xyTrue, lowMask));
  storeOffsetU16x4(t + 7 * tStride, i32x4.shr_u(xyTrue, 16));
}
