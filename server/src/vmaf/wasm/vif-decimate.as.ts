// @ts-nocheck -- AssemblyScript (v128 types), compiled to WebAssembly by scripts/build.mjs;
// the TypeScript program never imports it.
/**
 * VIF's decimation to the next scale: low-pass with the next scale's filter, keeping even rows and
 * columns, in libvmaf integer_vif fixed point (vertical rounding shift, then horizontal 16).
 */
import { mirror, mirrorEdges, roundShiftU32x4, storeU16x4 } from './vif.as';
import { storeOffsetU16x4 } from './vif-dot.as';

/**
 * Low-pass with `filter` (vertical rounding shift `verticalShift`, horizontal 16), keeping even
 * rows and columns: src w x h into out (w>>1) x (h>>1), both u16. `scratch` holds the tap row
 * offsets and one padded u32 row. Symmetric taps are paired (each f·(a+b) is part of a sum < 2^32).
 */
export function vifDecimate(src: usize, out: usize, w: i32, h: i32, filter: usize, taps: i32, verticalShift: i32, scratch: usize): void {
  let dotTaps = true;
  for (let k = 0; k < taps; k++) if (load<i32>(filter + ((<usize>k) << 2)) >= 32768) dotTaps = false;
  if (dotTaps) {
    decimateDot(src, out, w, h, filter, taps, verticalShift, scratch);
    return;
  }
  const half = taps >> 1;
  const outW = w >> 1,
    outH = h >> 1;
  const rows = scratch;
  const tmp = scratch + 128;
  const centre = load<i32>(filter + ((<usize>half) << 2));
  const fc = i32x4.splat(centre);
  for (let oi = 0; oi < outH; oi++) {
    const i = oi * 2;
    for (let k = 0; k < taps; k++) store<i32>(rows + ((<usize>k) << 2), mirror(i - half + k, h) * w);
    for (let j = 0; j < w; j += 4) {
      const c = (<usize>j) << 1;
      let acc = i32x4.mul(fc, v128.load_ext<u16>(src + ((<usize>load<i32>(rows + ((<usize>half) << 2))) << 1) + c));
      for (let k = 0; k < half; k++) {
        const f = i32x4.splat(load<i32>(filter + ((<usize>k) << 2)));
        const a = v128.load_ext<u16>(src + ((<usize>load<i32>(rows + ((<usize>k) << 2))) << 1) + c);
        const b = v128.load_ext<u16>(src + ((<usize>load<i32>(rows + ((<usize>(taps - 1 - k)) << 2))) << 1) + c);
        acc = i32x4.add(acc, i32x4.mul(f, i32x4.add(a, b)));
      }
      v128.store(tmp + ((<usize>(half + j)) << 2), roundShiftU32x4(acc, verticalShift));
    }
    mirrorEdges(tmp, w, half);
    const outRow = out + ((<usize>(oi * outW)) << 1);
    let oj = 0;
    // Four outputs at a time: the even-indexed samples of tmp[2·oj + k ..] for each tap k.
    for (; oj + 4 <= outW; oj += 4) {
      const base = tmp + ((<usize>(oj * 2)) << 2);
      let acc = i32x4.mul(fc, evenLanes(base + ((<usize>half) << 2)));
      for (let k = 0; k < half; k++) {
        const f = i32x4.splat(load<i32>(filter + ((<usize>k) << 2)));
        acc = i32x4.add(
          acc,
          i32x4.mul(f, i32x4.add(evenLanes(base + ((<usize>k) << 2)), evenLanes(base + ((<usize>(taps - 1 - k)) << 2)))),
        );
      }
      storeU16x4(outRow + ((<usize>oj) << 1), roundShiftU32x4(acc, 16));
    }
    for (; oj < outW; oj++) {
      const base = tmp + ((<usize>(oj * 2)) << 2);
      let acc: u32 = 0;
      for (let k = 0; k < taps; k++) acc += load<u32>(filter + ((<usize>k) << 2)) * load<u32>(base + ((<usize>k) << 2));
      store<u16>(outRow + ((<usize>oj) << 1), <u16>((acc >> 16) + (((acc & 0xffff) + 32768) >> 16)));
    }
  }
}

/** Samples 0, 2, 4, 6 of the u32 row at `at`. */
function evenLanes(at: usize): v128 {
  return i32x4.shuffle(v128.load(at), v128.load(at, 16), 0, 2, 4, 6);
}

/**
 * vifDecimate for taps below 2^15 (scales 1 and 2), bit-identical to it. Vertical: eight columns
 * at a time in u32 lanes through i32x4.extmul_*_i16x8_u; where the samples are below 2^15 (the
 * first decimation: verticalShift is the bit depth) the rows of a symmetric tap pair are added as
 * u16 first. The row is stored as u16 - 2^15 (every value is below 2^16), so the horizontal pass
 * runs through i32x4.dot_i16x8_s with adjacent taps paired (f[2m], f[2m+1]): a load at
 * t[2·oj + 2m] holds that pair's samples for outputs oj..oj+3, one per lane, so no shuffles;
 * -2^15·Σf is taken back as in horizontalDot.
 */
