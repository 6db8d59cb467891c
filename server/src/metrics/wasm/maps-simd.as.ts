// @ts-nocheck -- AssemblyScript (v128 types), compiled by scripts/build.mjs into the fused build
// (entry kernels-fused.as.ts); the TypeScript program never imports it.
/**
 * SSIMULACRA2's SSIM' and edge-difference map norms (ssimulacra2.as.ts's scalar versions, ../ssim-map.ts
 * and ../edge-map.ts the definition) four pixels at a time: the same float32 and double value per
 * pixel, but the double sums are kept per lane (four partial sums, added at the end), so a norm may
 * differ from the definition's pixel-order sum in its last bits (about 1e-15 relative).
 */
import { edgeDifference, ssimError } from './ssimulacra2.as';

@inline function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 1));
}

@inline function low(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

@inline function laneSum(a: v128, b: v128): f64 {
  return f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1) + (f64x2.extract_lane(b, 0) + f64x2.extract_lane(b, 1));
}

@inline function fourth(d: v128): v128 {
  const d2 = f64x2.mul(d, d);
  return f64x2.mul(d2, d2);
}

/** The SSIM' error map's 1-norm and 4-norm into out[0..1] (doubles). */
export function ssimMapNorms(mu1: usize, mu2: usize, s11: usize, s22: usize, s12: usize, n: i32, out: usize): void {
  const c2 = f32x4.splat(0.0009);
  const one = f32x4.splat(1);
  const two = f32x4.splat(2);
  const oneD = f64x2.splat(1);
  const zeroD = f64x2.splat(0);
  let sumLo = zeroD, sumHi = zeroD, sum4Lo = zeroD, sum4Hi = zeroD;
  const vectorEnd = (<usize>(n & ~3)) << 2;
  for (let o: usize = 0; o < vectorEnd; o += 16) {
    const m1 = v128.load(mu1 + o);
    const m2 = v128.load(mu2 + o);
    const diff = f32x4.sub(m1, m2);
    const numM = f32x4.sub(one, f32x4.mul(diff, diff));
    const numS = f32x4.add(f32x4.mul(two, f32x4.sub(v128.load(s12 + o), f32x4.mul(m1, m2))), c2);
    const denS = f32x4.add(f32x4.add(f32x4.sub(v128.load(s11 + o), f32x4.mul(m1, m1)), f32x4.sub(v128.load(s22 + o), f32x4.mul(m2, m2))), c2);
    const q = f32x4.div(f32x4.mul(numM, numS), denS);
    const dLo = f64x2.max(f64x2.sub(oneD, low(q)), zeroD);
    const dHi = f64x2.max(f64x2.sub(oneD, high(q)), zeroD);
    sumLo = f64x2.add(sumLo, dLo);
    sumHi = f64x2.add(sumHi, dHi);
    sum4Lo = f64x2.add(sum4Lo, fourth(dLo));
    sum4Hi = f64x2.add(sum4Hi, fourth(dHi));
  }
  let sum = laneSum(sumLo, sumHi);
  let sum4 = laneSum(sum4Lo, sum4Hi);
  for (let i = n & ~3; i < n; i++) {
    const d = ssimError((<usize>i) << 2, mu1, mu2, s11, s22, s12);
    sum += d;
    const d2 = d * d;
    sum4 += d2 * d2;
  }
  const perPixel = 1 / <f64>n;
  store<f64>(out, perPixel * sum);
  store<f64>(out, Math.sqrt(Math.sqrt(perPixel * sum4)), 8);
}

