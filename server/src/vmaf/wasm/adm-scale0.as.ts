// @ts-nocheck -- AssemblyScript (v128 types), compiled to WebAssembly by scripts/build.mjs;
// the TypeScript program never imports it.
/**
 * SIMD forms of the ADM stages at scale 0 (the largest: half the frame in each dimension), used by
 * adm.as.ts; bit-identical to its scalar i64 forms, which keep the other scales and the edges.
 */
import { BAND_D, BAND_H, BAND_V, GAIN_LIMIT, band, magnitude, mirrorIndex, roundShiftU64 } from './adm.as';

/**
 * The angle test of lanes 0 and 1 as i64 masks: the i32 products and sums are exact in f64, then
 * rounded to f32 as the scalar form's i64 -> f32 conversion does.
 */
export function angleFlags(oh: v128, ov: v128, th: v128, tv: v128, cos1degSq: f64): v128 {
  const ohF = f64x2.convert_low_i32x4_s(oh),
    ovF = f64x2.convert_low_i32x4_s(ov);
  const thF = f64x2.convert_low_i32x4_s(th),
    tvF = f64x2.convert_low_i32x4_s(tv);
  const scale = f64x2.splat(4096.0);
  const dot = f64x2.div(toF32(f64x2.add(f64x2.mul(ohF, thF), f64x2.mul(ovF, tvF))), scale);
  const oMag = f64x2.div(toF32(f64x2.add(f64x2.mul(ohF, ohF), f64x2.mul(ovF, ovF))), scale);
  const tMag = f64x2.div(toF32(f64x2.add(f64x2.mul(thF, thF), f64x2.mul(tvF, tvF))), scale);
  return v128.and(f64x2.ge(dot, f64x2.splat(0)), f64x2.ge(f64x2.mul(dot, dot), f64x2.mul(f64x2.mul(f64x2.splat(cos1degSq), oMag), tMag)));
}

function toF32(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}

/**
 * restoredValue(o, t, gainQ15(o, t, 0)) for four lanes (scale 0: |o| <= 2^15, so k·o and r·100
 * fit i32; only divTable[o]·t needs i64 lanes). `angle` is the lanes' angle flag mask.
 */
export function restoredScale0(o: v128, t: v128, angle: v128, divTable: usize): v128 {
  const index = i32x4.add(o, i32x4.splat(32768));
  let recip = i32x4.splat(load<i32>(divTable + ((<usize>i32x4.extract_lane(index, 0)) << 2)));
  recip = i32x4.replace_lane(recip, 1, load<i32>(divTable + ((<usize>i32x4.extract_lane(index, 1)) << 2)));
  recip = i32x4.replace_lane(recip, 2, load<i32>(divTable + ((<usize>i32x4.extract_lane(index, 2)) << 2)));
  recip = i32x4.replace_lane(recip, 3, load<i32>(divTable + ((<usize>i32x4.extract_lane(index, 3)) << 2)));
  const round = i64x2.splat(16384);
  const kLow = clampQ15(i64x2.shr_s(i64x2.add(i64x2.extmul_low_i32x4_s(recip, t), round), 15));
  const kHigh = clampQ15(i64x2.shr_s(i64x2.add(i64x2.extmul_high_i32x4_s(recip, t), round), 15));
  const zero = i32x4.splat(0);
  const oZero = i32x4.eq(o, zero);
  const k = v128.bitselect(i32x4.splat(32768), i32x4.shuffle(kLow, kHigh, 0, 2, 4, 6), oZero);
  const r = i32x4.shr_s(i32x4.add(i32x4.mul(k, o), i32x4.splat(16384)), 15);
  const gated = v128.and(angle, i32x4.gt_s(k, zero));
  const scaled = i32x4.mul(r, i32x4.splat(<i32>GAIN_LIMIT));
  const up = v128.bitselect(i32x4.min_s(scaled, t), r, v128.and(gated, i32x4.gt_s(o, zero)));
  return v128.bitselect(i32x4.max_s(scaled, t), up, v128.and(gated, i32x4.lt_s(o, zero)));
}

/** clamp(k, 0, 32768) on i64 lanes. */
function clampQ15(k: v128): v128 {
  const positive = v128.andnot(k, i64x2.lt_s(k, i64x2.splat(0)));
  return v128.bitselect(i64x2.splat(32768), positive, i64x2.gt_s(positive, i64x2.splat(32768)));
}

/**
 * admMasking at scale 0 with SIMD, for a region clear of the left and right edges: the threshold
 * row in i32 lanes (every term of it fits: csf values are i16), then per orientation the cube sums
 * in i64x2 lanes with the scalar form's u64 wrap-around (lane sums add up to the same u64).
 */
