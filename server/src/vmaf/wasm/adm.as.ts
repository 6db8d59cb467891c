// @ts-nocheck -- AssemblyScript (i32/i64 types), compiled to WebAssembly by scripts/build.mjs;
// the TypeScript program never imports it.
/**
 * ADM kernels of the built-in VMAF engine, in libvmaf integer_adm fixed point (the wavelet step is
 * in adm-dwt.as.ts): decoupling into restored and additive detail, CSF weighting, and the sums of
 * the contrast-masked numerator and the CSF denominator. A band set is four i32 planes (a, h, v, d)
 * of `size` samples each, rows of `w`. Intermediates are exact i64 (libvmaf's int64 arithmetic).
 */

import { angleFlags, maskingScale0, restoredScale0 } from './adm-scale0.as';

export const BAND_H = 1,
  BAND_V = 2,
  BAND_D = 3;
export const GAIN_LIMIT: i64 = 100;
const I4_ONE_BY_15: i64 = 286331153;

export function band(set: usize, size: i32, which: i32): usize {
  return set + ((<usize>size * <usize>which) << 2);
}

/** k = clamp(t / o, 0, 1) in Q15, by the reciprocal table (trunc(2^30 / i), index i + 32768). */
function gainQ15(o: i64, t: i64, scale: i32, divTable: usize): i64 {
  if (o == 0) return 32768;
  let k: i64;
  const abs = o < 0 ? -o : o;
  if (scale == 0 || abs < 32768) {
    k = (<i64>load<i32>(divTable + ((<usize>(o + 32768)) << 2)) * t + 16384) >> 15;
  } else {
    const shift = 17 - <i32>clz<u32>(<u32>abs);
    const msb = (abs + ((<i64>1) << (shift - 1))) >> shift;
    const sign: i64 = o < 0 ? -1 : 1;
    k = (<i64>load<i32>(divTable + ((<usize>(msb + 32768)) << 2)) * t * sign + ((<i64>1) << (14 + shift))) >> (15 + shift);
  }
  return k < 0 ? 0 : k > 32768 ? 32768 : k;
}

function restoredValue(o: i64, t: i64, k: i64, angleFlag: bool): i64 {
  let r = (k * o + 16384) >> 15;
  if (angleFlag && k > 0 && o > 0) r = min(r * GAIN_LIMIT, t);
  else if (angleFlag && k > 0 && o < 0) r = max(r * GAIN_LIMIT, t);
  return r;
}

