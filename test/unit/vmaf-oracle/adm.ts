/*
 * TEST ORACLE ONLY: the built-in engine's TypeScript kernels as they were before the WebAssembly
 * port (Float64 arithmetic, every intermediate an exact integer), kept unchanged so that
 * test/unit/vmaf-kernels.test.ts can compare the WebAssembly kernels with an independent
 * implementation on random frames. Not part of the product.
 */
import { bandCubeRootSum } from '../../../server/src/vmaf/builtin/adm-params';
import { allocBands, bandRFactors, csf, decouple, dwt, innerRegion, powf, type Bands } from './adm-stages';

/**
 * ADM2 (additive detail measure, "detail loss"), as libvmaf's integer_adm computes it: four
 * wavelet scales; per scale the contrast-masked restored detail (numerator) over the
 * CSF-weighted reference detail (denominator); ADM2 = sum of numerators / sum of denominators.
 */

const THIRD = Math.fround(1 / 3);
const SCALE0_RFACTOR = [36453, 36453, 49417] as const;
const I4_ONE_BY_15 = 286331153;

function ceilLog2(x: number): number {
  return Math.ceil(Math.log2(x));
}

/** Denominator of one scale: cube-root energy of the CSF-weighted reference detail. */
function csfDenominator(ref: Bands, w: number, h: number, scale: number): number {
  const { top, bottom, left, right } = innerRegion(w, h);
  const area = (bottom - top) * (right - left);
  const bands = [ref.h, ref.v, ref.d];
  const accum = [0, 0, 0];
  let scaleDiv: number;
  if (scale === 0) {
    const shiftAccum = Math.max(0, ceilLog2(area) - 20);
    const div = 2 ** shiftAccum,
      add = shiftAccum > 0 ? div / 2 : 0;
    for (let theta = 0; theta < 3; theta++) {
      const band = bands[theta]!;
      for (let i = top; i < bottom; i++) {
        let inner = 0;
        for (let j = left; j < right; j++) {
          const x = Math.abs(band[i * w + j]!);
          inner += x * x * x;
        }
        accum[theta]! += Math.floor((inner + add) / div);
      }
    }
    scaleDiv = 2 ** (18 - shiftAccum);
  } else {
    const shiftSq = [31, 30, 31][scale - 1]!;
    const sqDiv = 2 ** shiftSq;
    const shiftCub = ceilLog2(right - left),
      cubDiv = 2 ** shiftCub;
    const shiftAccum = ceilLog2(bottom - top),
      accDiv = 2 ** shiftAccum;
    for (let theta = 0; theta < 3; theta++) {
      const band = bands[theta]!;
      for (let i = top; i < bottom; i++) {
        let inner = 0;
        for (let j = left; j < right; j++) {
          const x = Math.abs(band[i * w + j]!);
          inner += Math.floor((Math.floor((x * x + sqDiv) / sqDiv) * x + cubDiv / 2) / cubDiv);
        }
        accum[theta]! += Math.floor((inner + accDiv / 2) / accDiv);
      }
    }
    scaleDiv = 2 ** ([32, 27, 23][scale - 1]! - shiftAccum - shiftCub);
  }
  return bandCubeRootSum(accum, scaleDiv, scale, area);
}

function mirrorIndex(index: number, size: number): number {
  return index < 0 ? -index : index >= size ? size - 1 : index;
}

