/*
 * TEST ORACLE ONLY: the built-in engine's TypeScript kernels as they were before the WebAssembly
 * port (Float64 arithmetic, every intermediate an exact integer), kept unchanged so that
 * test/unit/vmaf-kernels.test.ts can compare the WebAssembly kernels with an independent
 * implementation on random frames. Not part of the product.
 */
/**
 * Visual information fidelity (VIF) at four scales, in the fixed-point arithmetic of libvmaf's
 * integer_vif feature extractor, so that the features agree with libvmaf's to float precision.
 * Written from the published algorithm (Sheikh & Bovik) and libvmaf's description of its
 * fixed-point form: Gaussian windows as 16-bit integer taps, local statistics in Q16/Q32, and
 * log2 through a 2048-scaled lookup table.
 *
 * Every intermediate is an integer below 2^53, so Float64 arithmetic is exact; where libvmaf
 * squares 32-bit values (64-bit products) the product is split in 16-bit halves.
 */

const FILTERS: readonly Float64Array[] = [
  [489, 935, 1640, 2640, 3896, 5274, 6547, 7455, 7784, 7455, 6547, 5274, 3896, 2640, 1640, 935, 489],
  [1244, 3663, 7925, 12590, 14692, 12590, 7925, 3663, 1244],
  [3571, 16004, 26386, 16004, 3571],
  [10904, 43728, 10904],
].map((taps) => Float64Array.from(taps));
const INV_16 = 1 / 65536;
const INV_32 = 1 / 4294967296;

const SIGMA_NSQ = 65536 * 2;
const EPS = 65536 * 1.0e-10;
const GAIN_LIMIT = 100;
const TWO_32 = 4294967296;
const TWO_16 = 65536;

/** round(log2(i) * 2048) for i in [32767, 65535], computed in single precision as libvmaf does. */
const LOG2_TABLE = (() => {
  const table = new Int32Array(65537);
  for (let i = 32767; i < 65536; i++) table[i] = Math.floor(Math.fround(Math.fround(Math.log2(i)) * 2048) + 0.5);
  return table;
})();

const INV_POW2 = Float64Array.from({ length: 64 }, (_, k) => 2 ** -k);

/** 2048 * log2(value) for value >= 2^17, from the table on the top 16 bits. */
function log2Fixed(value: number): number {
  const shift = value < TWO_32 ? 16 - Math.clz32(value) : 48 - Math.clz32(Math.floor(value * INV_POW2[32]!));
  return LOG2_TABLE[Math.floor(value * INV_POW2[shift]!)]! + 2048 * shift;
}

/** (a * b + 2^31) >> 32 exactly, for a, b < 2^32. */
function mulHigh32(a: number, b: number): number {
  const aHi = Math.floor(a * INV_16),
    aLo = a - aHi * TWO_16;
  const bHi = Math.floor(b * INV_16),
    bLo = b - bHi * TWO_16;
  const middle = (aHi * bLo + aLo * bHi) * TWO_16 + aLo * bLo + 2147483648;
  return aHi * bHi + Math.floor(middle * INV_32);
}

function mirror(index: number, size: number): number {
  if (index < 0) return -index;
  if (index >= size) return 2 * (size - 1) - index;
  return index;
}

export interface VifScores {
  /** num/den per scale, as single-precision values like libvmaf's. */
  scales: [number, number, number, number];
}

