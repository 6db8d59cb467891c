import {
  chromaWeightedSse,
  lumaBlocks,
  newTemporalMemory,
  planeSse,
  xpsnrAverageActivity,
  xpsnrBlockSize,
  type LumaRowSums,
  type Plane,
  type TemporalMemory,
} from './xpsnr-weighting';
import { XpsnrLumaKernel } from './xpsnr-luma-wasm';

/**
 * XPSNR as FFmpeg 7.1's xpsnr filter computes it, frame by frame, with its pooling. The reference
 * is the first input: the weights come from its activity. Its memory of previous frames starts at
 * zero, so frame 0's temporal activity is the picture itself (much smaller weights, a much higher
 * XPSNR on frame 0), as in the filter.
 */

export interface XpsnrFrame {
  y: number;
  u: number;
  v: number;
  /** Av1an's weighted XPSNR, (4Y + U + V) / 6: what the percentile and mean pools take per frame. */
  weighted: number;
}

export interface XpsnrPooled {
  y: number;
  u: number;
  v: number;
  /** The filter's "(minimum: ...)" of the three averages: what ab-av1 reports. */
  minimum: number;
}

export interface YuvLayout {
  width: number;
  height: number;
  chromaWidth: number;
  chromaHeight: number;
  bitDepth: number;
}

/** The planes of one raw planar frame (Y, U, V in that order, no padding), as typed views. */
export function yuvPlanes(frame: Uint8Array, layout: YuvLayout): [Plane, Plane, Plane] {
  const luma = layout.width * layout.height;
  const chroma = layout.chromaWidth * layout.chromaHeight;
  if (layout.bitDepth > 8) {
    const all = new Uint16Array(frame.buffer, frame.byteOffset, luma + 2 * chroma);
    return [all.subarray(0, luma), all.subarray(luma, luma + chroma), all.subarray(luma + chroma)];
  }
  return [frame.subarray(0, luma), frame.subarray(luma, luma + chroma), frame.subarray(luma + chroma, luma + 2 * chroma)];
}

/** XPSNR in dB of one weighted SSE over a plane of `pixels`, or of an average of sqrt(wSSE). */
function xpsnrOf(sqrtWsse: number, pixels: number, maxError: number): number {
  return 10 * Math.log10((pixels * maxError) / (sqrtWsse * sqrtWsse));
}

export class XpsnrAccumulator {
  private readonly memory: TemporalMemory;
  private readonly rowSums: LumaRowSums | undefined;
  private readonly blockSize: number;
  private readonly averageActivity: number;
  private readonly maxError: number;
  private readonly sumSqrtWsse = [0, 0, 0];
  private readonly sumXpsnr = [0, 0, 0];
  private frames = 0;

  /** `frameRate` is the reference's (its integer part picks the first- or second-order temporal difference). */
  constructor(
    readonly layout: YuvLayout,
    private readonly frameRate: number,
  ) {
    // 8-bit below 32 frames/s (first-order temporal difference): the luma sums in WebAssembly.
    const lumaKernel = layout.bitDepth === 8 && Math.trunc(frameRate) < 32 ? new XpsnrLumaKernel(layout.width, layout.height) : undefined;
    this.rowSums = lumaKernel?.rowSums;
    this.memory = lumaKernel?.temporalMemory ?? newTemporalMemory(layout.width, layout.height);
    this.blockSize = xpsnrBlockSize(layout.width, layout.height);
    this.averageActivity = xpsnrAverageActivity(layout.width, layout.height, layout.bitDepth);
    this.maxError = (2 ** layout.bitDepth - 1) ** 2;
  }

  /** Weighted SSE per plane (integers, as the filter rounds them). */
  weightedSse(reference: [Plane, Plane, Plane], distorted: [Plane, Plane, Plane]): [number, number, number] {
    const { width, height, chromaWidth, chromaHeight, bitDepth } = this.layout;
    const b = this.blockSize;
    if (b < 4) {
      return [
        planeSse(reference[0], distorted[0], width, height),
        planeSse(reference[1], distorted[1], chromaWidth, chromaHeight),
        planeSse(reference[2], distorted[2], chromaWidth, chromaHeight),
      ];
    }
    const blocks = lumaBlocks(reference[0], distorted[0], width, height, bitDepth, Math.trunc(this.frameRate), this.memory, this.rowSums);
    let luma = 0;
    for (let i = 0; i < blocks.sse.length; i++) luma += blocks.sse[i]! * blocks.weights[i]!;
    const round = (wsse: number) => (wsse <= 0 ? 0 : Math.floor(wsse * this.averageActivity + 0.5));
    const chroma = (c: 1 | 2) =>
      round(chromaWeightedSse(reference[c], distorted[c], chromaWidth, chromaHeight, width, height, b, blocks.weights));
    return [round(luma), chroma(1), chroma(2)];
  }

  /** Scores the next frame pair (frames must come in order, from the first). */
  add(reference: [Plane, Plane, Plane], distorted: [Plane, Plane, Plane]): XpsnrFrame {
    const wsse = this.weightedSse(reference, distorted);
    const values = wsse.map((w, c) => {
      const sqrtWsse = Math.sqrt(w);
      const xpsnr = sqrtWsse >= 1 ? xpsnrOf(sqrtWsse, this.pixels(c), this.maxError) : Infinity;
      this.sumSqrtWsse[c]! += sqrtWsse;
      this.sumXpsnr[c]! += xpsnr;
      return xpsnr;
    });
    this.frames++;
    const [y, u, v] = values as [number, number, number];
    return { y, u, v, weighted: (4 * y + u + v) / 6 };
  }

  private pixels(c: number): number {
    return c === 0 ? this.layout.width * this.layout.height : this.layout.chromaWidth * this.layout.chromaHeight;
  }

  /**
   * The filter's averages: 10 log10 of the peak over the squared mean of sqrt(wSSE) (not the mean
   * of the per-frame dB values), falling back to that mean when sqrt(wSSE) sums below the frame count.
   */
  pooled(): XpsnrPooled {
    const n = this.frames;
    const average = (c: number) => {
      if (n === 0) return Infinity;
      if (this.sumSqrtWsse[c]! >= n) return xpsnrOf(this.sumSqrtWsse[c]! / n, this.pixels(c), this.maxError);
      return this.sumXpsnr[c]! / n;
    };
    const [y, u, v] = [average(0), average(1), average(2)];
    return { y, u, v, minimum: Math.min(y, u, v) };
  }
}