/** Numerator of one scale: restored detail above the contrast-masking threshold, cube-root pooled. */
function contrastMasked(
  r: Bands,
  csfA: Bands,
  csfF: Bands,
  w: number,
  h: number,
  scale: number,
  fltSum: Float64Array,
  thrRow: Float64Array,
): number {
  const { top, bottom, left, right } = innerRegion(w, h);
  const rowFrom = Math.max(top, 0),
    rowTo = Math.min(bottom, h);
  const colFrom = Math.max(left, 0),
    colTo = Math.min(right, w);
  const shiftInner = ceilLog2(h),
    innerDiv = 2 ** shiftInner;
  let factors: number[], subShift: number[], sqDiv: number[], cubShift: number[], finalShift: number[];
  if (scale === 0) {
    factors = [...SCALE0_RFACTOR];
    subShift = [10, 10, 12];
    sqDiv = [2 ** 29, 2 ** 29, 2 ** 30];
    cubShift = [Math.ceil(Math.log2(w) - 4), Math.ceil(Math.log2(w) - 4), Math.ceil(Math.log2(w) - 3)];
    finalShift = [52 - cubShift[0]! - shiftInner, 52 - cubShift[1]! - shiftInner, 57 - cubShift[2]! - shiftInner];
  } else {
    const rf = bandRFactors(scale);
    factors = rf.map((x) => Math.trunc(x * 4294967296));
    subShift = [0, 0, 0];
    sqDiv = [2 ** 30, 2 ** 30, 2 ** 30];
    const c = ceilLog2(w);
    cubShift = [c, c, c];
    const f = [45, 39, 36][scale - 1]! - c - shiftInner;
    finalShift = [f, f, f];
  }
  // The masking threshold sums the three orientations' masks over a 3x3 window (own pixel weighted
  // 1/15 instead of 1/30), so sum the orientations first.
  const fh = csfF.h,
    fv = csfF.v,
    fd = csfF.d,
    ah = csfA.h,
    av = csfA.v,
    ad = csfA.d;
  const sumFrom = Math.max(0, rowFrom - 1),
    sumTo = Math.min(h, rowTo + 1);
  const colSumFrom = Math.max(0, colFrom - 1),
    colSumTo = Math.min(w, colTo + 1);
  for (let i = sumFrom; i < sumTo; i++) {
    for (let j = colSumFrom; j < colSumTo; j++) {
      const p = i * w + j;
      fltSum[p] = fh[p]! + fv[p]! + fd[p]!;
    }
  }
  const accum = [0, 0, 0];
  const bands = [r.h, r.v, r.d];
  for (let i = rowFrom; i < rowTo; i++) {
    const up = mirrorIndex(i - 1, h) * w,
      mid = i * w,
      down = mirrorIndex(i + 1, h) * w;
    for (let j = colFrom; j < colTo; j++) {
      const jl = mirrorIndex(j - 1, w),
        jr = mirrorIndex(j + 1, w);
      const p = mid + j;
      let own: number;
      if (scale === 0) {
        own =
          ((Math.floor((8738 * Math.abs(ah[p]!) + 2048) / 4096) << 16) >> 16) +
          ((Math.floor((8738 * Math.abs(av[p]!) + 2048) / 4096) << 16) >> 16) +
          ((Math.floor((8738 * Math.abs(ad[p]!) + 2048) / 4096) << 16) >> 16);
      } else {
        own =
          Math.floor((I4_ONE_BY_15 * Math.abs(ah[p]!) + 2147483648) / 4294967296) +
          Math.floor((I4_ONE_BY_15 * Math.abs(av[p]!) + 2147483648) / 4294967296) +
          Math.floor((I4_ONE_BY_15 * Math.abs(ad[p]!) + 2147483648) / 4294967296);
      }
      thrRow[j] =
        fltSum[up + jl]! +
        fltSum[up + j]! +
        fltSum[up + jr]! +
        fltSum[mid + jl]! +
        own +
        fltSum[mid + jr]! +
        fltSum[down + jl]! +
        fltSum[down + j]! +
        fltSum[down + jr]!;
    }
    for (let theta = 0; theta < 3; theta++) {
      const band = bands[theta]!,
        factor = factors[theta]!,
        subScale = 2 ** subShift[theta]!;
      const sq = sqDiv[theta]!,
        sqHalf = sq / 2,
        sqInv = 1 / sq;
      const cub = 2 ** cubShift[theta]!,
        cubHalf = cub / 2,
        cubInv = 1 / cub;
      let inner = 0;
      for (let j = colFrom; j < colTo; j++) {
        const raw = band[mid + j]!;
        const xs = scale === 0 ? raw * factor : Math.floor((raw * factor + 134217728) / 268435456) | 0;
        let x = Math.abs(xs) - thrRow[j]! * subScale;
        if (x < 0) x = 0;
        const xSq = Math.floor((x * x + sqHalf) * sqInv);
        inner += Math.floor((xSq * x + cubHalf) * cubInv);
      }
      accum[theta]! += Math.floor((inner + innerDiv / 2) / innerDiv);
    }
  }
  const areaTerm = powf(Math.fround(((bottom - top) * (right - left)) / 32), THIRD);
  let sum = 0;
  for (let theta = 0; theta < 3; theta++) {
    const value = Math.fround(accum[theta]! / 2 ** finalShift[theta]!);
    sum = Math.fround(sum + Math.fround(powf(value, THIRD) + areaTerm));
  }
  return sum;
}

