import { blurPlane, createRecursiveGaussian, type RecursiveGaussian } from './blur';
import { interleavedToLinear, linearTable, linearToPositiveXyb } from './colour';
import { downscale2x2 } from './downscale';
import { edgeMapNorms } from './edge-map';
import { ssimMapNorms } from './ssim-map';

/**
 * SSIMULACRA 2.1 (Cloudinary, github.com/cloudinary/ssimulacra2): at 6 scales (1:1 to 1:32, each
 * downscaled in linear RGB), for each plane of positive XYB, an SSIM error map and two
 * edge-difference maps, each reduced to its 1-norm and 4-norm: 108 numbers, weighted, summed and
 * mapped to a score (100: identical; 90: visually lossless; 70: high quality; 50: medium; below
 * 30: low; it goes negative).
 */

export const SSIMULACRA2_SCALES = 6;

/** The published 2.1 weights, in the order [plane X,Y,B][scale][norm 1,4][ssim, artifact, detail lost]. */
// prettier-ignore
export const SSIMULACRA2_WEIGHTS: readonly number[] = [
  0.0, 0.0007376606707406586, 0.0, 0.0, 0.0007793481682867309, 0.0, 0.0, 0.0004371155730107379, 0.0,
  1.1041726426657346, 0.00066284834129271, 0.00015231632783718752, 0.0, 0.0016406437456599754, 0.0,
  1.8422455520539298, 11.441172603757666, 0.0, 0.0007989109436015163, 0.000176816438078653, 0.0,
  1.8787594979546387, 10.94906990605142, 0.0, 0.0007289346991508072, 0.9677937080626833, 0.0,
  0.00014003424285435884, 0.9981766977854967, 0.00031949755934435053, 0.0004550992113792063, 0.0, 0.0,
  0.0013648766163243398, 0.0, 0.0, 0.0, 0.0, 0.0, 7.466890328078848, 0.0, 17.445833984131262,
  0.0006235601634041466, 0.0, 0.0, 6.683678146179332, 0.00037724407979611296, 1.027889937768264,
  225.20515300849274, 0.0, 0.0, 19.213238186143016, 0.0011401524586618361, 0.001237755635509985,
  176.39317598450694, 0.0, 0.0, 24.43300999870476, 0.28520802612117757, 0.0004485436923833408, 0.0, 0.0,
  0.0, 34.77906344483772, 44.835625328877896, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
  0.0008680556573291698, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0005313191874358747, 0.0, 0.00016533814161379112,
  0.0, 0.0, 0.0, 0.0, 0.0, 0.0004179171803251336, 0.0017290828234722833, 0.0, 0.0020827005846636437,
  0.0, 0.0, 8.826982764996862, 23.19243343998926, 0.0, 95.1080498811086, 0.9863978034400682,
  0.9834382792465353, 0.0012286405048278493, 171.2667255897307, 0.9807858872435379, 0.0, 0.0, 0.0,
  0.0005130064588990679, 0.0, 0.00010854057858411537,
];

/** One scale's 18 norms: ssim[plane * 2 + norm], edge[plane * 4 + (artifact 1, artifact 4, lost 1, lost 4)]. */
export interface ScaleNorms {
  ssim: number[];
  edge: number[];
}

/** The weighted sum of the norms → the score, with 2.1's polynomial and power mapping. */
export function ssimulacra2Score(scales: readonly ScaleNorms[]): number {
  let sum = 0;
  let i = 0;
  for (let c = 0; c < 3; c++) {
    for (const scale of scales) {
      for (let n = 0; n < 2; n++) {
        sum += SSIMULACRA2_WEIGHTS[i++]! * Math.abs(scale.ssim[c * 2 + n]!);
        sum += SSIMULACRA2_WEIGHTS[i++]! * Math.abs(scale.edge[c * 4 + n]!);
        sum += SSIMULACRA2_WEIGHTS[i++]! * Math.abs(scale.edge[c * 4 + n + 2]!);
      }
    }
  }
  sum *= 0.9562382616834844;
  sum = 2.326765642916932 * sum - 0.020884521182843837 * sum * sum + 6.248496625763138e-5 * sum * sum * sum;
  return sum > 0 ? 100 - 10 * Math.pow(sum, 0.6276336467831387) : 100;
}

type Planes = [Float32Array, Float32Array, Float32Array];
const planes = (n: number): Planes => [new Float32Array(n), new Float32Array(n), new Float32Array(n)];