/** Splits the distorted detail into the part restoring the reference (r) and the additive rest (a), over rows top..bottom, columns left..right. */
export function admDecouple(
  ref: usize,
  dis: usize,
  size: i32,
  w: i32,
  top: i32,
  bottom: i32,
  left: i32,
  right: i32,
  scale: i32,
  restored: usize,
  additive: usize,
  divTable: usize,
  cos1degSq: f64,
): void {
  const refH = band(ref, size, BAND_H),
    refV = band(ref, size, BAND_V),
    refD = band(ref, size, BAND_D);
  const disH = band(dis, size, BAND_H),
    disV = band(dis, size, BAND_V),
    disD = band(dis, size, BAND_D);
  const rH = band(restored, size, BAND_H),
    rV = band(restored, size, BAND_V),
    rD = band(restored, size, BAND_D);
  const aH = band(additive, size, BAND_H),
    aV = band(additive, size, BAND_V),
    aD = band(additive, size, BAND_D);
  for (let i = top; i < bottom; i++) {
    let j = left;
    if (scale == 0) {
      for (; j + 4 <= right; j += 4) {
        const p = (<usize>(i * w + j)) << 2;
        const oh = v128.load(refH + p),
          ov = v128.load(refV + p),
          od = v128.load(refD + p);
        const th = v128.load(disH + p),
          tv = v128.load(disV + p),
          td = v128.load(disD + p);
        const angle = i32x4.shuffle(
          angleFlags(oh, ov, th, tv, cos1degSq),
          angleFlags(
            i32x4.shuffle(oh, oh, 2, 3, 0, 1),
            i32x4.shuffle(ov, ov, 2, 3, 0, 1),
            i32x4.shuffle(th, th, 2, 3, 0, 1),
            i32x4.shuffle(tv, tv, 2, 3, 0, 1),
            cos1degSq,
          ),
          0,
          2,
          4,
          6,
        );
        const rh = restoredScale0(oh, th, angle, divTable),
          rv = restoredScale0(ov, tv, angle, divTable),
          rd = restoredScale0(od, td, angle, divTable);
        v128.store(rH + p, rh);
        v128.store(rV + p, rv);
        v128.store(rD + p, rd);
        v128.store(aH + p, i32x4.sub(th, rh));
        v128.store(aV + p, i32x4.sub(tv, rv));
        v128.store(aD + p, i32x4.sub(td, rd));
      }
    }
    for (; j < right; j++) {
      const p = (<usize>(i * w + j)) << 2;
      const oh: i64 = load<i32>(refH + p),
        ov: i64 = load<i32>(refV + p),
        od: i64 = load<i32>(refD + p);
      const th: i64 = load<i32>(disH + p),
        tv: i64 = load<i32>(disV + p),
        td: i64 = load<i32>(disD + p);
      const dot = <f64>(<f32>(oh * th + ov * tv)) / 4096.0;
      const oMag = <f64>(<f32>(oh * oh + ov * ov)) / 4096.0;
      const tMag = <f64>(<f32>(th * th + tv * tv)) / 4096.0;
      const angleFlag = dot >= 0 && dot * dot >= cos1degSq * oMag * tMag;
      const rh = restoredValue(oh, th, gainQ15(oh, th, scale, divTable), angleFlag);
      const rv = restoredValue(ov, tv, gainQ15(ov, tv, scale, divTable), angleFlag);
      const rd = restoredValue(od, td, gainQ15(od, td, scale, divTable), angleFlag);
      store<i32>(rH + p, <i32>rh);
      store<i32>(rV + p, <i32>rv);
      store<i32>(rD + p, <i32>rd);
      store<i32>(aH + p, <i32>(th - rh));
      store<i32>(aV + p, <i32>(tv - rv));
      store<i32>(aD + p, <i32>(td - rd));
    }
  }
}

/**
 * Contrast-sensitivity weighting of the additive bands into csfA (weighted) and csfF (its
 * masking contribution). Scale 0: 16-bit values, factors in Q15/Q17; scales 1..3: Q32 factors.
 */
export function admCsf(
  additive: usize,
  size: i32,
  w: i32,
  top: i32,
  bottom: i32,
  left: i32,
  right: i32,
  scale: i32,
  csfA: usize,
  csfF: usize,
  factorH: f64,
  factorV: f64,
  factorD: f64,
): void {
  for (let theta = 1; theta <= 3; theta++) {
    const src = band(additive, size, theta),
      dst = band(csfA, size, theta),
      flt = band(csfF, size, theta);
    const factor = <i64>(theta == BAND_H ? factorH : theta == BAND_V ? factorV : factorD);
    for (let i = top; i < bottom; i++) {
      let j = left;
      if (scale == 0) {
        // Four lanes: factor·s in i64 lanes, the i16 result and its masking term in i32 lanes.
        const shift = theta == BAND_D ? 17 : 15;
        const round = i64x2.splat(theta == BAND_D ? 65535 : 16384);
        const factorLanes = i32x4.splat(<i32>factor);
        for (; j + 4 <= right; j += 4) {
          const p = (<usize>(i * w + j)) << 2;
          const s = v128.load(src + p);
          const low = i64x2.shr_s(i64x2.add(i64x2.extmul_low_i32x4_s(s, factorLanes), round), shift);
          const high = i64x2.shr_s(i64x2.add(i64x2.extmul_high_i32x4_s(s, factorLanes), round), shift);
          const value = i32x4.shr_s(i32x4.shl(i32x4.shuffle(low, high, 0, 2, 4, 6), 16), 16);
          v128.store(dst + p, value);
          v128.store(flt + p, i32x4.shr_s(i32x4.add(i32x4.mul(i32x4.abs(value), i32x4.splat(4369)), i32x4.splat(2048)), 12));
        }
      }
      for (; j < right; j++) {
        const p = (<usize>(i * w + j)) << 2;
        const s: i64 = load<i32>(src + p);
        if (scale == 0) {
          const value = <i32>(<i16>(theta == BAND_D ? (factor * s + 65535) >> 17 : (factor * s + 16384) >> 15));
          store<i32>(dst + p, value);
          store<i32>(flt + p, <i32>((4369 * magnitude(value) + 2048) >> 12));
        } else {
          const value = <i32>((factor * s + 134217728) >> 28);
          store<i32>(dst + p, value);
          const magnitude: i64 = value < 0 ? -(<i64>value) : <i64>value;
          store<i32>(flt + p, <i32>((143165577 * magnitude + 2147483648) >> 32));
        }
      }
    }
  }
}