export interface AdmScores {
  adm2: number;
  /** Per-scale numerator/denominator, like libvmaf's integer_adm_scale0..3. */
  scales: number[];
}

export class AdmComputer {
  private readonly refBands: Bands;
  private readonly disBands: Bands;
  private readonly nextRef: Float64Array;
  private readonly nextDis: Float64Array;
  private readonly restoredBands: Bands;
  private readonly additive: Bands;
  private readonly csfA: Bands;
  private readonly csfF: Bands;
  private readonly tmpLo: Float64Array;
  private readonly tmpHi: Float64Array;
  private readonly ref0: Float64Array;
  private readonly dis0: Float64Array;
  private readonly fltSum: Float64Array;
  private readonly thrRow: Float64Array;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly bitDepth: number,
  ) {
    const size = ((width + 1) >> 1) * ((height + 1) >> 1);
    this.refBands = allocBands(size);
    this.disBands = allocBands(size);
    this.nextRef = new Float64Array(size);
    this.nextDis = new Float64Array(size);
    this.restoredBands = allocBands(size);
    this.additive = allocBands(size);
    this.csfA = allocBands(size);
    this.csfF = allocBands(size);
    this.tmpLo = new Float64Array(width);
    this.tmpHi = new Float64Array(width);
    this.ref0 = new Float64Array(width * height);
    this.dis0 = new Float64Array(width * height);
    this.fltSum = new Float64Array(size);
    this.thrRow = new Float64Array(width);
  }

  compute(ref: ArrayLike<number>, dis: ArrayLike<number>): AdmScores {
    let w = this.width,
      h = this.height;
    this.ref0.set(ref);
    this.dis0.set(dis);
    let curRef: Float64Array = this.ref0,
      curDis: Float64Array = this.dis0;
    let num = 0,
      den = 0;
    const scales: number[] = [];
    for (let scale = 0; scale < 4; scale++) {
      dwt(curRef, w, h, this.refBands, scale, this.bitDepth, this.tmpLo, this.tmpHi);
      dwt(curDis, w, h, this.disBands, scale, this.bitDepth, this.tmpLo, this.tmpHi);
      w = (w + 1) >> 1;
      h = (h + 1) >> 1;
      decouple(this.refBands, this.disBands, w, h, scale, this.restoredBands, this.additive);
      const denScale = csfDenominator(this.refBands, w, h, scale);
      csf(this.additive, w, h, scale, this.csfA, this.csfF);
      const numScale = contrastMasked(this.restoredBands, this.csfA, this.csfF, w, h, scale, this.fltSum, this.thrRow);
      num += numScale;
      den += denScale;
      scales.push(numScale / denScale);
      // The next scale transforms this scale's approximation band.
      this.nextRef.set(this.refBands.a.subarray(0, w * h));
      this.nextDis.set(this.disBands.a.subarray(0, w * h));
      curRef = this.nextRef;
      curDis = this.nextDis;
    }
    const limit = (1e-10 * (this.width * this.height)) / (1920 * 1080);
    if (num < limit) num = 0;
    if (den < limit) den = 0;
    return { adm2: den === 0 ? 1 : num / den, scales };
  }
}
