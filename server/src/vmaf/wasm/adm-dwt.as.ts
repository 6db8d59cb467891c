// @ts-nocheck -- AssemblyScript (i32/i64 types), compiled to WebAssembly by scripts/build.mjs;
// the TypeScript program never imports it.
/**
 * ADM's wavelet step (Daubechies-2, libvmaf integer_adm fixed point): one scale's approximation
 * into the next band set. Scale 0 reads u16 pixels and every sum fits i32 lanes; scales 1 to 3
 * read i32 bands and sum in i64 lanes, as libvmaf's int64 arithmetic.
 */
import { band, BAND_D, BAND_H, BAND_V } from './adm.as';

/** Source index of wavelet tap k for output i (mirrored at both ends as libvmaf does). */
function dwtIndex(i: i32, k: i32, size: i32): i32 {
  let ind = i == 0 ? (k == 0 ? 1 : k == 1 ? 0 : k == 2 ? 1 : 2) : 2 * i - 1 + k;
  if (ind >= size) ind = 2 * size - ind - 1;
  return ind;
}

/**
 * One wavelet step of src (w x h; u16 pixels when `srcIsPixels`, else i32) into the band set `out`
 * ((w+1)/2 x (h+1)/2). Vertical: (Σ c·s - vBias + vRound) >> vShift; horizontal: (Σ c·t + hRound) >> hShift.
 * `scratch` holds two i32 rows (tmpLo, tmpHi) and the column indices.
 */
