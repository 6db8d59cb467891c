import { KernelArena } from '../wasm/kernels';
import {
  bandCubeRootSum,
  ceilLog2,
  COS_1DEG_SQ,
  csfFactors,
  dwtShifts,
  fillDivLookup,
  filterRegion,
  innerRegion,
  powf,
} from './adm-params';

/**
 * ADM2 (additive detail measure, "detail loss"), as libvmaf's integer_adm computes it: four
 * wavelet scales; per scale the contrast-masked restored detail (numerator) over the
 * CSF-weighted reference detail (denominator); ADM2 = sum of numerators / sum of denominators.
 * The stages run in the WebAssembly kernels (wasm/adm*.as.ts); this class lays out their
 * buffers, picks each scale's shifts, and does the single-precision tail.
 */

const THIRD = Math.fround(1 / 3);
const BANDS = 4;

export interface AdmScores {
  adm2: number;
  /** Per-scale numerator/denominator, like libvmaf's integer_adm_scale0..3. */
  scales: number[];
}

/** Per-orientation (h, v, d) fixed-point parameters of the masking sums, 5 f64 each for the kernel. */
function maskingParams(scale: number, w: number): { params: number[]; finalShift: number[] } {
  const factors = csfFactors(scale);
  if (scale === 0) {
    const c = Math.ceil(Math.log2(w) - 4),
      cd = Math.ceil(Math.log2(w) - 3);
    return {
      params: [factors[0], 10, 29, c, 0, factors[1], 10, 29, c, 0, factors[2], 12, 30, cd, 0],
      finalShift: [52 - c, 52 - c, 57 - cd],
    };
  }
  const c = ceilLog2(w);
  const f = [45, 39, 36][scale - 1]! - c;
  return { params: factors.flatMap((factor) => [factor, 0, 30, c, 0]), finalShift: [f, f, f] };
}