export function roundShiftU64(v: u64, shift: i32): u64 {
  if (shift <= 0) return v << (<u64>-shift);
  return (v + ((<u64>1) << (shift - 1))) >> shift;
}

/**
 * Per-orientation sums of the CSF denominator over the region, into out[0..2] (f64). Scale 0:
 * Σ|x|³ per row, rounded by shiftAccum; scales 1..3: ((x² + 2^shiftSq) >> shiftSq)·x rounded by shiftCub, rows by shiftAccum.
 */
export function admCsfDenominator(
  ref: usize,
  size: i32,
  w: i32,
  top: i32,
  bottom: i32,
  left: i32,
  right: i32,
  scale: i32,
  shiftSq: i32,
  shiftCub: i32,
  shiftAccum: i32,
  out: usize,
): void {
  for (let theta = 1; theta <= 3; theta++) {
    const src = band(ref, size, theta);
    let accum: u64 = 0;
    for (let i = top; i < bottom; i++) {
      let inner: u64 = 0;
      let j = left;
      if (scale == 0) {
        // Four lanes: scale-0 bands are below 2^15 in magnitude, so x² fits u32 and x³ is exact in
        // u64 lanes by an extended multiply (summed with the scalar form's u64 wrap-around).
        let cubes = i64x2.splat(0);
        for (; j + 4 <= right; j += 4) {
          const x = i32x4.abs(v128.load(src + ((<usize>(i * w + j)) << 2)));
          const square = i32x4.mul(x, x);
          cubes = i64x2.add(cubes, i64x2.add(i64x2.extmul_low_i32x4_u(square, x), i64x2.extmul_high_i32x4_u(square, x)));
        }
        inner = <u64>i64x2.extract_lane(cubes, 0) + <u64>i64x2.extract_lane(cubes, 1);
      }
      for (; j < right; j++) {
        const v = load<i32>(src + ((<usize>(i * w + j)) << 2));
        const x: u64 = v < 0 ? <u64>-(<i64>v) : <u64>v;
        if (scale == 0) inner += x * x * x;
        else inner += roundShiftU64(((x * x + ((<u64>1) << shiftSq)) >> shiftSq) * x, shiftCub);
      }
      accum += roundShiftU64(inner, shiftAccum);
    }
    store<f64>(out + ((<usize>(theta - 1)) << 3), <f64>accum);
  }
}

export function mirrorIndex(index: i32, size: i32): i32 {
  return index < 0 ? -index : index >= size ? size - 1 : index;
}

/**
 * Numerator sums: restored detail above the masking threshold (3x3 sum of the three
 * orientations' csfF, own pixel from csfA), cubed and pooled per orientation into out[0..2].
 * `params` holds, per orientation h/v/d, 5 f64: factor, subShift, sqShift, cubShift, unused.
 */