export function admDwt(
  src: usize,
  srcIsPixels: bool,
  w: i32,
  h: i32,
  out: usize,
  size: i32,
  vShift: i32,
  vRound32: i32,
  vBias32: i32,
  hShift: i32,
  hRound32: i32,
  scratch: usize,
): void {
  const vRound: i64 = vRound32,
    vBias: i64 = vBias32,
    hRound: i64 = hRound32;
  const outW = (w + 1) >> 1,
    outH = (h + 1) >> 1;
  const tmpLo = scratch,
    tmpHi = tmpLo + ((<usize>w) << 2),
    cols = tmpHi + ((<usize>w) << 2);
  for (let j = 0; j < outW; j++) for (let k = 0; k < 4; k++) store<i32>(cols + ((<usize>(j * 4 + k)) << 2), dwtIndex(j, k, w));
  const outA = band(out, size, 0),
    outH_ = band(out, size, BAND_H),
    outV = band(out, size, BAND_V),
    outD = band(out, size, BAND_D);
  for (let i = 0; i < outH; i++) {
    const r0 = dwtIndex(i, 0, h) * w,
      r1 = dwtIndex(i, 1, h) * w,
      r2 = dwtIndex(i, 2, h) * w,
      r3 = dwtIndex(i, 3, h) * w;
    let j = 0;
    if (!srcIsPixels) {
      // Scales 1 to 3: i32 samples, sums in i64 lanes (pmuldq products), truncated to i32 as the scalar stores.
      const bias = i64x2.splat(vRound - vBias),
        round = i64x2.splat(vRound);
      for (; j + 4 <= w; j += 4) {
        const c = (<usize>j) << 2;
        const s0 = v128.load(src + ((<usize>r0) << 2) + c),
          s1 = v128.load(src + ((<usize>r1) << 2) + c);
        const s2 = v128.load(src + ((<usize>r2) << 2) + c),
          s3 = v128.load(src + ((<usize>r3) << 2) + c);
        v128.store(tmpLo + c, lowPass64(s0, s1, s2, s3, bias, vShift));
        v128.store(tmpHi + c, highPass64(s0, s1, s2, s3, round, vShift));
      }
    } else {
      // Scale 0: 16-bit samples, every sum fits i32 (|tmp| <= 27411, Σ|taps| = 54822).
      const bias = i32x4.splat(<i32>(vRound - vBias)),
        round = i32x4.splat(<i32>vRound);
      for (; j + 4 <= w; j += 4) {
        const c = (<usize>j) << 1;
        const s0 = v128.load_ext<u16>(src + ((<usize>r0) << 1) + c),
          s1 = v128.load_ext<u16>(src + ((<usize>r1) << 1) + c);
        const s2 = v128.load_ext<u16>(src + ((<usize>r2) << 1) + c),
          s3 = v128.load_ext<u16>(src + ((<usize>r3) << 1) + c);
        v128.store(tmpLo + ((<usize>j) << 2), i32x4.shr_s(i32x4.add(lowPass(s0, s1, s2, s3), bias), vShift));
        v128.store(tmpHi + ((<usize>j) << 2), i32x4.shr_s(i32x4.add(highPass(s0, s1, s2, s3), round), vShift));
      }
    }
    for (; j < w; j++) {
      let s0: i64, s1: i64, s2: i64, s3: i64;
      if (srcIsPixels) {
        s0 = load<u16>(src + ((<usize>(r0 + j)) << 1));
        s1 = load<u16>(src + ((<usize>(r1 + j)) << 1));
        s2 = load<u16>(src + ((<usize>(r2 + j)) << 1));
        s3 = load<u16>(src + ((<usize>(r3 + j)) << 1));
      } else {
        s0 = load<i32>(src + ((<usize>(r0 + j)) << 2));
        s1 = load<i32>(src + ((<usize>(r1 + j)) << 2));
        s2 = load<i32>(src + ((<usize>(r2 + j)) << 2));
        s3 = load<i32>(src + ((<usize>(r3 + j)) << 2));
      }
      store<i32>(tmpLo + ((<usize>j) << 2), <i32>((15826 * s0 + 27411 * s1 + 7345 * s2 - 4240 * s3 - vBias + vRound) >> vShift));
      store<i32>(tmpHi + ((<usize>j) << 2), <i32>((-4240 * s0 - 7345 * s1 + 27411 * s2 - 15826 * s3 + vRound) >> vShift));
    }
    const row = <usize>(i * outW);
    let jo = 0;
    if (!srcIsPixels) {
      const round = i64x2.splat(hRound);
      jo = 1;
      for (; 2 * jo + 8 <= w - 1; jo += 4) {
        const at = (<usize>(2 * jo - 1)) << 2;
        const p = (row + <usize>jo) << 2;
        let a = v128.load(tmpLo + at),
          b = v128.load(tmpLo + at + 16),
          a2 = v128.load(tmpLo + at + 8),
          b2 = v128.load(tmpLo + at + 24);
        let s0 = i32x4.shuffle(a, b, 0, 2, 4, 6),
          s1 = i32x4.shuffle(a, b, 1, 3, 5, 7);
        let s2 = i32x4.shuffle(a2, b2, 0, 2, 4, 6),
          s3 = i32x4.shuffle(a2, b2, 1, 3, 5, 7);
        v128.store(outA + p, lowPass64(s0, s1, s2, s3, round, hShift));
        v128.store(outV + p, highPass64(s0, s1, s2, s3, round, hShift));
        a = v128.load(tmpHi + at);
        b = v128.load(tmpHi + at + 16);
        a2 = v128.load(tmpHi + at + 8);
        b2 = v128.load(tmpHi + at + 24);
        s0 = i32x4.shuffle(a, b, 0, 2, 4, 6);
        s1 = i32x4.shuffle(a, b, 1, 3, 5, 7);
        s2 = i32x4.shuffle(a2, b2, 0, 2, 4, 6);
        s3 = i32x4.shuffle(a2, b2, 1, 3, 5, 7);
        v128.store(outH_ + p, lowPass64(s0, s1, s2, s3, round, hShift));
        v128.store(outD + p, highPass64(s0, s1, s2, s3, round, hShift));
      }
      dwtRowScalar(tmpLo, tmpHi, cols, 0, 1, row, outA, outH_, outV, outD, hRound, hShift);
    } else {
      // Interior outputs j read tmp[2j-1 .. 2j+2]: de-interleave eight samples into the four taps.
      const round = i32x4.splat(<i32>hRound);
      jo = 1;
      for (; 2 * jo + 8 <= w - 1; jo += 4) {
        const at = (<usize>(2 * jo - 1)) << 2;
        const p = (row + <usize>jo) << 2;
        let a = v128.load(tmpLo + at),
          b = v128.load(tmpLo + at + 16),
          a2 = v128.load(tmpLo + at + 8),
          b2 = v128.load(tmpLo + at + 24);
        let s0 = i32x4.shuffle(a, b, 0, 2, 4, 6),
          s1 = i32x4.shuffle(a, b, 1, 3, 5, 7);
        let s2 = i32x4.shuffle(a2, b2, 0, 2, 4, 6),
          s3 = i32x4.shuffle(a2, b2, 1, 3, 5, 7);
        v128.store(outA + p, i32x4.shr_s(i32x4.add(lowPass(s0, s1, s2, s3), round), hShift));
        v128.store(outV + p, i32x4.shr_s(i32x4.add(highPass(s0, s1, s2, s3), round), hShift));
        a = v128.load(tmpHi + at);
        b = v128.load(tmpHi + at + 16);
        a2 = v128.load(tmpHi + at + 8);
        b2 = v128.load(tmpHi + at + 24);
        s0 = i32x4.shuffle(a, b, 0, 2, 4, 6);
        s1 = i32x4.shuffle(a, b, 1, 3, 5, 7);
        s2 = i32x4.shuffle(a2, b2, 0, 2, 4, 6);
        s3 = i32x4.shuffle(a2, b2, 1, 3, 5, 7);
        v128.store(outH_ + p, i32x4.shr_s(i32x4.add(lowPass(s0, s1, s2, s3), round), hShift));
        v128.store(outD + p, i32x4.shr_s(i32x4.add(highPass(s0, s1, s2, s3), round), hShift));
      }
      dwtRowScalar(tmpLo, tmpHi, cols, 0, 1, row, outA, outH_, outV, outD, hRound, hShift);
    }
    dwtRowScalar(tmpLo, tmpHi, cols, jo, outW, row, outA, outH_, outV, outD, hRound, hShift);
  }
}