/** Scratch buffers sized for one frame size, reused across frames (no per-pixel allocation). */
export class VifComputer {
  private readonly tmpMu1: Float64Array;
  private readonly tmpMu2: Float64Array;
  private readonly tmpRef: Float64Array;
  private readonly tmpDis: Float64Array;
  private readonly tmpRefDis: Float64Array;
  private readonly scaled: [Float64Array, Float64Array][];
  private readonly ref0: Float64Array;
  private readonly dis0: Float64Array;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly bitDepth: number,
  ) {
    const padded = width + 2 * 8 + 2;
    this.tmpMu1 = new Float64Array(padded);
    this.tmpMu2 = new Float64Array(padded);
    this.tmpRef = new Float64Array(padded);
    this.tmpDis = new Float64Array(padded);
    this.tmpRefDis = new Float64Array(padded);
    this.ref0 = new Float64Array(width * height);
    this.dis0 = new Float64Array(width * height);
    this.scaled = [1, 2, 3].map((s) => {
      const size = (width >> s) * (height >> s);
      return [new Float64Array(size), new Float64Array(size)] as [Float64Array, Float64Array];
    });
  }

  compute(ref: ArrayLike<number>, dis: ArrayLike<number>): VifScores {
    const scales: number[] = [];
    let w = this.width,
      h = this.height;
    this.ref0.set(ref);
    this.dis0.set(dis);
    let curRef: Float64Array = this.ref0,
      curDis: Float64Array = this.dis0;
    for (let scale = 0; scale < 4; scale++) {
      if (scale > 0) {
        const [nextRef, nextDis] = this.scaled[scale - 1]!;
        const firstShift = scale === 1 ? this.bitDepth : 16;
        this.decimate(curRef, nextRef, w, h, FILTERS[scale]!, firstShift);
        this.decimate(curDis, nextDis, w, h, FILTERS[scale]!, firstShift);
        curRef = nextRef;
        curDis = nextDis;
        w >>= 1;
        h >>= 1;
      }
      const [num, den] = this.statistic(curRef, curDis, w, h, scale);
      scales.push(Math.fround(num / den));
    }
    return { scales: scales as VifScores['scales'] };
  }

  /** Low-pass with `filter`, then keep even rows and columns (into `out`, (w>>1) x (h>>1)). */
  private decimate(src: Float64Array, out: Float64Array, w: number, h: number, filter: Float64Array, verticalShift: number): void {
    const taps = filter.length,
      half = taps >> 1;
    const vInv = 1 / 2 ** verticalShift,
      vRound = 2 ** verticalShift / 2;
    const tmp = this.tmpMu1;
    const outW = w >> 1,
      outH = h >> 1;
    const rows = new Int32Array(taps);
    for (let oi = 0; oi < outH; oi++) {
      const i = oi * 2;
      for (let k = 0; k < taps; k++) rows[k] = mirror(i - half + k, h) * w;
      for (let j = 0; j < w; j++) {
        let acc = 0;
        for (let k = 0; k < taps; k++) acc += filter[k]! * src[rows[k]! + j]!;
        tmp[half + j] = Math.floor((acc + vRound) * vInv);
      }
      for (let f = 1; f <= half; f++) {
        tmp[half - f] = tmp[half + f]!;
        tmp[half + w - 1 + f] = tmp[half + w - 1 - f]!;
      }
      const outRow = oi * outW;
      for (let oj = 0; oj < outW; oj++) {
        const base = oj * 2;
        let acc = 0;
        for (let k = 0; k < taps; k++) acc += filter[k]! * tmp[base + k]!;
        out[outRow + oj] = Math.floor((acc + 32768) * INV_16);
      }
    }
  }

  /** The VIF numerator and denominator of one scale. */
  private statistic(ref: Float64Array, dis: Float64Array, w: number, h: number, scale: number): [number, number] {
    const filter = FILTERS[scale]!;
    const taps = filter.length,
      half = taps >> 1;
    const muShift = scale === 0 ? this.bitDepth : 16;
    const muInv = 1 / 2 ** muShift,
      muRound = 2 ** muShift / 2;
    const sqShift = scale === 0 ? (this.bitDepth - 8) * 2 : 16;
    const sqInv = 1 / 2 ** sqShift,
      sqRound = sqShift === 0 ? 0 : 2 ** sqShift / 2;
    const { tmpMu1, tmpMu2, tmpRef, tmpDis, tmpRefDis } = this;
    const rows = new Int32Array(taps);
    let numLog = 0,
      denLog = 0,
      numNonLog = 0,
      denNonLog = 0;

    for (let i = 0; i < h; i++) {
      for (let k = 0; k < taps; k++) rows[k] = mirror(i - half + k, h) * w;
      for (let j = 0; j < w; j++) {
        let mu1 = 0,
          mu2 = 0,
          rr = 0,
          dd = 0,
          rd = 0;
        for (let k = 0; k < taps; k++) {
          const f = filter[k]!;
          const x = ref[rows[k]! + j]!,
            y = dis[rows[k]! + j]!;
          const fx = f * x,
            fy = f * y;
          mu1 += fx;
          mu2 += fy;
          rr += fx * x;
          dd += fy * y;
          rd += fx * y;
        }
        const t = half + j;
        tmpMu1[t] = Math.floor((mu1 + muRound) * muInv);
        tmpMu2[t] = Math.floor((mu2 + muRound) * muInv);
        tmpRef[t] = Math.floor((rr + sqRound) * sqInv);
        tmpDis[t] = Math.floor((dd + sqRound) * sqInv);
        tmpRefDis[t] = Math.floor((rd + sqRound) * sqInv);
      }
      for (let f = 1; f <= half; f++) {
        const l = half - f,
          lSrc = half + f,
          r = half + w - 1 + f,
          rSrc = half + w - 1 - f;
        tmpMu1[l] = tmpMu1[lSrc]!;
        tmpMu2[l] = tmpMu2[lSrc]!;
        tmpRef[l] = tmpRef[lSrc]!;
        tmpDis[l] = tmpDis[lSrc]!;
        tmpRefDis[l] = tmpRefDis[lSrc]!;
        tmpMu1[r] = tmpMu1[rSrc]!;
        tmpMu2[r] = tmpMu2[rSrc]!;
        tmpRef[r] = tmpRef[rSrc]!;
        tmpDis[r] = tmpDis[rSrc]!;
        tmpRefDis[r] = tmpRefDis[rSrc]!;
      }
      for (let j = 0; j < w; j++) {
        let mu1 = 0,
          mu2 = 0,
          rr = 0,
          dd = 0,
          rd = 0;
        for (let k = 0; k < taps; k++) {
          const f = filter[k]!,
            t = j + k;
          mu1 += f * tmpMu1[t]!;
          mu2 += f * tmpMu2[t]!;
          rr += f * tmpRef[t]!;
          dd += f * tmpDis[t]!;
          rd += f * tmpRefDis[t]!;
        }
        const xx = Math.floor((rr + 32768) * INV_16);
        const yy = Math.floor((dd + 32768) * INV_16);
        const xy = Math.floor((rd + 32768) * INV_16);
        const sigma1Sq = (xx - mulHigh32(mu1, mu1)) | 0;
        let sigma2Sq = (yy - mulHigh32(mu2, mu2)) | 0;
        const sigma12 = (xy - mulHigh32(mu1, mu2)) | 0;
        if (sigma2Sq < 0) sigma2Sq = 0;
        if (sigma1Sq >= SIGMA_NSQ) {
          denLog += log2Fixed(SIGMA_NSQ + sigma1Sq) - 2048 * 17;
          if (sigma12 > 0 && sigma2Sq > 0) {
            let g = sigma12 / (sigma1Sq + EPS);
            let svSq = Math.trunc(sigma2Sq - g * sigma12);
            if (svSq < 0) svSq = 0;
            if (g > GAIN_LIMIT) g = GAIN_LIMIT;
            const numer1 = svSq + SIGMA_NSQ;
            const numer1Tmp = Math.trunc(g * g * sigma1Sq) + numer1;
            numLog += log2Fixed(numer1Tmp) - log2Fixed(numer1);
          }
        } else {
          numNonLog += sigma2Sq;
          denNonLog += 1;
        }
      }
    }
    const num = Math.fround(numLog / 2048 + (denNonLog - numNonLog / 16384 / 65025));
    const den = Math.fround(denLog / 2048 + denNonLog);
    return [num, den];
  }
}