export function admMasking(
  restored: usize,
  csfA: usize,
  csfF: usize,
  size: i32,
  w: i32,
  h: i32,
  rowFrom: i32,
  rowTo: i32,
  colFrom: i32,
  colTo: i32,
  scale: i32,
  shiftInner: i32,
  params: usize,
  fltSum: usize,
  thrRow: usize,
  out: usize,
): void {
  const fh = band(csfF, size, BAND_H),
    fv = band(csfF, size, BAND_V),
    fd = band(csfF, size, BAND_D);
  const ah = band(csfA, size, BAND_H),
    av = band(csfA, size, BAND_V),
    ad = band(csfA, size, BAND_D);
  const sumFrom = max(0, rowFrom - 1),
    sumTo = min(h, rowTo + 1);
  const colSumFrom = max(0, colFrom - 1),
    colSumTo = min(w, colTo + 1);
  for (let i = sumFrom; i < sumTo; i++) {
    let j = colSumFrom;
    for (; j + 4 <= colSumTo; j += 4) {
      const p = (<usize>(i * w + j)) << 2;
      v128.store(fltSum + p, i32x4.add(i32x4.add(v128.load(fh + p), v128.load(fv + p)), v128.load(fd + p)));
    }
    for (; j < colSumTo; j++) {
      const p = (<usize>(i * w + j)) << 2;
      store<i32>(fltSum + p, load<i32>(fh + p) + load<i32>(fv + p) + load<i32>(fd + p));
    }
  }
  if (scale == 0 && colFrom >= 1 && colTo <= w - 1) {
    maskingScale0(restored, ah, av, ad, size, w, h, rowFrom, rowTo, colFrom, colTo, shiftInner, params, fltSum, thrRow, out);
    return;
  }
  let accumH: u64 = 0,
    accumV: u64 = 0,
    accumD: u64 = 0;
  for (let i = rowFrom; i < rowTo; i++) {
    const up = mirrorIndex(i - 1, h) * w,
      mid = i * w,
      down = mirrorIndex(i + 1, h) * w;
    for (let j = colFrom; j < colTo; j++) {
      const jl = mirrorIndex(j - 1, w),
        jr = mirrorIndex(j + 1, w);
      const p = (<usize>(mid + j)) << 2;
      let own: i64;
      if (scale == 0) {
        own =
          <i64>(<i16>((8738 * magnitude(load<i32>(ah + p)) + 2048) >> 12)) +
          <i64>(<i16>((8738 * magnitude(load<i32>(av + p)) + 2048) >> 12)) +
          <i64>(<i16>((8738 * magnitude(load<i32>(ad + p)) + 2048) >> 12));
      } else {
        own =
          ((I4_ONE_BY_15 * magnitude(load<i32>(ah + p)) + 2147483648) >> 32) +
          ((I4_ONE_BY_15 * magnitude(load<i32>(av + p)) + 2147483648) >> 32) +
          ((I4_ONE_BY_15 * magnitude(load<i32>(ad + p)) + 2147483648) >> 32);
      }
      const thr: i64 =
        <i64>load<i32>(fltSum + ((<usize>(up + jl)) << 2)) +
        load<i32>(fltSum + ((<usize>(up + j)) << 2)) +
        load<i32>(fltSum + ((<usize>(up + jr)) << 2)) +
        load<i32>(fltSum + ((<usize>(mid + jl)) << 2)) +
        own +
        load<i32>(fltSum + ((<usize>(mid + jr)) << 2)) +
        load<i32>(fltSum + ((<usize>(down + jl)) << 2)) +
        load<i32>(fltSum + ((<usize>(down + j)) << 2)) +
        load<i32>(fltSum + ((<usize>(down + jr)) << 2));
      store<i64>(thrRow + ((<usize>j) << 3), thr);
    }
    for (let theta = 1; theta <= 3; theta++) {
      const src = band(restored, size, theta);
      const param = params + <usize>(theta - 1) * 40;
      const factor = <i64>load<f64>(param),
        subShift = <i32>load<f64>(param, 8);
      const sqShift = <i32>load<f64>(param, 16),
        cubShift = <i32>load<f64>(param, 24);
      let inner: u64 = 0;
      for (let j = colFrom; j < colTo; j++) {
        const raw: i64 = load<i32>(src + ((<usize>(mid + j)) << 2));
        const xs: i64 = scale == 0 ? raw * factor : <i64>(<i32>((raw * factor + 134217728) >> 28));
        let x = (xs < 0 ? -xs : xs) - (load<i64>(thrRow + ((<usize>j) << 3)) << subShift);
        if (x < 0) x = 0;
        const ux = <u64>x;
        const xSq = (ux * ux + ((<u64>1) << (sqShift - 1))) >> sqShift;
        inner += roundShiftU64(xSq * ux, cubShift);
      }
      const rounded = roundShiftU64(inner, shiftInner);
      if (theta == BAND_H) accumH += rounded;
      else if (theta == BAND_V) accumV += rounded;
      else accumD += rounded;
    }
  }
  store<f64>(out, <f64>accumH);
  store<f64>(out, <f64>accumV, 8);
  store<f64>(out, <f64>accumD, 16);
}

export function magnitude(v: i32): i64 {
  return v < 0 ? -(<i64>v) : <i64>v;
}