function lowPass(s0: v128, s1: v128, s2: v128, s3: v128): v128 {
  return i32x4.add(
    i32x4.add(i32x4.mul(s0, i32x4.splat(15826)), i32x4.mul(s1, i32x4.splat(27411))),
    i32x4.sub(i32x4.mul(s2, i32x4.splat(7345)), i32x4.mul(s3, i32x4.splat(4240))),
  );
}

function highPass(s0: v128, s1: v128, s2: v128, s3: v128): v128 {
  return i32x4.sub(
    i32x4.sub(i32x4.mul(s2, i32x4.splat(27411)), i32x4.mul(s0, i32x4.splat(4240))),
    i32x4.add(i32x4.mul(s1, i32x4.splat(7345)), i32x4.mul(s3, i32x4.splat(15826))),
  );
}

/** <i32>((15826·s0 + 27411·s1 + 7345·s2 - 4240·s3 + add) >> shift) per i32 lane, the sums in i64. */
function lowPass64(s0: v128, s1: v128, s2: v128, s3: v128, add: v128, shift: i32): v128 {
  const c0 = i32x4.splat(15826),
    c1 = i32x4.splat(27411),
    c2 = i32x4.splat(7345),
    c3 = i32x4.splat(4240);
  const low = i64x2.add(
    i64x2.add(i64x2.extmul_low_i32x4_s(s0, c0), i64x2.extmul_low_i32x4_s(s1, c1)),
    i64x2.sub(i64x2.add(i64x2.extmul_low_i32x4_s(s2, c2), add), i64x2.extmul_low_i32x4_s(s3, c3)),
  );
  const high = i64x2.add(
    i64x2.add(i64x2.extmul_high_i32x4_s(s0, c0), i64x2.extmul_high_i32x4_s(s1, c1)),
    i64x2.sub(i64x2.add(i64x2.extmul_high_i32x4_s(s2, c2), add), i64x2.extmul_high_i32x4_s(s3, c3)),
  );
  return i32x4.shuffle(i64x2.shr_s(low, shift), i64x2.shr_s(high, shift), 0, 2, 4, 6);
}

/** <i32>((-4240·s0 - 7345·s1 + 27411·s2 - 15826·s3 + add) >> shift) per i32 lane, the sums in i64. */
function highPass64(s0: v128, s1: v128, s2: v128, s3: v128, add: v128, shift: i32): v128 {
  const c0 = i32x4.splat(4240),
    c1 = i32x4.splat(7345),
    c2 = i32x4.splat(27411),
    c3 = i32x4.splat(15826);
  const low = i64x2.sub(
    i64x2.add(i64x2.extmul_low_i32x4_s(s2, c2), add),
    i64x2.add(i64x2.add(i64x2.extmul_low_i32x4_s(s0, c0), i64x2.extmul_low_i32x4_s(s1, c1)), i64x2.extmul_low_i32x4_s(s3, c3)),
  );
  const high = i64x2.sub(
    i64x2.add(i64x2.extmul_high_i32x4_s(s2, c2), add),
    i64x2.add(i64x2.add(i64x2.extmul_high_i32x4_s(s0, c0), i64x2.extmul_high_i32x4_s(s1, c1)), i64x2.extmul_high_i32x4_s(s3, c3)),
  );
  return i32x4.shuffle(i64x2.shr_s(low, shift), i64x2.shr_s(high, shift), 0, 2, 4, 6);
}

/** The horizontal step for outputs from..to of one row, through the mirrored column indices. */
function dwtRowScalar(
  tmpLo: usize,
  tmpHi: usize,
  cols: usize,
  from: i32,
  to: i32,
  row: usize,
  outA: usize,
  outH_: usize,
  outV: usize,
  outD: usize,
  hRound: i64,
  hShift: i32,
): void {
  for (let j = from; j < to; j++) {
    const c = cols + ((<usize>(j * 4)) << 2);
    const j0 = (<usize>load<i32>(c)) << 2,
      j1 = (<usize>load<i32>(c, 4)) << 2,
      j2 = (<usize>load<i32>(c, 8)) << 2,
      j3 = (<usize>load<i32>(c, 12)) << 2;
    let s0: i64 = load<i32>(tmpLo + j0),
      s1: i64 = load<i32>(tmpLo + j1),
      s2: i64 = load<i32>(tmpLo + j2),
      s3: i64 = load<i32>(tmpLo + j3);
    const p = (row + <usize>j) << 2;
    store<i32>(outA + p, <i32>((15826 * s0 + 27411 * s1 + 7345 * s2 - 4240 * s3 + hRound) >> hShift));
    store<i32>(outV + p, <i32>((-4240 * s0 - 7345 * s1 + 27411 * s2 - 15826 * s3 + hRound) >> hShift));
    s0 = load<i32>(tmpHi + j0);
    s1 = load<i32>(tmpHi + j1);
    s2 = load<i32>(tmpHi + j2);
    s3 = load<i32>(tmpHi + j3);
    store<i32>(outH_ + p, <i32>((15826 * s0 + 27411 * s1 + 7345 * s2 - 4240 * s3 + hRound) >> hShift));
    store<i32>(outD + p, <i32>((-4240 * s0 - 7345 * s1 + 27411 * s2 - 15826 * s3 + hRound) >> hShift));
  }
}
