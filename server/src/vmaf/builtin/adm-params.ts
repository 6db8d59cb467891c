/**
 * The constants and per-scale parameters of the ADM (detail loss) feature as libvmaf's
 * integer_adm extractor uses them: CSF factors from Watson's quantisation steps, the inset
 * regions, the decoupling reciprocal table, and the rounding shifts of each stage. The stages
 * themselves run in the WebAssembly kernels (wasm/adm*.as.ts).
 */

const BORDER = 0.1;
/** cos²(1°) in single precision: the angle test of the decoupling. */
export const COS_1DEG_SQ = Math.fround(Math.cos(Math.PI / 180) * Math.cos(Math.PI / 180));
/** Scale-0 CSF factors as fixed point, the values libvmaf uses for the default viewing distance. */
export const SCALE0_RFACTOR = [36453, 36453, 49417] as const;
/** Sum of the wavelet's low-pass taps: scale 0 subtracts its bias to centre 16-bit values. */
const DWT_LO_SUM = 46342;

/** trunc(2^30 / i) with sign, indexed by i + 32768 for i in -32768..32768. */
export function fillDivLookup(table: Int32Array): void {
  for (let i = 1; i <= 32768; i++) {
    const recip = Math.trunc(1073741824 / i);
    table[32768 + i] = recip;
    table[32768 - i] = -recip;
  }
}

export function powf(x: number, y: number): number {
  return Math.fround(Math.pow(Math.fround(x), Math.fround(y)));
}

/** Watson's wavelet quantisation step for scale `lambda` and orientation `theta` (luma, 3H viewing). */
function quantStep(lambda: number, theta: number): number {
  const a = Math.fround(0.495),
    k = Math.fround(0.466),
    f0 = Math.fround(0.401);
  const g = [Math.fround(1.501), 1, Math.fround(0.534), 1][theta]!;
  const amplitudes = [
    [0.62171, 0.67234, 0.72709, 0.67234],
    [0.34537, 0.41317, 0.49428, 0.41317],
    [0.18004, 0.22727, 0.28688, 0.22727],
    [0.091401, 0.11792, 0.15214, 0.11792],
  ];
  const r = Math.fround((3.0 * 1080 * Math.PI) / 180.0);
  const temp = Math.fround(Math.log10((Math.pow(2.0, lambda + 1) * f0 * g) / r));
  const exponent = Math.fround(Math.fround(k * temp) * temp);
  return Math.fround((2.0 * a * Math.pow(10.0, exponent)) / Math.fround(amplitudes[lambda]![theta]!));
}

/** 1/Q per band (h, v, d) in single precision. */
export function bandRFactors(scale: number): [number, number, number] {
  const r1 = Math.fround(1 / quantStep(scale, 1));
  const r2 = Math.fround(1 / quantStep(scale, 2));
  return [r1, r1, r2];
}

/** CSF factors per band (h, v, d): Q15/Q17 integers at scale 0, 1/Q in Q32 above. */
export function csfFactors(scale: number): [number, number, number] {
  if (scale === 0) return [...SCALE0_RFACTOR];
  return bandRFactors(scale).map((x) => Math.trunc(x * 4294967296)) as [number, number, number];
}

export interface DwtShifts {
  vShift: number;
  vRound: number;
  vBias: number;
  hShift: number;
  hRound: number;
}

const VP_SHIFT = [0, 16, 16],
  VP_ROUND = [0, 32768, 32768];
const HP_SHIFT = [15, 16, 15],
  HP_ROUND = [16384, 32768, 16384];

/** Rounding of the wavelet step's vertical and horizontal passes at `scale`. */
export function dwtShifts(scale: number, bitDepth: number): DwtShifts {
  if (scale === 0) {
    const vRound = 2 ** (bitDepth - 1);
    return { vShift: bitDepth, vRound, vBias: DWT_LO_SUM * vRound, hShift: 16, hRound: 32768 };
  }
  return {
    vShift: VP_SHIFT[scale - 1]!,
    vRound: VP_ROUND[scale - 1]!,
    vBias: 0,
    hShift: HP_SHIFT[scale - 1]!,
    hRound: HP_ROUND[scale - 1]!,
  };
}

export interface Region {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** The area scored, inset by 10% of each side. */
export function innerRegion(w: number, h: number): Region {
  const left = Math.trunc(w * BORDER - 0.5),
    top = Math.trunc(h * BORDER - 0.5);
  return { left, top, right: w - left, bottom: h - top };
}

/** The scored area plus the one-pixel ring the masking filter reads. */
export function filterRegion(w: number, h: number): Region {
  const left = Math.max(0, Math.trunc(w * BORDER - 0.5 - 1)),
    top = Math.max(0, Math.trunc(h * BORDER - 0.5 - 1));
  return { left, top, right: Math.min(w, w - left + 2), bottom: Math.min(h, h - top + 2) };
}

const THIRD = Math.fround(1 / 3);

/**
 * One scale's ADM term from its three band sums (h, v, d): the cube root of each band's energy,
 * weighted by 1/Q³, plus the area term, summed in single precision as libvmaf does.
 */
export function bandCubeRootSum(accum: ArrayLike<number>, scaleDiv: number, scale: number, area: number): number {
  const rf = bandRFactors(scale);
  const areaTerm = powf(Math.fround(area / 32), THIRD);
  let sum = 0;
  for (let theta = 0; theta < 3; theta++) {
    const energy = (accum[theta]! / scaleDiv) * Math.pow(rf[theta]!, 3);
    sum = Math.fround(sum + Math.fround(powf(energy, THIRD) + areaTerm));
  }
  return sum;
}

export function ceilLog2(x: number): number {
  return Math.ceil(Math.log2(x));
}
