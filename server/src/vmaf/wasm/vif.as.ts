// @ts-nocheck -- AssemblyScript (i32/u64/v128 types), compiled to WebAssembly by scripts/build.mjs;
// the TypeScript program never imports it.
/**
 * VIF kernels of the built-in VMAF engine: the local statistics of one scale (vertical then
 * horizontal Gaussian filtering of x, y, x², y², xy, then the per-pixel information terms) and
 * the decimation to the next scale, in libvmaf integer_vif fixed point.
 * Planes are u16. Squares are accumulated in u64 lanes (i64x2 extended multiplies), so every
 * sum is exact; the Q16 filters sum to 65536, so the first moments fit u32 lanes.
 */

const SIGMA_NSQ: i32 = 65536 * 2;
const EPS: f64 = 65536.0 * 1.0e-10;
const GAIN_LIMIT: f64 = 100.0;

/** Mirror about the edge sample (…2 1 | 0 1 2 … w-2 w-1 | w-2 …). */
function mirror(index: i32, size: i32): i32 {
  if (index < 0) return -index;
  if (index >= size) return 2 * (size - 1) - index;
  return index;
}

/** (v + 2^(shift-1)) >> shift on u32 lanes without overflowing 32 bits. */
function roundShiftU32x4(v: v128, shift: i32): v128 {
  if (shift == 0) return v;
  const mask = i32x4.splat((1 << shift) - 1);
  const half = i32x4.splat(1 << (shift - 1));
  return i32x4.add(i32x4.shr_u(v, shift), i32x4.shr_u(i32x4.add(v128.and(v, mask), half), shift));
}

/** Low 32 bits of two i64x2 vectors as one u32x4 (lanes lo0 lo1 hi0 hi1). */
function narrow64(lo: v128, hi: v128): v128 {
  return i32x4.shuffle(lo, hi, 0, 2, 4, 6);
}

function roundShiftU64x2(v: v128, shift: i32): v128 {
  if (shift == 0) return v;
  return i64x2.shr_u(i64x2.add(v, i64x2.splat(<i64>1 << (shift - 1))), shift);
}

/** 2048·log2(value) for value >= 2^17, from the table of the top 16 bits. */
function log2Fixed(value: u64, table: usize): i64 {
  const shift = 48 - <i32>clz<u64>(value);
  return <i64>load<i32>(table + (<usize>(value >> shift) << 2)) + 2048 * <i64>shift;
}

/** (a·b + 2^31) >> 32. */
function mulHigh32(a: u64, b: u64): u64 {
  return (a * b + 2147483648) >> 32;
}

/** Mirrors `half` samples at both ends of a row buffer whose samples start at `half`. */
function mirrorEdges(t: usize, w: i32, half: i32): void {
  for (let f = 1; f <= half; f++) {
    store<u32>(t + (<usize>(half - f) << 2), load<u32>(t + (<usize>(half + f) << 2)));
    store<u32>(t + (<usize>(half + w - 1 + f) << 2), load<u32>(t + (<usize>(half + w - 1 - f) << 2)));
  }
}

/**
 * Numerator and denominator terms of one scale. `scratch` holds, as u32 rows of `stride` each:
 * five padded vertical sums (mu1, mu2, xx, yy, xy) and five horizontal results. Writes
 * numLog, denLog, numNonLog, denNonLog as f64 to `out`.
 */
