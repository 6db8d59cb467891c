import { resolveTools } from '../sys';
import { rawDecodeArgs, rgbFilter } from './decode-args';
import { feedFramePairs } from './frame-pairs';
import { probeMetricPair } from './inputs';
import { Ssimulacra2Scorer } from './ssimulacra2-wasm';
import type { MetricOptions } from './types';

export interface Ssimulacra2Measurement {
  /** Per scored frame, in order. */
  frames: number[];
  /** The frame number of each score: every frame, or frames 0, N, 2N, ... with `subsample`. */
  indices: number[];
  width: number;
  height: number;
  bitDepth: number;
}

/**
 * SSIMULACRA2 of DISTORTED against REFERENCE, every frame: both decoded by ffmpeg to R'G'B' (BT.709
 * limited → full range, swscale's bicubic chroma upsampling; 16-bit samples above 8-bit sources).
 */
export async function measureSsimulacra2(
  reference: string,
  distorted: string,
  options: MetricOptions = {},
): Promise<Ssimulacra2Measurement> {
  const tools = resolveTools(options.tools);
  const [ref, dis] = await probeMetricPair(tools, reference, distorted, options.signal);
  const bitDepth = Math.max(ref.bitDepth, dis.bitDepth);
  const sampleBits = bitDepth > 8 ? 16 : 8;
  const scorer = new Ssimulacra2Scorer(ref.width, ref.height, sampleBits);
  const frameBytes = ref.width * ref.height * 3 * (sampleBits / 8);
  const frames: number[] = [];
  const indices: number[] = [];
  const subsample = options.subsample ?? 1;
  await feedFramePairs(
    {
      tools,
      reference: ref,
      distorted: dis,
      frameBytes,
      decodeArgs: (input) => rawDecodeArgs(input.path, rgbFilter(bitDepth), input.stream),
      signal: options.signal,
    },
    (r, d, index) => {
      if (index % subsample !== 0) return;
      const view = (frame: Uint8Array) => (sampleBits === 8 ? frame : new Uint16Array(frame.buffer, frame.byteOffset, frame.length / 2));
      frames.push(scorer.score(view(r), view(d)));
      indices.push(index);
      options.onProgress?.(frames.length);
    },
  );
  return { frames, indices, width: ref.width, height: ref.height, bitDepth };
}
