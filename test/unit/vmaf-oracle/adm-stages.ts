/*
 * TEST ORACLE ONLY: the built-in engine's TypeScript kernels as they were before the WebAssembly
 * port (Float64 arithmetic, every intermediate an exact integer), kept unchanged so that
 * test/unit/vmaf-kernels.test.ts can compare the WebAssembly kernels with an independent
 * implementation on random frames. Not part of the product.
 */
/**
 * The stages of the ADM (detail loss) feature, in the fixed-point arithmetic of libvmaf's
 * integer_adm extractor: a Daubechies-2 wavelet step, the decoupling of the distorted detail
 * into restored and additive parts, the contrast sensitivity weighting, and contrast masking.
 * Scale 0 works on 16-bit values, scales 1..3 on 32-bit values, with the shifts libvmaf uses.
 * Bands are Float64Arrays holding integers; products that can exceed 2^53 only feed sums that
 * libvmaf itself converts to single precision, so the tiny rounding there is far below float.
 */

export const DWT_LO = [15826, 27411, 7345, -4240] as const;
export const DWT_HI = [-4240, -7345, 27411, -15826] as const;
const DWT_LO_SUM = 46342;
const GAIN_LIMIT = 100;
const COS_1DEG_SQ = Math.fround(Math.cos(Math.PI / 180) * Math.cos(Math.PI / 180));
/** Scale-0 CSF factors as fixed point, the values libvmaf uses for the default viewing distance. */
const SCALE0_RFACTOR = [36453, 36453, 49417] as const;

/** trunc(2^30 / i) with sign, indexed by i + 32768 for i in -32768..32768. */
export const DIV_LOOKUP = (() => {
  const table = new Float64Array(65537);
  for (let i = 1; i <= 32768; i++) {
    const recip = Math.trunc(1073741824 / i);
    table[32768 + i] = recip;
    table[32768 - i] = -recip;
  }
  return table;
})();

export interface Bands {
  a: Float64Array;
  h: Float64Array;
  v: Float64Array;
  d: Float64Array;
}

export function allocBands(size: number): Bands {
  return { a: new Float64Array(size), h: new Float64Array(size), v: new Float64Array(size), d: new Float64Array(size) };
}

function dwtIndices(size: number): Int32Array[] {
  const half = (size + 1) >> 1;
  const idx = [0, 1, 2, 3].map(() => new Int32Array(half));
  for (let i = 0; i < half; i++) {
    for (let k = 0; k < 4; k++) {
      let ind = i === 0 ? [1, 0, 1, 2][k]! : 2 * i - 1 + k;
      if (ind >= size) ind = 2 * size - ind - 1;
      idx[k]![i] = ind;
    }
  }
  return idx;
}

const VP_SHIFT = [0, 16, 16],
  VP_ROUND = [0, 32768, 32768];
const HP_SHIFT = [15, 16, 15],
  HP_ROUND = [16384, 32768, 16384];

/** One wavelet step of `src` (w x h) into `out` ((w+1)/2 x (h+1)/2, row stride outW). */
export function dwt(
  src: Float64Array,
  w: number,
  h: number,
  out: Bands,
  scale: number,
  bitDepth: number,
  tmpLo: Float64Array,
  tmpHi: Float64Array,
): void {
  const iy = dwtIndices(h),
    ix = dwtIndices(w);
  const outW = (w + 1) >> 1,
    outH = (h + 1) >> 1;
  const vDiv = scale === 0 ? 2 ** bitDepth : 2 ** VP_SHIFT[scale - 1]!;
  const vRound = scale === 0 ? vDiv / 2 : VP_ROUND[scale - 1]!;
  const vBias = scale === 0 ? DWT_LO_SUM * vRound : 0;
  const hDiv = scale === 0 ? 65536 : 2 ** HP_SHIFT[scale - 1]!;
  const hRound = scale === 0 ? 32768 : HP_ROUND[scale - 1]!;
  const [l0, l1, l2, l3] = DWT_LO,
    [h0, h1, h2, h3] = DWT_HI;
  for (let i = 0; i < outH; i++) {
    const r0 = iy[0]![i]! * w,
      r1 = iy[1]![i]! * w,
      r2 = iy[2]![i]! * w,
      r3 = iy[3]![i]! * w;
    for (let j = 0; j < w; j++) {
      const s0 = src[r0 + j]!,
        s1 = src[r1 + j]!,
        s2 = src[r2 + j]!,
        s3 = src[r3 + j]!;
      tmpLo[j] = Math.floor((l0 * s0 + l1 * s1 + l2 * s2 + l3 * s3 - vBias + vRound) / vDiv);
      tmpHi[j] = Math.floor((h0 * s0 + h1 * s1 + h2 * s2 + h3 * s3 + vRound) / vDiv);
    }
    const row = i * outW;
    for (let j = 0; j < outW; j++) {
      const j0 = ix[0]![j]!,
        j1 = ix[1]![j]!,
        j2 = ix[2]![j]!,
        j3 = ix[3]![j]!;
      let s0 = tmpLo[j0]!,
        s1 = tmpLo[j1]!,
        s2 = tmpLo[j2]!,
        s3 = tmpLo[j3]!;
      out.a[row + j] = Math.floor((l0 * s0 + l1 * s1 + l2 * s2 + l3 * s3 + hRound) / hDiv);
      out.v[row + j] = Math.floor((h0 * s0 + h1 * s1 + h2 * s2 + h3 * s3 + hRound) / hDiv);
      s0 = tmpHi[j0]!;
      s1 = tmpHi[j1]!;
      s2 = tmpHi[j2]!;
      s3 = tmpHi[j3]!;
      out.h[row + j] = Math.floor((l0 * s0 + l1 * s1 + l2 * s2 + l3 * s3 + hRound) / hDiv);
      out.d[row + j] = Math.floor((h0 * s0 + h1 * s1 + h2 * s2 + h3 * s3 + hRound) / hDiv);
    }
  }
}