export function vifStatistic(ref: usize, dis: usize, w: i32, h: i32, filter: usize, taps: i32, muShift: i32, sqShift: i32,
  scratch: usize, stride: i32, log2Table: usize, out: usize): void {
  const half = taps >> 1;
  const rowBytes = <usize>stride << 2;
  const tMu1 = scratch, tMu2 = tMu1 + rowBytes, tXX = tMu2 + rowBytes, tYY = tXX + rowBytes, tXY = tYY + rowBytes;
  const hMu1 = tXY + rowBytes, hMu2 = hMu1 + rowBytes, hXX = hMu2 + rowBytes, hYY = hXX + rowBytes, hXY = hYY + rowBytes;
  const rows = hXY + rowBytes;
  let numLog: i64 = 0, denLog: i64 = 0, numNonLog: i64 = 0, denNonLog: i64 = 0;

  for (let i = 0; i < h; i++) {
    for (let k = 0; k < taps; k++) store<i32>(rows + (<usize>k << 2), mirror(i - half + k, h) * w);
    for (let j = 0; j < w; j += 4) {
      let mu1 = i32x4.splat(0), mu2 = i32x4.splat(0);
      let xxLo = i64x2.splat(0), xxHi = i64x2.splat(0), yyLo = i64x2.splat(0), yyHi = i64x2.splat(0), xyLo = i64x2.splat(0), xyHi = i64x2.splat(0);
      for (let k = 0; k < taps; k++) {
        const f = i32x4.splat(load<i32>(filter + (<usize>k << 2)));
        const at = <usize>(load<i32>(rows + (<usize>k << 2)) + j) << 1;
        const x = v128.load_ext<u16>(ref + at), y = v128.load_ext<u16>(dis + at);
        mu1 = i32x4.add(mu1, i32x4.mul(f, x));
        mu2 = i32x4.add(mu2, i32x4.mul(f, y));
        const xx = i32x4.mul(x, x), yy = i32x4.mul(y, y), xy = i32x4.mul(x, y);
        xxLo = i64x2.add(xxLo, i64x2.extmul_low_i32x4_u(xx, f)); xxHi = i64x2.add(xxHi, i64x2.extmul_high_i32x4_u(xx, f));
        yyLo = i64x2.add(yyLo, i64x2.extmul_low_i32x4_u(yy, f)); yyHi = i64x2.add(yyHi, i64x2.extmul_high_i32x4_u(yy, f));
        xyLo = i64x2.add(xyLo, i64x2.extmul_low_i32x4_u(xy, f)); xyHi = i64x2.add(xyHi, i64x2.extmul_high_i32x4_u(xy, f));
      }
      const t = <usize>(half + j) << 2;
      v128.store(tMu1 + t, roundShiftU32x4(mu1, muShift));
      v128.store(tMu2 + t, roundShiftU32x4(mu2, muShift));
      v128.store(tXX + t, narrow64(roundShiftU64x2(xxLo, sqShift), roundShiftU64x2(xxHi, sqShift)));
      v128.store(tYY + t, narrow64(roundShiftU64x2(yyLo, sqShift), roundShiftU64x2(yyHi, sqShift)));
      v128.store(tXY + t, narrow64(roundShiftU64x2(xyLo, sqShift), roundShiftU64x2(xyHi, sqShift)));
    }
    mirrorEdges(tMu1, w, half); mirrorEdges(tMu2, w, half); mirrorEdges(tXX, w, half); mirrorEdges(tYY, w, half); mirrorEdges(tXY, w, half);

    for (let j = 0; j < w; j += 4) {
      let mu1 = i32x4.splat(0), mu2 = i32x4.splat(0);
      let xxLo = i64x2.splat(0), xxHi = i64x2.splat(0), yyLo = i64x2.splat(0), yyHi = i64x2.splat(0), xyLo = i64x2.splat(0), xyHi = i64x2.splat(0);
      for (let k = 0; k < taps; k++) {
        const f = i32x4.splat(load<i32>(filter + (<usize>k << 2)));
        const t = <usize>(j + k) << 2;
        mu1 = i32x4.add(mu1, i32x4.mul(f, v128.load(tMu1 + t)));
        mu2 = i32x4.add(mu2, i32x4.mul(f, v128.load(tMu2 + t)));
        const xx = v128.load(tXX + t), yy = v128.load(tYY + t), xy = v128.load(tXY + t);
        xxLo = i64x2.add(xxLo, i64x2.extmul_low_i32x4_u(xx, f)); xxHi = i64x2.add(xxHi, i64x2.extmul_high_i32x4_u(xx, f));
        yyLo = i64x2.add(yyLo, i64x2.extmul_low_i32x4_u(yy, f)); yyHi = i64x2.add(yyHi, i64x2.extmul_high_i32x4_u(yy, f));
        xyLo = i64x2.add(xyLo, i64x2.extmul_low_i32x4_u(xy, f)); xyHi = i64x2.add(xyHi, i64x2.extmul_high_i32x4_u(xy, f));
      }
      const o = <usize>j << 2;
      v128.store(hMu1 + o, mu1);
      v128.store(hMu2 + o, mu2);
      v128.store(hXX + o, narrow64(roundShiftU64x2(xxLo, 16), roundShiftU64x2(xxHi, 16)));
      v128.store(hYY + o, narrow64(roundShiftU64x2(yyLo, 16), roundShiftU64x2(yyHi, 16)));
      v128.store(hXY + o, narrow64(roundShiftU64x2(xyLo, 16), roundShiftU64x2(xyHi, 16)));
    }

    for (let j = 0; j < w; j++) {
      const o = <usize>j << 2;
      const mu1 = <u64>load<u32>(hMu1 + o), mu2 = <u64>load<u32>(hMu2 + o);
      const sigma1Sq = <i32>(load<u32>(hXX + o) - <u32>mulHigh32(mu1, mu1));
      let sigma2Sq = <i32>(load<u32>(hYY + o) - <u32>mulHigh32(mu2, mu2));
      const sigma12 = <i32>(load<u32>(hXY + o) - <u32>mulHigh32(mu1, mu2));
      if (sigma2Sq < 0) sigma2Sq = 0;
      if (sigma1Sq >= SIGMA_NSQ) {
        denLog += log2Fixed(<u64>(<i64>SIGMA_NSQ + sigma1Sq), log2Table) - 2048 * 17;
        if (sigma12 > 0 && sigma2Sq > 0) {
          let g = <f64>sigma12 / (<f64>sigma1Sq + EPS);
          let svSq = Math.trunc(<f64>sigma2Sq - g * <f64>sigma12);
          if (svSq < 0) svSq = 0;
          if (g > GAIN_LIMIT) g = GAIN_LIMIT;
          const numer1 = <i64>svSq + SIGMA_NSQ;
          const numer1Tmp = <i64>Math.trunc(g * g * <f64>sigma1Sq) + numer1;
          numLog += log2Fixed(<u64>numer1Tmp, log2Table) - log2Fixed(<u64>numer1, log2Table);
        }
      } else {
        numNonLog += sigma2Sq;
        denNonLog += 1;
      }
    }
  }
  store<f64>(out, <f64>numLog);
  store<f64>(out, <f64>denLog, 8);
  store<f64>(out, <f64>numNonLog, 16);
  store<f64>(out, <f64>denNonLog, 24);
}

