import { resolveTools } from '../sys';
import { chromaSize, planarYuvFormat, rawDecodeArgs } from './decode-args';
import { feedFramePairs } from './frame-pairs';
import { probeMetricPair } from './inputs';
import type { MetricOptions } from './types';
import { XpsnrAccumulator, yuvPlanes, type XpsnrFrame, type XpsnrPooled } from './xpsnr';

export interface XpsnrMeasurement {
  frames: XpsnrFrame[];
  pooled: XpsnrPooled;
  width: number;
  height: number;
  bitDepth: number;
  frameRate: number;
}

/** XPSNR of DISTORTED against REFERENCE, every frame from the first, with the xpsnr filter's pooling. */
export async function measureXpsnr(reference: string, distorted: string, options: MetricOptions = {}): Promise<XpsnrMeasurement> {
  const tools = resolveTools(options.tools);
  const [ref, dis] = await probeMetricPair(tools, reference, distorted, options.signal);
  const bitDepth = ref.bitDepth;
  const pixFmt = planarYuvFormat(ref.pixFmt, bitDepth);
  const chroma = chromaSize(pixFmt, ref.width, ref.height);
  const layout = { width: ref.width, height: ref.height, chromaWidth: chroma.width, chromaHeight: chroma.height, bitDepth };
  const samples = layout.width * layout.height + 2 * chroma.width * chroma.height;
  const accumulator = new XpsnrAccumulator(layout, ref.frameRate);
  const frames: XpsnrFrame[] = [];
  await feedFramePairs(
    {
      tools,
      reference: ref,
      distorted: dis,
      frameBytes: samples * (bitDepth > 8 ? 2 : 1),
      decodeArgs: (input) => rawDecodeArgs(input.path, `format=${pixFmt}`, input.stream),
      signal: options.signal,
    },
    (r, d) => {
      frames.push(accumulator.add(yuvPlanes(r, layout), yuvPlanes(d, layout)));
      options.onProgress?.(frames.length);
    },
  );
  return { frames, pooled: accumulator.pooled(), width: ref.width, height: ref.height, bitDepth, frameRate: ref.frameRate };
}