export class AdmComputer {
  private readonly size: number;
  /** Band sets (a, h, v, d planes of i32). */
  private readonly refBands: number;
  private readonly disBands: number;
  private readonly restored: number;
  private readonly additive: number;
  private readonly csfA: number;
  private readonly csfF: number;
  private readonly nextRef: number;
  private readonly nextDis: number;
  private readonly fltSum: number;
  private readonly thrRow: number;
  private readonly scratch: number;
  private readonly params: number;
  private readonly sums: number;
  private readonly divTable: number;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly bitDepth: number,
    private readonly arena = new KernelArena(),
  ) {
    this.size = ((width + 1) >> 1) * ((height + 1) >> 1);
    const bandSet = () => arena.alloc(BANDS * this.size * 4);
    this.refBands = bandSet();
    this.disBands = bandSet();
    this.restored = bandSet();
    this.additive = bandSet();
    this.csfA = bandSet();
    this.csfF = bandSet();
    this.nextRef = arena.alloc(this.size * 4);
    this.nextDis = arena.alloc(this.size * 4);
    this.fltSum = arena.alloc(this.size * 4);
    this.thrRow = arena.alloc(width * 8);
    this.scratch = arena.alloc((2 * width + 4 * ((width + 1) >> 1)) * 4);
    this.params = arena.alloc(15 * 8);
    this.sums = arena.alloc(3 * 8);
    this.divTable = arena.constant('adm-div', 65537 * 4, (at) => fillDivLookup(arena.i32(at, 65537)));
  }

  /** ADM of two luma planes (8-bit samples or 16-bit values). */
  compute(ref: ArrayLike<number>, dis: ArrayLike<number>): AdmScores {
    return this.computePlanes(...this.arena.loadPlanePair(ref, dis));
  }

  /** ADM of two u16 planes already in the arena. */
  computePlanes(refPlane: number, disPlane: number): AdmScores {
    const { kernels } = this.arena;
    let w = this.width,
      h = this.height;
    let curRef = refPlane,
      curDis = disPlane;
    let num = 0,
      den = 0;
    const scales: number[] = [];
    for (let scale = 0; scale < 4; scale++) {
      const { vShift, vRound, vBias, hShift, hRound } = dwtShifts(scale, this.bitDepth);
      const pixels = scale === 0 ? 1 : 0;
      kernels.admDwt(curRef, pixels, w, h, this.refBands, this.size, vShift, vRound, vBias, hShift, hRound, this.scratch);
      kernels.admDwt(curDis, pixels, w, h, this.disBands, this.size, vShift, vRound, vBias, hShift, hRound, this.scratch);
      w = (w + 1) >> 1;
      h = (h + 1) >> 1;
      const filtered = filterRegion(w, h);
      kernels.admDecouple(
        this.refBands,
        this.disBands,
        this.size,
        w,
        filtered.top,
        filtered.bottom,
        filtered.left,
        filtered.right,
        scale,
        this.restored,
        this.additive,
        this.divTable,
        COS_1DEG_SQ,
      );
      const denScale = this.csfDenominator(w, h, scale);
      const [fh, fv, fd] = csfFactors(scale);
      kernels.admCsf(
        this.additive,
        this.size,
        w,
        filtered.top,
        filtered.bottom,
        filtered.left,
        filtered.right,
        scale,
        this.csfA,
        this.csfF,
        fh,
        fv,
        fd,
      );
      const numScale = this.contrastMasked(w, h, scale);
      num += numScale;
      den += denScale;
      scales.push(numScale / denScale);
      // The next scale transforms this scale's approximation band (copied: the bands are rewritten).
      this.arena.i32(this.nextRef, w * h).set(this.arena.i32(this.refBands, w * h));
      this.arena.i32(this.nextDis, w * h).set(this.arena.i32(this.disBands, w * h));
      curRef = this.nextRef;
      curDis = this.nextDis;
    }
    const limit = (1e-10 * (this.width * this.height)) / (1920 * 1080);
    if (num < limit) num = 0;
    if (den < limit) den = 0;
    return { adm2: den === 0 ? 1 : num / den, scales };
  }

  /** Denominator of one scale: cube-root energy of the CSF-weighted reference detail. */
  private csfDenominator(w: number, h: number, scale: number): number {
    const { top, bottom, left, right } = innerRegion(w, h);
    const area = (bottom - top) * (right - left);
    let scaleDiv: number;
    if (scale === 0) {
      const shiftAccum = Math.max(0, ceilLog2(area) - 20);
      this.arena.kernels.admCsfDenominator(this.refBands, this.size, w, top, bottom, left, right, 0, 0, 0, shiftAccum, this.sums);
      scaleDiv = 2 ** (18 - shiftAccum);
    } else {
      const shiftCub = ceilLog2(right - left),
        shiftAccum = ceilLog2(bottom - top);
      this.arena.kernels.admCsfDenominator(
        this.refBands,
        this.size,
        w,
        top,
        bottom,
        left,
        right,
        scale,
        [31, 30, 31][scale - 1]!,
        shiftCub,
        shiftAccum,
        this.sums,
      );
      scaleDiv = 2 ** ([32, 27, 23][scale - 1]! - shiftAccum - shiftCub);
    }
    return bandCubeRootSum(this.arena.f64(this.sums, 3), scaleDiv, scale, area);
  }

  /** Numerator of one scale: restored detail above the contrast-masking threshold, cube-root pooled. */
  private contrastMasked(w: number, h: number, scale: number): number {
    const { top, bottom, left, right } = innerRegion(w, h);
    const shiftInner = ceilLog2(h);
    const { params, finalShift } = maskingParams(scale, w);
    this.arena.f64(this.params, 15).set(params);
    this.arena.kernels.admMasking(
      this.restored,
      this.csfA,
      this.csfF,
      this.size,
      w,
      h,
      Math.max(top, 0),
      Math.min(bottom, h),
      Math.max(left, 0),
      Math.min(right, w),
      scale,
      shiftInner,
      this.params,
      this.fltSum,
      this.thrRow,
      this.sums,
    );
    const accum = this.arena.f64(this.sums, 3);
    const areaTerm = powf(Math.fround(((bottom - top) * (right - left)) / 32), THIRD);
    let sum = 0;
    for (let theta = 0; theta < 3; theta++) {
      const value = Math.fround(accum[theta]! / 2 ** (finalShift[theta]! - shiftInner));
      sum = Math.fround(sum + Math.fround(powf(value, THIRD) + areaTerm));
    }
    return sum;
  }
}