function decimateDot(src: usize, out: usize, w: i32, h: i32, filter: usize, taps: i32, verticalShift: i32, scratch: usize): void {
  const half = taps >> 1,
    groups = half + 1;
  const outW = w >> 1,
    outH = h >> 1;
  const rows = scratch,
    pairs = scratch + 128,
    tmp = pairs + 16 * 16;
  let tapSum: i32 = 0;
  for (let k = 0; k < taps; k++) tapSum += load<i32>(filter + ((<usize>k) << 2));
  for (let m = 0; m < groups; m++) {
    const second = 2 * m + 1 < taps ? load<i32>(filter + ((<usize>(2 * m + 1)) << 2)) : 0;
    v128.store(pairs + ((<usize>m) << 4), i32x4.splat(load<i32>(filter + ((<usize>(2 * m)) << 2)) | (second << 16)));
  }
  const correction = i32x4.splat(tapSum << 15);
  const addPairs = verticalShift < 16;
  const fc = i16x8.splat(<i16>load<i32>(filter + ((<usize>half) << 2)));
  for (let oi = 0; oi < outH; oi++) {
    const i = oi * 2;
    for (let k = 0; k < taps; k++) store<i32>(rows + ((<usize>k) << 2), mirror(i - half + k, h) * w);
    const centreRow = src + ((<usize>load<i32>(rows + ((<usize>half) << 2))) << 1);
    for (let j = 0; j < w; j += 8) {
      const c = (<usize>j) << 1;
      const centre = v128.load(centreRow + c);
      let lo = i32x4.extmul_low_i16x8_u(centre, fc),
        hi = i32x4.extmul_high_i16x8_u(centre, fc);
      for (let k = 0; k < half; k++) {
        const f = i16x8.splat(<i16>load<i32>(filter + ((<usize>k) << 2)));
        const a = v128.load(src + ((<usize>load<i32>(rows + ((<usize>k) << 2))) << 1) + c),
          b = v128.load(src + ((<usize>load<i32>(rows + ((<usize>(taps - 1 - k)) << 2))) << 1) + c);
        if (addPairs) {
          const sum = i16x8.add(a, b);
          lo = i32x4.add(lo, i32x4.extmul_low_i16x8_u(sum, f));
          hi = i32x4.add(hi, i32x4.extmul_high_i16x8_u(sum, f));
        } else {
          lo = i32x4.add(lo, i32x4.add(i32x4.extmul_low_i16x8_u(a, f), i32x4.extmul_low_i16x8_u(b, f)));
          hi = i32x4.add(hi, i32x4.add(i32x4.extmul_high_i16x8_u(a, f), i32x4.extmul_high_i16x8_u(b, f)));
        }
      }
      const t = tmp + ((<usize>(half + j)) << 1);
      storeOffsetU16x4(t, roundShiftU32x4(lo, verticalShift));
      storeOffsetU16x4(t + 8, roundShiftU32x4(hi, verticalShift));
    }
    mirrorEdgesOffset16(tmp, w, half);
    const outRow = out + ((<usize>(oi * outW)) << 1);
    let oj = 0;
    for (; oj + 4 <= outW; oj += 4) {
      const base = tmp + ((<usize>(oj * 2)) << 1);
      let acc = correction;
      for (let m = 0; m < groups; m++)
        acc = i32x4.add(acc, i32x4.dot_i16x8_s(v128.load(base + ((<usize>m) << 2)), v128.load(pairs + ((<usize>m) << 4))));
      storeU16x4(outRow + ((<usize>oj) << 1), roundShiftU32x4(acc, 16));
    }
    for (; oj < outW; oj++) {
      const base = tmp + ((<usize>(oj * 2)) << 1);
      let acc: u32 = 0;
      for (let k = 0; k < taps; k++) acc += load<u32>(filter + ((<usize>k) << 2)) * <u32>(<i32>load<i16>(base + ((<usize>k) << 1)) + 32768);
      store<u16>(outRow + ((<usize>oj) << 1), <u16>((acc >> 16) + (((acc & 0xffff) + 32768) >> 16)));
    }
  }
}

/** mirrorEdges for a row of 16-bit values. */
function mirrorEdgesOffset16(t: usize, w: i32, half: i32): void {
  for (let f = 1; f <= half; f++) {
    store<u16>(t + ((<usize>(half - f)) << 1), load<u16>(t + ((<usize>(half + f)) << 1)));
    store<u16>(t + ((<usize>(half + w - 1 + f)) << 1), load<u16>(t + ((<usize>(half + w - 1 - f)) << 1)));
  }
}