/**
 * Low-pass with `filter` (vertical rounding shift `verticalShift`, horizontal 16), keeping even
 * rows and columns: src w x h into out (w>>1) x (h>>1), both u16. `scratch` is one padded u32 row.
 */
export function vifDecimate(src: usize, out: usize, w: i32, h: i32, filter: usize, taps: i32, verticalShift: i32, scratch: usize): void {
  const half = taps >> 1;
  const outW = w >> 1, outH = h >> 1;
  const rows = scratch;
  const tmp = scratch + 128;
  for (let oi = 0; oi < outH; oi++) {
    const i = oi * 2;
    for (let k = 0; k < taps; k++) store<i32>(rows + (<usize>k << 2), mirror(i - half + k, h) * w);
    for (let j = 0; j < w; j += 4) {
      let acc = i32x4.splat(0);
      for (let k = 0; k < taps; k++) {
        const f = i32x4.splat(load<i32>(filter + (<usize>k << 2)));
        acc = i32x4.add(acc, i32x4.mul(f, v128.load_ext<u16>(src + (<usize>(load<i32>(rows + (<usize>k << 2)) + j) << 1))));
      }
      v128.store(tmp + (<usize>(half + j) << 2), roundShiftU32x4(acc, verticalShift));
    }
    mirrorEdges(tmp, w, half);
    const outRow = out + (<usize>(oi * outW) << 1);
    for (let oj = 0; oj < outW; oj++) {
      const base = tmp + (<usize>(oj * 2) << 2);
      let acc: u32 = 0;
      for (let k = 0; k < taps; k++) acc += load<u32>(filter + (<usize>k << 2)) * load<u32>(base + (<usize>k << 2));
      store<u16>(outRow + (<usize>oj << 1), <u16>((acc >> 16) + (((acc & 0xffff) + 32768) >> 16)));
    }
  }
}