export function maskingScale0(
  restored: usize,
  ah: usize,
  av: usize,
  ad: usize,
  size: i32,
  w: i32,
  h: i32,
  rowFrom: i32,
  rowTo: i32,
  colFrom: i32,
  colTo: i32,
  shiftInner: i32,
  params: usize,
  fltSum: usize,
  thrRow: usize,
  out: usize,
): void {
  let accumH: u64 = 0,
    accumV: u64 = 0,
    accumD: u64 = 0;
  const ownScale = i32x4.splat(8738),
    ownRound = i32x4.splat(2048);
  for (let i = rowFrom; i < rowTo; i++) {
    const up = (<usize>(mirrorIndex(i - 1, h) * w)) << 2,
      mid = (<usize>(i * w)) << 2,
      down = (<usize>(mirrorIndex(i + 1, h) * w)) << 2;
    let j = colFrom;
    for (; j + 4 <= colTo; j += 4) {
      const c = (<usize>j) << 2;
      const own = i32x4.add(
        i32x4.add(ownTerm(v128.load(ah + mid + c), ownScale, ownRound), ownTerm(v128.load(av + mid + c), ownScale, ownRound)),
        ownTerm(v128.load(ad + mid + c), ownScale, ownRound),
      );
      const u = fltSum + up + c,
        m = fltSum + mid + c,
        d = fltSum + down + c;
      const ring = i32x4.add(
        i32x4.add(i32x4.add(v128.load(u - 4), v128.load(u)), i32x4.add(v128.load(u, 4), v128.load(m - 4))),
        i32x4.add(i32x4.add(v128.load(m, 4), v128.load(d - 4)), i32x4.add(v128.load(d), v128.load(d, 4))),
      );
      v128.store(thrRow + c, i32x4.add(ring, own));
    }
    for (; j < colTo; j++) {
      const c = (<usize>j) << 2;
      const own =
        <i32>(<i16>((8738 * magnitude(load<i32>(ah + mid + c)) + 2048) >> 12)) +
        <i32>(<i16>((8738 * magnitude(load<i32>(av + mid + c)) + 2048) >> 12)) +
        <i32>(<i16>((8738 * magnitude(load<i32>(ad + mid + c)) + 2048) >> 12));
      const u = fltSum + up + c,
        m = fltSum + mid + c,
        d = fltSum + down + c;
      store<i32>(
        thrRow + c,
        load<i32>(u - 4) +
          load<i32>(u) +
          load<i32>(u, 4) +
          load<i32>(m - 4) +
          own +
          load<i32>(m, 4) +
          load<i32>(d - 4) +
          load<i32>(d) +
          load<i32>(d, 4),
      );
    }
    for (let theta = 1; theta <= 3; theta++) {
      const src = band(restored, size, theta) + mid;
      const param = params + <usize>(theta - 1) * 40;
      const factor = <i32>load<f64>(param),
        subShift = <i32>load<f64>(param, 8);
      const sqShift = <i32>load<f64>(param, 16),
        cubShift = <i32>load<f64>(param, 24);
      const factorLanes = i32x4.splat(factor);
      const sqRound = i64x2.splat((<i64>1) << (sqShift - 1)),
        cubRound = i64x2.splat(cubShift > 0 ? (<i64>1) << (cubShift - 1) : 0);
      let innerLanes = i64x2.splat(0);
      let jj = colFrom;
      for (; jj + 2 <= colTo; jj += 2) {
        const c = (<usize>jj) << 2;
        const xs = i64x2.extmul_low_i32x4_s(v128.load64_zero(src + c), factorLanes);
        const thr = i64x2.shl(i64x2.extend_low_i32x4_s(v128.load64_zero(thrRow + c)), subShift);
        let x = i64x2.sub(i64x2.abs(xs), thr);
        x = v128.andnot(x, i64x2.lt_s(x, i64x2.splat(0)));
        const xSq = i64x2.shr_u(i64x2.add(i64x2.mul(x, x), sqRound), sqShift);
        const cube = i64x2.mul(xSq, x);
        innerLanes = i64x2.add(innerLanes, cubShift > 0 ? i64x2.shr_u(i64x2.add(cube, cubRound), cubShift) : i64x2.shl(cube, -cubShift));
      }
      let inner: u64 = <u64>i64x2.extract_lane(innerLanes, 0) + <u64>i64x2.extract_lane(innerLanes, 1);
      for (; jj < colTo; jj++) {
        const c = (<usize>jj) << 2;
        const xs: i64 = <i64>load<i32>(src + c) * factor;
        let x = (xs < 0 ? -xs : xs) - ((<i64>load<i32>(thrRow + c)) << subShift);
        if (x < 0) x = 0;
        const ux = <u64>x;
        inner += roundShiftU64(((ux * ux + ((<u64>1) << (sqShift - 1))) >> sqShift) * ux, cubShift);
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

/** sign-extended low 16 bits of (8738·|a| + 2048) >> 12, as the scalar <i16> cast. */
function ownTerm(a: v128, scale: v128, round: v128): v128 {
  const v = i32x4.shr_s(i32x4.add(i32x4.mul(i32x4.abs(a), scale), round), 12);
  return i32x4.shr_s(i32x4.shl(v, 16), 16);
}
