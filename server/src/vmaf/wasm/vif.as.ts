// @ts-nocheck -- AssemblyScript (i32/u64/v128 types), compiled to WebAssembly by scripts/build.mjs;
// the TypeScript program never imports it.
/**
 * VIF kernel of the built-in VMAF engine: the local statistics of one scale (vertical then
 * horizontal Gaussian filtering of x, y, x², y², xy, then the per-pixel information terms), in
 * libvmaf integer_vif fixed point. The dot-product filter passes are in vif-dot.as.ts, the
 * decimation to the next scale in vif-decimate.as.ts.
 * Planes are u16. Every sum is exact: sums of squares are kept in u32 lanes where they fit and
 * otherwise as two sums of 16-bit digits; the Q16 filters sum to 65536, so the first moments fit u32 lanes.
 */
import { horizontalDot, storeOffsetU16x4, verticalDot8 } from './vif-dot.as';
import { informationTerms } from './vif-terms.as';

/** Mirror about the edge sample (…2 1 | 0 1 2 … w-2 w-1 | w-2 …). */
export function mirror(index: i32, size: i32): i32 {
  if (index < 0) return -index;
  if (index >= size) return 2 * (size - 1) - index;
  return index;
}

/** (v + 2^(shift-1)) >> shift on u32 lanes without overflowing 32 bits. */
export function roundShiftU32x4(v: v128, shift: i32): v128 {
  if (shift == 0) return v;
  const mask = i32x4.splat((1 << shift) - 1);
  const half = i32x4.splat(1 << (shift - 1));
  return i32x4.add(i32x4.shr_u(v, shift), i32x4.shr_u(i32x4.add(v128.and(v, mask), half), shift));
}

/** Mirrors `half` samples at both ends of a row buffer whose samples start at `half`. */
export function mirrorEdges(t: usize, w: i32, half: i32): void {
  for (let f = 1; f <= half; f++) {
    store<u32>(t + ((<usize>(half - f)) << 2), load<u32>(t + ((<usize>(half + f)) << 2)));
    store<u32>(t + ((<usize>(half + w - 1 + f)) << 2), load<u32>(t + ((<usize>(half + w - 1 - f)) << 2)));
  }
}

export const LOW16 = 0xffff;

/** Stores four u32 lanes holding values below 2^16 as four u16. */
export function storeU16x4(at: usize, v: v128): void {
  v128.store64_lane(at, i16x8.narrow_i32x4_u(v, v), 0);
}

function mirrorEdges16(t: usize, w: i32, half: i32): void {
  for (let f = 1; f <= half; f++) {
    store<u16>(t + ((<usize>(half - f)) << 1), load<u16>(t + ((<usize>(half + f)) << 1)));
    store<u16>(t + ((<usize>(half + w - 1 + f)) << 1), load<u16>(t + ((<usize>(half + w - 1 - f)) << 1)));
  }
}

/** (hi·2^16 + lo + 2^(shift-1)) >> shift for 0 <= shift <= 16, on u32 lanes (the result fits 32 bits). */
function combineDigits(hi: v128, lo: v128, shift: i32): v128 {
  return i32x4.add(i32x4.shl(hi, 16 - shift), roundShiftU32x4(lo, shift));
}

/**
 * Numerator and denominator terms of one scale. Sums of f·q where q < 2^32 are kept as two u32
 * sums over q's 16-bit digits (each below Σf·2^16 = 2^32, so exact in u32 lanes). The filters
 * are symmetric, so taps k and taps-1-k are added before multiplying when that cannot overflow:
 * always for first moments (f·(a+b) is part of a sum below 2^32) and for the digits; for the
 * squares of the vertical pass only at scale 0 (`pairSquares`: samples below 2^15).
 * `scratch` holds eight padded u16 rows of `stride` (the vertical results: mu1, mu2 and the
 * low/high digits of xx, yy, xy), five u32 rows of horizontal results (the first three then
 * overwritten by sigma1², sigma2², sigma12), two f64 rows of gain terms, and the tap row offsets.
 * Writes numLog, denLog, numNonLog, denNonLog as f64 to `out`.
 */
