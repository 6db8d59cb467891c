// @ts-nocheck -- AssemblyScript (i32/v128 types), compiled to WebAssembly by scripts/build.mjs;
// the TypeScript program never imports it.
/**
 * The motion kernel: sum of absolute values of the 5-tap Gaussian-blurred difference of two u16
 * planes, in libvmaf integer_motion fixed point (vertical rounding shift bitDepth, horizontal 16).
 */

const F0 = 3571,
  F1 = 16004,
  F2 = 26386;

/** Mirror without repeating the edge sample, as libvmaf's motion filter does. */
function mirror(index: i32, size: i32): i32 {
  if (index < 0) return -index;
  if (index >= size) return 2 * size - index - 2;
  return index;
}

/** Σ|blur(previous - current)| over the plane (the caller divides by 256·w·h). `row` is w + 16 i32. */
export function motionSad(previous: usize, current: usize, w: i32, h: i32, bitDepth: i32, row: usize): f64 {
  const round = i32x4.splat(1 << (bitDepth - 1));
  const f0 = i32x4.splat(F0),
    f1 = i32x4.splat(F1),
    f2 = i32x4.splat(F2);
  const half = i32x4.splat(32768);
  const vectorEnd = w & ~3;
  let sad: i64 = 0;
  for (let i = 0; i < h; i++) {
    const r0 = (<usize>(mirror(i - 2, h) * w)) << 1,
      r1 = (<usize>(mirror(i - 1, h) * w)) << 1,
      r2 = (<usize>(i * w)) << 1;
    const r3 = (<usize>(mirror(i + 1, h) * w)) << 1,
      r4 = (<usize>(mirror(i + 2, h) * w)) << 1;
    let any = i32x4.splat(0);
    if (bitDepth <= 14) {
      // Eight columns in i16 lanes: differences and the pair sums d0 + d4, d1 + d3 fit i16 below 15 bits,
      // and each tap's product is exact in i32 lanes by extended multiplies.
      const g0 = i16x8.splat(<i16>F0),
        g1 = i16x8.splat(<i16>F1),
        g2 = i16x8.splat(<i16>F2);
      for (let j = 0; j < w; j += 8) {
        const c = (<usize>j) << 1;
        const d0 = i16x8.sub(v128.load(previous + r0 + c), v128.load(current + r0 + c));
        const d1 = i16x8.sub(v128.load(previous + r1 + c), v128.load(current + r1 + c));
        const d2 = i16x8.sub(v128.load(previous + r2 + c), v128.load(current + r2 + c));
        const d3 = i16x8.sub(v128.load(previous + r3 + c), v128.load(current + r3 + c));
        const d4 = i16x8.sub(v128.load(previous + r4 + c), v128.load(current + r4 + c));
        const outer = i16x8.add(d0, d4),
          inner = i16x8.add(d1, d3);
        const low = i32x4.add(
          i32x4.add(i32x4.extmul_low_i16x8_s(outer, g0), i32x4.extmul_low_i16x8_s(inner, g1)),
          i32x4.extmul_low_i16x8_s(d2, g2),
        );
        const high = i32x4.add(
          i32x4.add(i32x4.extmul_high_i16x8_s(outer, g0), i32x4.extmul_high_i16x8_s(inner, g1)),
          i32x4.extmul_high_i16x8_s(d2, g2),
        );
        const valueLow = i32x4.shr_s(i32x4.add(low, round), bitDepth),
          valueHigh = i32x4.shr_s(i32x4.add(high, round), bitDepth);
        v128.store(row + ((<usize>(j + 2)) << 2), valueLow);
        v128.store(row + ((<usize>(j + 6)) << 2), valueHigh);
        any = v128.or(any, v128.or(valueLow, valueHigh));
      }
    } else
      for (let j = 0; j < w; j += 4) {
        const c = (<usize>j) << 1;
        const d0 = i32x4.sub(v128.load_ext<u16>(previous + r0 + c), v128.load_ext<u16>(current + r0 + c));
        const d1 = i32x4.sub(v128.load_ext<u16>(previous + r1 + c), v128.load_ext<u16>(current + r1 + c));
        const d2 = i32x4.sub(v128.load_ext<u16>(previous + r2 + c), v128.load_ext<u16>(current + r2 + c));
        const d3 = i32x4.sub(v128.load_ext<u16>(previous + r3 + c), v128.load_ext<u16>(current + r3 + c));
        const d4 = i32x4.sub(v128.load_ext<u16>(previous + r4 + c), v128.load_ext<u16>(current + r4 + c));
        const acc = i32x4.add(i32x4.add(i32x4.mul(f0, i32x4.add(d0, d4)), i32x4.mul(f1, i32x4.add(d1, d3))), i32x4.mul(f2, d2));
        const value = i32x4.shr_s(i32x4.add(acc, round), bitDepth);
        v128.store(row + ((<usize>(j + 2)) << 2), value);
        any = v128.or(any, value);
      }
    // Lanes past the row end may read the next row: they only make a zero row look non-zero.
    if (!v128.any_true(any)) continue;
    store<i32>(row, load<i32>(row + 16));
    store<i32>(row, load<i32>(row + 12), 4);
    store<i32>(row + ((<usize>(w + 2)) << 2), load<i32>(row + ((<usize>w) << 2)));
    store<i32>(row + ((<usize>(w + 3)) << 2), load<i32>(row + ((<usize>(w - 1)) << 2)));
    // The blurred differences reach ±2^16, so Σf·v can pass 2^31: blur the high bits (v >> 8) and
    // the low byte separately (each sum below 2^24), then floor((256·H + L + 2^15) / 2^16)
    // = (H + ((L + 2^15) >> 8)) >> 8 exactly.
    let rowSad = i32x4.splat(0);
    const lowByte = i32x4.splat(255);
    for (let j = 0; j < vectorEnd; j += 4) {
      const at = row + ((<usize>j) << 2);
      const a = v128.load(at),
        b = v128.load(at, 4),
        c = v128.load(at, 8),
        d = v128.load(at, 12),
        e = v128.load(at, 16);
      const high = blur5(i32x4.shr_s(a, 8), i32x4.shr_s(b, 8), i32x4.shr_s(c, 8), i32x4.shr_s(d, 8), i32x4.shr_s(e, 8), f0, f1, f2);
      const low = blur5(
        v128.and(a, lowByte),
        v128.and(b, lowByte),
        v128.and(c, lowByte),
        v128.and(d, lowByte),
        v128.and(e, lowByte),
        f0,
        f1,
        f2,
      );
      const value = i32x4.shr_s(i32x4.add(high, i32x4.shr_s(i32x4.add(low, half), 8)), 8);
      rowSad = i32x4.add(rowSad, i32x4.abs(value));
    }
    let tail: i32 = 0;
    for (let j = vectorEnd; j < w; j++) {
      const at = row + ((<usize>j) << 2);
      const acc =
        <i64>F0 * (load<i32>(at) + load<i32>(at, 16)) + <i64>F1 * (load<i32>(at, 4) + load<i32>(at, 12)) + <i64>F2 * load<i32>(at, 8);
      tail += abs<i32>(<i32>((acc + 32768) >> 16));
    }
    sad +=
      <i64>i32x4.extract_lane(rowSad, 0) +
      i32x4.extract_lane(rowSad, 1) +
      i32x4.extract_lane(rowSad, 2) +
      i32x4.extract_lane(rowSad, 3) +
      tail;
  }
  return <f64>sad;
}

function blur5(a: v128, b: v128, c: v128, d: v128, e: v128, f0: v128, f1: v128, f2: v128): v128 {
  return i32x4.add(i32x4.add(i32x4.mul(f0, i32x4.add(a, e)), i32x4.mul(f1, i32x4.add(b, d))), i32x4.mul(f2, c));
}