/** The edge-difference maps' norms into out[0..3]: artifact 1, 4, detail lost 1, 4. */
export function edgeMapNorms(img1: usize, mu1: usize, img2: usize, mu2: usize, n: i32, out: usize): void {
  const oneD = f64x2.splat(1);
  const zeroD = f64x2.splat(0);
  let aLo = zeroD, aHi = zeroD, a4Lo = zeroD, a4Hi = zeroD;
  let lLo = zeroD, lHi = zeroD, l4Lo = zeroD, l4Hi = zeroD;
  const vectorEnd = (<usize>(n & ~3)) << 2;
  for (let o: usize = 0; o < vectorEnd; o += 16) {
    const e2 = f32x4.abs(f32x4.sub(v128.load(img2 + o), v128.load(mu2 + o)));
    const e1 = f32x4.abs(f32x4.sub(v128.load(img1 + o), v128.load(mu1 + o)));
    const dLo = f64x2.sub(f64x2.div(f64x2.add(oneD, low(e2)), f64x2.add(oneD, low(e1))), oneD);
    const dHi = f64x2.sub(f64x2.div(f64x2.add(oneD, high(e2)), f64x2.add(oneD, high(e1))), oneD);
    // d > 0 adds to the artifact sums, d < 0 (negated) to the detail-lost ones; 0 adds nothing.
    const artLo = f64x2.max(dLo, zeroD), artHi = f64x2.max(dHi, zeroD);
    const lostLo = f64x2.max(f64x2.neg(dLo), zeroD), lostHi = f64x2.max(f64x2.neg(dHi), zeroD);
    aLo = f64x2.add(aLo, artLo);
    aHi = f64x2.add(aHi, artHi);
    a4Lo = f64x2.add(a4Lo, fourth(artLo));
    a4Hi = f64x2.add(a4Hi, fourth(artHi));
    lLo = f64x2.add(lLo, lostLo);
    lHi = f64x2.add(lHi, lostHi);
    l4Lo = f64x2.add(l4Lo, fourth(lostLo));
    l4Hi = f64x2.add(l4Hi, fourth(lostHi));
  }
  let artifact = laneSum(aLo, aHi);
  let artifact4 = laneSum(a4Lo, a4Hi);
  let lost = laneSum(lLo, lHi);
  let lost4 = laneSum(l4Lo, l4Hi);
  for (let i = n & ~3; i < n; i++) {
    const d = edgeDifference((<usize>i) << 2, img1, mu1, img2, mu2);
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
  const perPixel = 1 / <f64>n;
  store<f64>(out, perPixel * artifact);
  store<f64>(out, Math.sqrt(Math.sqrt(perPixel * artifact4)), 8);
  store<f64>(out, perPixel * lost, 16);
  store<f64>(out, Math.sqrt(Math.sqrt(perPixel * lost4)), 24);
}

/**
 * ssimulacra2.as.ts's downscale2x2 four outputs per step where both columns of each pair are inside
 * (the same float32 sums in the same order, so the same values); the rest (an odd width's last
 * column) scalar.
 */
export function downscale2x2(input: usize, w: i32, h: i32, out: usize): void {
  const ow = (w + 1) >> 1;
  const oh = (h + 1) >> 1;
  const quarter: f32 = 0.25;
  const quarter4 = f32x4.splat(0.25);
  const vectorEnd = (w >> 1) & ~3;
  for (let oy = 0; oy < oh; oy++) {
    const y0 = input + ((<usize>(2 * oy * w)) << 2);
    const y1 = input + ((<usize>(min(2 * oy + 1, h - 1) * w)) << 2);
    const o = out + ((<usize>(oy * ow)) << 2);
    let ox = 0;
    for (; ox < vectorEnd; ox += 4) {
      const x = (<usize>(2 * ox)) << 2;
      const a0 = v128.load(y0 + x), a1 = v128.load(y0 + x, 16);
      const b0 = v128.load(y1 + x), b1 = v128.load(y1 + x, 16);
      const sum = f32x4.add(
        f32x4.add(f32x4.add(i32x4.shuffle(a0, a1, 0, 2, 4, 6), i32x4.shuffle(a0, a1, 1, 3, 5, 7)), i32x4.shuffle(b0, b1, 0, 2, 4, 6)),
        i32x4.shuffle(b0, b1, 1, 3, 5, 7),
      );
      v128.store(o + ((<usize>ox) << 2), f32x4.mul(sum, quarter4));
    }
    for (; ox < ow; ox++) {
      const x0 = (<usize>(2 * ox)) << 2;
      const x1 = (<usize>min(2 * ox + 1, w - 1)) << 2;
      const sum: f32 = load<f32>(y0 + x0) + load<f32>(y0 + x1) + load<f32>(y1 + x0) + load<f32>(y1 + x1);
      store<f32>(o + ((<usize>ox) << 2), sum * quarter);
    }
  }
}
