import { f32 } from './float32';

const C2 = f32(0.0009);

/**
 * SSIMULACRA 2.1's SSIM error map of one plane, reduced to its 1-norm (mean) and 4-norm. Its SSIM'
 * drops SSIM's denominator on the means (mu1² + mu2²), which would weigh errors in the darks
 * more, as if the values were linear light: the mean term is 1 - (mu1 - mu2)². The map is 1 -
 * SSIM', clamped at 0. Per-pixel terms are float32 as in the reference; the sums double.
 */
export function ssimMapNorms(
  mu1: Float32Array,
  mu2: Float32Array,
  s11: Float32Array,
  s22: Float32Array,
  s12: Float32Array,
  n: number,
): [mean: number, norm4: number] {
  let sum = 0;
  let sum4 = 0;
  for (let i = 0; i < n; i++) {
    const m1 = mu1[i]!;
    const m2 = mu2[i]!;
    const diff = f32(m1 - m2);
    const numM = f32(1 - f32(diff * diff));
    const numS = f32(f32(2 * f32(s12[i]! - f32(m1 * m2))) + C2);
    const denS = f32(f32(f32(s11[i]! - f32(m1 * m1)) + f32(s22[i]! - f32(m2 * m2))) + C2);
    let d = 1 - f32(f32(numM * numS) / denS);
    if (d < 0) d = 0;
    sum += d;
    const d2 = d * d;
    sum4 += d2 * d2;
  }
  const perPixel = 1 / n;
  return [perPixel * sum, Math.sqrt(Math.sqrt(perPixel * sum4))];
}
