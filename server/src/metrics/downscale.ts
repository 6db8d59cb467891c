import { f32 } from './float32';

/**
 * SSIMULACRA2's 2x2 box downscale (of linear RGB): output size rounds up, a block past the edge
 * repeats the last row or column; float32 sums in the reference's order.
 */
export function downscale2x2(input: Float32Array, w: number, h: number, out: Float32Array): { width: number; height: number } {
  const ow = Math.ceil(w / 2);
  const oh = Math.ceil(h / 2);
  const quarter = f32(0.25);
  for (let oy = 0; oy < oh; oy++) {
    const y0 = 2 * oy * w;
    const y1 = Math.min(2 * oy + 1, h - 1) * w;
    for (let ox = 0; ox < ow; ox++) {
      const x0 = 2 * ox;
      const x1 = Math.min(x0 + 1, w - 1);
      const sum = f32(f32(f32(input[y0 + x0]! + input[y0 + x1]!) + input[y1 + x0]!) + input[y1 + x1]!);
      out[oy * ow + ox] = f32(sum * quarter);
    }
  }
  return { width: ow, height: oh };
}