export function vifStatistic(
  ref: usize,
  dis: usize,
  w: i32,
  h: i32,
  filter: usize,
  taps: i32,
  muShift: i32,
  sqShift: i32,
  scratch: usize,
  stride: i32,
  log2Table: usize,
  out: usize,
): void {
  const half = taps >> 1;
  const pairSquares = muShift <= 15 && sqShift < 16;
  const squaresFit32 = muShift == 8 && sqShift == 0;
  const rowBytes = (<usize>stride) << 2,
    rowBytes16 = (<usize>stride) << 1;
  const tMu1 = scratch,
    tMu2 = tMu1 + rowBytes16;
  const tXXlo = tMu2 + rowBytes16,
    tXXhi = tXXlo + rowBytes16,
    tYYlo = tXXhi + rowBytes16,
    tYYhi = tYYlo + rowBytes16,
    tXYlo = tYYhi + rowBytes16,
    tXYhi = tXYlo + rowBytes16;
  const hMu1 = tXYhi + rowBytes16,
    hMu2 = hMu1 + rowBytes,
    hXX = hMu2 + rowBytes,
    hYY = hXX + rowBytes,
    hXY = hYY + rowBytes;
  const hXXhi = hXY + rowBytes,
    hYYhi = hXXhi + rowBytes,
    hXYhi = hYYhi + rowBytes;
  const numer1Row = hXYhi + rowBytes,
    numerTmpRow = numer1Row + (rowBytes << 1);
  const rows = numerTmpRow + (rowBytes << 1);
  // Taps paired for i16 dot products (both taps of a pair below 2^15: scales 0 to 2).
  const pairs = rows + 128,
    groups = (taps + 1) >> 1;
  let dotTaps = true,
    tapSum: i32 = 0;
  for (let k = 0; k < taps; k++) {
    const f = load<i32>(filter + ((<usize>k) << 2));
    tapSum += f;
    if (f >= 32768) dotTaps = false;
  }
  for (let m = 0; m < groups; m++) {
    const second = 2 * m + 1 < taps ? load<i32>(filter + ((<usize>(2 * m + 1)) << 2)) : 0;
    v128.store(pairs + ((<usize>m) << 4), i32x4.splat(load<i32>(filter + ((<usize>(2 * m)) << 2)) | (second << 16)));
  }
  const correction = i32x4.splat(tapSum << 15);
  // 8-bit scale 0: the vertical pass through dot products too (verticalDot8), with symmetric taps
  // paired (f[k], f[k]) over rows k and taps-1-k, and the centre as (f[half], 0).
  const vertical8 = squaresFit32 && dotTaps && taps == 17;
  const vpairs = rows + 288,
    rowPairs = vpairs + 144;
  for (let m = 0; m <= half; m++) {
    const f = load<i32>(filter + ((<usize>m) << 2));
    v128.store(vpairs + ((<usize>m) << 4), i32x4.splat(m < half ? f | (f << 16) : f));
  }
  const lowMask = i32x4.splat(LOW16);
  const centre = load<i32>(filter + ((<usize>half) << 2));
  // numLog, denLog, numNonLog, denNonLog (i64), added to row by row by informationTerms.
  const acc = rows + 512;
  for (let k = 0; k < 4; k++) store<i64>(acc + ((<usize>k) << 3), 0);

  for (let i = 0; i < h; i++) {
    for (let k = 0; k < taps; k++) store<i32>(rows + ((<usize>k) << 2), mirror(i - half + k, h) * w);
    if (vertical8) {
      for (let m = 0; m <= half; m++) {
        store<i32>(rowPairs + ((<usize>m) << 3), load<i32>(rows + ((<usize>m) << 2)));
        store<i32>(rowPairs + ((<usize>m) << 3), load<i32>(rows + ((<usize>(taps - 1 - m)) << 2)), 4);
      }
      verticalDot8(ref, dis, w, rowPairs, vpairs, half + 1, half, tapSum, tMu1, rowBytes16);
    } else
      for (let j = 0; j < w; j += 4) {
        const c = (<usize>j) << 1;
        // Centre tap first: its squares are below 2^32 on their own.
        const fc = i32x4.splat(centre);
        const atC = (<usize>load<i32>(rows + ((<usize>half) << 2))) << 1;
        const xc = v128.load_ext<u16>(ref + atC + c),
          yc = v128.load_ext<u16>(dis + atC + c);
        let mu1 = i32x4.mul(fc, xc),
          mu2 = i32x4.mul(fc, yc);
        let q = i32x4.mul(xc, xc);
        let xxLo = i32x4.mul(fc, v128.and(q, lowMask)),
          xxHi = i32x4.mul(fc, i32x4.shr_u(q, 16));
        q = i32x4.mul(yc, yc);
        let yyLo = i32x4.mul(fc, v128.and(q, lowMask)),
          yyHi = i32x4.mul(fc, i32x4.shr_u(q, 16));
        q = i32x4.mul(xc, yc);
        let xyLo = i32x4.mul(fc, v128.and(q, lowMask)),
          xyHi = i32x4.mul(fc, i32x4.shr_u(q, 16));
        for (let k = 0; k < half; k++) {
          const f = i32x4.splat(load<i32>(filter + ((<usize>k) << 2)));
          const atA = (<usize>load<i32>(rows + ((<usize>k) << 2))) << 1,
            atB = (<usize>load<i32>(rows + ((<usize>(taps - 1 - k)) << 2))) << 1;
          const xa = v128.load_ext<u16>(ref + atA + c),
            xb = v128.load_ext<u16>(ref + atB + c);
          const ya = v128.load_ext<u16>(dis + atA + c),
            yb = v128.load_ext<u16>(dis + atB + c);
          mu1 = i32x4.add(mu1, i32x4.mul(f, i32x4.add(xa, xb)));
          mu2 = i32x4.add(mu2, i32x4.mul(f, i32x4.add(ya, yb)));
          if (squaresFit32) {
            // 8-bit scale 0: Σf·x² < 2^16·255² < 2^32, one u32 sum per square (kept in the low digit).
            xxLo = i32x4.add(xxLo, i32x4.mul(f, i32x4.add(i32x4.mul(xa, xa), i32x4.mul(xb, xb))));
            yyLo = i32x4.add(yyLo, i32x4.mul(f, i32x4.add(i32x4.mul(ya, ya), i32x4.mul(yb, yb))));
            xyLo = i32x4.add(xyLo, i32x4.mul(f, i32x4.add(i32x4.mul(xa, ya), i32x4.mul(xb, yb))));
          } else if (pairSquares) {
            q = i32x4.add(i32x4.mul(xa, xa), i32x4.mul(xb, xb));
            xxLo = i32x4.add(xxLo, i32x4.mul(f, v128.and(q, lowMask)));
            xxHi = i32x4.add(xxHi, i32x4.mul(f, i32x4.shr_u(q, 16)));
            q = i32x4.add(i32x4.mul(ya, ya), i32x4.mul(yb, yb));
            yyLo = i32x4.add(yyLo, i32x4.mul(f, v128.and(q, lowMask)));
            yyHi = i32x4.add(yyHi, i32x4.mul(f, i32x4.shr_u(q, 16)));
            q = i32x4.add(i32x4.mul(xa, ya), i32x4.mul(xb, yb));
            xyLo = i32x4.add(xyLo, i32x4.mul(f, v128.and(q, lowMask)));
            xyHi = i32x4.add(xyHi, i32x4.mul(f, i32x4.shr_u(q, 16)));
          } else {
            let qa = i32x4.mul(xa, xa),
              qb = i32x4.mul(xb, xb);
            xxLo = i32x4.add(xxLo, i32x4.mul(f, i32x4.add(v128.and(qa, lowMask), v128.and(qb, lowMask))));
            xxHi = i32x4.add(xxHi, i32x4.mul(f, i32x4.add(i32x4.shr_u(qa, 16), i32x4.shr_u(qb, 16))));
            qa = i32x4.mul(ya, ya);
            qb = i32x4.mul(yb, yb);
            yyLo = i32x4.add(yyLo, i32x4.mul(f, i32x4.add(v128.and(qa, lowMask), v128.and(qb, lowMask))));
            yyHi = i32x4.add(yyHi, i32x4.mul(f, i32x4.add(i32x4.shr_u(qa, 16), i32x4.shr_u(qb, 16))));
            qa = i32x4.mul(xa, ya);
            qb = i32x4.mul(xb, yb);
            xyLo = i32x4.add(xyLo, i32x4.mul(f, i32x4.add(v128.and(qa, lowMask), v128.and(qb, lowMask))));
            xyHi = i32x4.add(xyHi, i32x4.mul(f, i32x4.add(i32x4.shr_u(qa, 16), i32x4.shr_u(qb, 16))));
          }
        }
        const t = (<usize>(half + j)) << 1;
        const xx = squaresFit32 ? xxLo : combineDigits(xxHi, xxLo, sqShift);
        const yy = squaresFit32 ? yyLo : combineDigits(yyHi, yyLo, sqShift);
        const xy = squaresFit32 ? xyLo : combineDigits(xyHi, xyLo, sqShift);
        if (dotTaps) {
          storeOffsetU16x4(tMu1 + t, roundShiftU32x4(mu1, muShift));
          storeOffsetU16x4(tMu2 + t, roundShiftU32x4(mu2, muShift));
          storeOffsetU16x4(tXXlo + t, v128.and(xx, lowMask));
          storeOffsetU16x4(tXXhi + t, i32x4.shr_u(xx, 16));
          storeOffsetU16x4(tYYlo + t, v128.and(yy, lowMask));
          storeOffsetU16x4(tYYhi + t, i32x4.shr_u(yy, 16));
          storeOffsetU16x4(tXYlo + t, v128.and(xy, lowMask));
          storeOffsetU16x4(tXYhi + t, i32x4.shr_u(xy, 16));
        } else {
          storeU16x4(tMu1 + t, roundShiftU32x4(mu1, muShift));
          storeU16x4(tMu2 + t, roundShiftU32x4(mu2, muShift));
          storeU16x4(tXXlo + t, v128.and(xx, lowMask));
          storeU16x4(tXXhi + t, i32x4.shr_u(xx, 16));
          storeU16x4(tYYlo + t, v128.and(yy, lowMask));
          storeU16x4(tYYhi + t, i32x4.shr_u(yy, 16));
          storeU16x4(tXYlo + t, v128.and(xy, lowMask));
          storeU16x4(tXYhi + t, i32x4.shr_u(xy, 16));
        }
      }
    mirrorEdges16(tMu1, w, half);
    mirrorEdges16(tMu2, w, half);
    mirrorEdges16(tXXlo, w, half);
    mirrorEdges16(tXXhi, w, half);
    mirrorEdges16(tYYlo, w, half);
    mirrorEdges16(tYYhi, w, half);
    mirrorEdges16(tXYlo, w, half);
    mirrorEdges16(tXYhi, w, half);

    if (dotTaps) {
      horizontalDot(tMu1, hMu1, w, pairs, groups, correction);
      horizontalDot(tMu2, hMu2, w, pairs, groups, correction);
      horizontalDot(tXXlo, hXX, w, pairs, groups, correction);
      horizontalDot(tXXhi, hXXhi, w, pairs, groups, correction);
      horizontalDot(tYYlo, hYY, w, pairs, groups, correction);
      horizontalDot(tYYhi, hYYhi, w, pairs, groups, correction);
      horizontalDot(tXYlo, hXY, w, pairs, groups, correction);
      horizontalDot(tXYhi, hXYhi, w, pairs, groups, correction);
      for (let j = 0; j < w; j += 4) {
        const o = (<usize>j) << 2;
        v128.store(hXX + o, combineDigits(v128.load(hXXhi + o), v128.load(hXX + o), 16));
        v128.store(hYY + o, combineDigits(v128.load(hYYhi + o), v128.load(hYY + o), 16));
        v128.store(hXY + o, combineDigits(v128.load(hXYhi + o), v128.load(hXY + o), 16));
      }
    } else
      for (let j = 0; j < w; j += 4) {
        const fc = i32x4.splat(centre);
        const tc = (<usize>(j + half)) << 1;
        let mu1 = i32x4.mul(fc, v128.load_ext<u16>(tMu1 + tc)),
          mu2 = i32x4.mul(fc, v128.load_ext<u16>(tMu2 + tc));
        let xxLo = i32x4.mul(fc, v128.load_ext<u16>(tXXlo + tc)),
          xxHi = i32x4.mul(fc, v128.load_ext<u16>(tXXhi + tc));
        let yyLo = i32x4.mul(fc, v128.load_ext<u16>(tYYlo + tc)),
          yyHi = i32x4.mul(fc, v128.load_ext<u16>(tYYhi + tc));
        let xyLo = i32x4.mul(fc, v128.load_ext<u16>(tXYlo + tc)),
          xyHi = i32x4.mul(fc, v128.load_ext<u16>(tXYhi + tc));
        for (let k = 0; k < half; k++) {
          const f = i32x4.splat(load<i32>(filter + ((<usize>k) << 2)));
          const ta = (<usize>(j + k)) << 1,
            tb = (<usize>(j + taps - 1 - k)) << 1;
          mu1 = i32x4.add(mu1, i32x4.mul(f, i32x4.add(v128.load_ext<u16>(tMu1 + ta), v128.load_ext<u16>(tMu1 + tb))));
          mu2 = i32x4.add(mu2, i32x4.mul(f, i32x4.add(v128.load_ext<u16>(tMu2 + ta), v128.load_ext<u16>(tMu2 + tb))));
          xxLo = i32x4.add(xxLo, i32x4.mul(f, i32x4.add(v128.load_ext<u16>(tXXlo + ta), v128.load_ext<u16>(tXXlo + tb))));
          xxHi = i32x4.add(xxHi, i32x4.mul(f, i32x4.add(v128.load_ext<u16>(tXXhi + ta), v128.load_ext<u16>(tXXhi + tb))));
          yyLo = i32x4.add(yyLo, i32x4.mul(f, i32x4.add(v128.load_ext<u16>(tYYlo + ta), v128.load_ext<u16>(tYYlo + tb))));
          yyHi = i32x4.add(yyHi, i32x4.mul(f, i32x4.add(v128.load_ext<u16>(tYYhi + ta), v128.load_ext<u16>(tYYhi + tb))));
          xyLo = i32x4.add(xyLo, i32x4.mul(f, i32x4.add(v128.load_ext<u16>(tXYlo + ta), v128.load_ext<u16>(tXYlo + tb))));
          xyHi = i32x4.add(xyHi, i32x4.mul(f, i32x4.add(v128.load_ext<u16>(tXYhi + ta), v128.load_ext<u16>(tXYhi + tb))));
        }
        const o = (<usize>j) << 2;
        v128.store(hMu1 + o, mu1);
        v128.store(hMu2 + o, mu2);
        v128.store(hXX + o, combineDigits(xxHi, xxLo, 16));
        v128.store(hYY + o, combineDigits(yyHi, yyLo, 16));
        v128.store(hXY + o, combineDigits(xyHi, xyLo, 16));
      }

    informationTerms(hMu1, hMu2, hXX, hYY, hXY, w, numer1Row, numerTmpRow, log2Table, acc);
  }
  store<f64>(out, <f64>load<i64>(acc));
  store<f64>(out, <f64>load<i64>(acc, 8), 8);
  store<f64>(out, <f64>load<i64>(acc, 16), 16);
  store<f64>(out, <f64>load<i64>(acc, 24), 24);
}