/**
 * The TypeScript definition of the per-frame computation, kept as the specification the WebAssembly
 * scorer (ssimulacra2-wasm.ts: Ssimulacra2Scorer) is checked against, norm for norm; about 50
 * times slower. The working memory (about 19 float planes) is kept between frames.
 */
export class Ssimulacra2DefinitionScorer {
  private readonly rg: RecursiveGaussian = createRecursiveGaussian(1.5);
  private readonly table: Float32Array;
  private readonly linear1: Planes;
  private readonly linear2: Planes;
  private readonly small1: Planes;
  private readonly small2: Planes;
  private readonly xyb1: Planes;
  private readonly xyb2: Planes;
  private readonly mul: Float32Array;
  private readonly temp: Float32Array;
  private readonly blurred: Float32Array[];
  private readonly state: Float32Array;

  constructor(
    readonly width: number,
    readonly height: number,
    /** 8 for rgb24 samples, 16 for rgb48le. */
    sampleBits: 8 | 16,
  ) {
    const n = width * height;
    this.table = linearTable(sampleBits === 8 ? 255 : 65535);
    this.linear1 = planes(n);
    this.linear2 = planes(n);
    this.small1 = planes(n);
    this.small2 = planes(n);
    this.xyb1 = planes(n);
    this.xyb2 = planes(n);
    this.mul = new Float32Array(n);
    this.temp = new Float32Array(n);
    this.blurred = Array.from({ length: 5 }, () => new Float32Array(n));
    this.state = new Float32Array(6 * width);
  }

  /** The score of one pair of interleaved R'G'B' frames (rgb24 or rgb48le samples). */
  score(reference: Uint8Array | Uint16Array, distorted: Uint8Array | Uint16Array): number {
    return ssimulacra2Score(this.norms(reference, distorted));
  }

  /** The 6 scales' norms (fewer when the picture gets under 8 pixels). */
  norms(reference: Uint8Array | Uint16Array, distorted: Uint8Array | Uint16Array): ScaleNorms[] {
    interleavedToLinear(reference, this.table, this.linear1);
    interleavedToLinear(distorted, this.table, this.linear2);
    let w = this.width;
    let h = this.height;
    const result: ScaleNorms[] = [];
    for (let scale = 0; scale < SSIMULACRA2_SCALES; scale++) {
      if (w < 8 || h < 8) break;
      if (scale > 0) {
        let size = { width: w, height: h };
        for (let c = 0; c < 3; c++) {
          size = downscale2x2(this.linear1[c]!, w, h, this.small1[c]!);
          downscale2x2(this.linear2[c]!, w, h, this.small2[c]!);
          this.linear1[c]!.set(this.small1[c]!.subarray(0, size.width * size.height));
          this.linear2[c]!.set(this.small2[c]!.subarray(0, size.width * size.height));
        }
        w = size.width;
        h = size.height;
      }
      const n = w * h;
      for (let c = 0; c < 3; c++) {
        this.xyb1[c]!.set(this.linear1[c]!.subarray(0, n));
        this.xyb2[c]!.set(this.linear2[c]!.subarray(0, n));
      }
      linearToPositiveXyb(this.xyb1, n);
      linearToPositiveXyb(this.xyb2, n);
      result.push(this.scaleNorms(w, h));
    }
    return result;
  }

  private scaleNorms(w: number, h: number): ScaleNorms {
    const n = w * h;
    const ssim: number[] = [];
    const edge: number[] = [];
    const [s11, s22, s12, mu1, mu2] = this.blurred as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    for (let c = 0; c < 3; c++) {
      const a = this.xyb1[c]!;
      const b = this.xyb2[c]!;
      this.product(a, a, n);
      blurPlane(this.rg, this.mul, w, h, this.temp, s11, this.state);
      this.product(b, b, n);
      blurPlane(this.rg, this.mul, w, h, this.temp, s22, this.state);
      this.product(a, b, n);
      blurPlane(this.rg, this.mul, w, h, this.temp, s12, this.state);
      blurPlane(this.rg, a, w, h, this.temp, mu1, this.state);
      blurPlane(this.rg, b, w, h, this.temp, mu2, this.state);
      ssim.push(...ssimMapNorms(mu1, mu2, s11, s22, s12, n));
      edge.push(...edgeMapNorms(a, mu1, b, mu2, n));
    }
    return { ssim, edge };
  }

  private product(a: Float32Array, b: Float32Array, n: number): void {
    const out = this.mul;
    for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
  }
}
