import { f32 } from './float32';

/**
 * SSIMULACRA2's edge-difference maps of one plane: d = (1 + |dist - blur(dist)|) / (1 + |ref -
 * blur(ref)|) - 1. Where d > 0 the distorted picture has edges the reference lacks (ringing,
 * banding, blocking: "artifact"); where d < 0 it lost the reference's edges (blur, smoothing:
 * "detail lost"). Each reduced to its 1-norm and 4-norm.
 */
export function edgeMapNorms(
  img1: Float32Array,
  mu1: Float32Array,
  img2: Float32Array,
  mu2: Float32Array,
  n: number,
): [artifact: number, artifact4: number, detailLost: number, detailLost4: number] {
  let artifact = 0;
  let artifact4 = 0;
  let lost = 0;
  let lost4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (1 + Math.abs(f32(img2[i]! - mu2[i]!))) / (1 + Math.abs(f32(img1[i]! - mu1[i]!))) - 1;
    if (d > 0) {
      artifact += d;
      const d2 = d * d;
      artifact4 += d2 * d2;
    } else if (d < 0) {
      lost -= d;
      const d2 = d * d;
      lost4 += d2 * d2;
    }
  }
  const perPixel = 1 / n;
  return [perPixel * artifact, Math.sqrt(Math.sqrt(perPixel * artifact4)), perPixel * lost, Math.sqrt(Math.sqrt(perPixel * lost4))];
}