import { bandRFactors, filterRegion, innerRegion, powf, type Region } from '../../../server/src/vmaf/builtin/adm-params';

// The model's parameters (quantisation steps, regions) are data, shared with the product; the
// oracle re-implements only the kernels.
export { bandRFactors, filterRegion, innerRegion, powf, type Region };

/** k = clamp(t / o, 0, 1) in Q15, by reciprocal lookup as libvmaf computes it. */
function gainQ15(o: number, t: number, scale: number): number {
  if (o === 0) return 32768;
  let k: number;
  const abs = Math.abs(o);
  if (scale === 0 || abs < 32768) {
    k = Math.floor((DIV_LOOKUP[o + 32768]! * t + 16384) / 32768);
  } else {
    const shift = 17 - Math.clz32(abs);
    const msb = Math.floor((abs + 2 ** (shift - 1)) / 2 ** shift);
    const sign = o < 0 ? -1 : 1;
    k = Math.floor((DIV_LOOKUP[msb + 32768]! * t * sign + 2 ** (14 + shift)) / 2 ** (15 + shift));
  }
  return k < 0 ? 0 : k > 32768 ? 32768 : k;
}

function restored(o: number, t: number, k: number, angleFlag: boolean): number {
  let r = Math.floor((k * o + 16384) / 32768);
  if (angleFlag && k > 0 && o > 0) r = Math.min(r * GAIN_LIMIT, t);
  else if (angleFlag && k > 0 && o < 0) r = Math.max(r * GAIN_LIMIT, t);
  return r;
}

/** Splits the distorted detail into the part restoring the reference (r) and the additive rest (a). */
export function decouple(ref: Bands, dis: Bands, w: number, h: number, scale: number, r: Bands, a: Bands): void {
  const { top, bottom, left, right } = filterRegion(w, h);
  for (let i = top; i < bottom; i++) {
    for (let j = left; j < right; j++) {
      const p = i * w + j;
      const oh = ref.h[p]!,
        ov = ref.v[p]!,
        od = ref.d[p]!;
      const th = dis.h[p]!,
        tv = dis.v[p]!,
        td = dis.d[p]!;
      const dot = Math.fround(oh * th + ov * tv) / 4096;
      const oMag = Math.fround(oh * oh + ov * ov) / 4096;
      const tMag = Math.fround(th * th + tv * tv) / 4096;
      const angleFlag = dot >= 0 && dot * dot >= COS_1DEG_SQ * oMag * tMag;
      const rh = restored(oh, th, gainQ15(oh, th, scale), angleFlag);
      const rv = restored(ov, tv, gainQ15(ov, tv, scale), angleFlag);
      const rd = restored(od, td, gainQ15(od, td, scale), angleFlag);
      r.h[p] = rh;
      r.v[p] = rv;
      r.d[p] = rd;
      a.h[p] = th - rh;
      a.v[p] = tv - rv;
      a.d[p] = td - rd;
    }
  }
}

/** Contrast-sensitivity weighting of the additive part: csfA (weighted), csfF (its masking contribution). */
export function csf(a: Bands, w: number, h: number, scale: number, csfA: Bands, csfF: Bands): void {
  const { top, bottom, left, right } = filterRegion(w, h);
  const rf = bandRFactors(scale);
  const src = [a.h, a.v, a.d],
    dst = [csfA.h, csfA.v, csfA.d],
    flt = [csfF.h, csfF.v, csfF.d];
  for (let theta = 0; theta < 3; theta++) {
    const s = src[theta]!,
      ds = dst[theta]!,
      fl = flt[theta]!;
    if (scale === 0) {
      const factor = SCALE0_RFACTOR[theta]!,
        div = theta === 2 ? 131072 : 32768,
        add = theta === 2 ? 65535 : 16384;
      for (let i = top; i < bottom; i++) {
        for (let j = left; j < right; j++) {
          const p = i * w + j;
          const value = (Math.floor((factor * s[p]! + add) / div) << 16) >> 16;
          ds[p] = value;
          fl[p] = Math.floor((4369 * Math.abs(value) + 2048) / 4096);
        }
      }
    } else {
      const factor = Math.trunc(rf[theta]! * 4294967296);
      for (let i = top; i < bottom; i++) {
        for (let j = left; j < right; j++) {
          const p = i * w + j;
          const value = Math.floor((factor * s[p]! + 134217728) / 268435456) | 0;
          ds[p] = value;
          fl[p] = Math.floor((143165577 * Math.abs(value) + 2147483648) / 4294967296);
        }
      }
    }
  }
}
