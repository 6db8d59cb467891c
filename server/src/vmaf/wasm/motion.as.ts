// @ts-nocheck -- AssemblyScript (i32/v128 types), compiled to WebAssembly by scripts/build.mjs;
// the TypeScript program never imports it.
/**
 * The motion kernel: sum of absolute values of the 5-tap Gaussian-blurred difference of two u16
 * planes, in libvmaf integer_motion fixed point (vertical rounding shift bitDepth, horizontal 16).
 */

const F0 = 3571, F1 = 16004, F2 = 26386;

/** Mirror without repeating the edge sample, as libvmaf's motion filter does. */
function mirror(index: i32, size: i32): i32 {
  if (index < 0) return -index;
  if (index >= size) return 2 * size - index - 2;
  return index;
}

/** Σ|blur(previous - current)| over the plane (the caller divides by 256·w·h). `row` is w + 8 i32. */
export function motionSad(previous: usize, current: usize, w: i32, h: i32, bitDepth: i32, row: usize): f64 {
  const round = i32x4.splat(1 << (bitDepth - 1));
  const f0 = i32x4.splat(F0), f1 = i32x4.splat(F1), f2 = i32x4.splat(F2);
  const half = i32x4.splat(32768);
  const vectorEnd = w & ~3;
  let sad: i64 = 0;
  for (let i = 0; i < h; i++) {
    const r0 = <usize>(mirror(i - 2, h) * w) << 1, r1 = <usize>(mirror(i - 1, h) * w) << 1, r2 = <usize>(i * w) << 1;
    const r3 = <usize>(mirror(i + 1, h) * w) << 1, r4 = <usize>(mirror(i + 2, h) * w) << 1;
    let any = i32x4.splat(0);
    for (let j = 0; j < w; j += 4) {
      const c = <usize>j << 1;
      const d0 = i32x4.sub(v128.load_ext<u16>(previous + r0 + c), v128.load_ext<u16>(current + r0 + c));
      const d1 = i32x4.sub(v128.load_ext<u16>(previous + r1 + c), v128.load_ext<u16>(current + r1 + c));
      const d2 = i32x4.sub(v128.load_ext<u16>(previous + r2 + c), v128.load_ext<u16>(current + r2 + c));
      const d3 = i32x4.sub(v128.load_ext<u16>(previous + r3 + c), v128.load_ext<u16>(current + r3 + c));
      const d4 = i32x4.sub(v128.load_ext<u16>(previous + r4 + c), v128.load_ext<u16>(current + r4 + c));
      const acc = i32x4.add(i32x4.add(i32x4.mul(f0, i32x4.add(d0, d4)), i32x4.mul(f1, i32x4.add(d1, d3))), i32x4.mul(f2, d2));
      const value = i32x4.shr_s(i32x4.add(acc, round), bitDepth);
      v128.store(row + (<usize>(j + 2) << 2), value);
      any = v128.or(any, value);
    }
    // Lanes past the row end may read the next row: they only make a zero row look non-zero.
    if (!v128.any_true(any)) continue;
    store<i32>(row, load<i32>(row + 16)); store<i32>(row, load<i32>(row + 12), 4);
    store<i32>(row + (<usize>(w + 2) << 2), load<i32>(row + (<usize>w << 2)));
    store<i32>(row + (<usize>(w + 3) << 2), load<i32>(row + (<usize>(w - 1) << 2)));
    let rowSad = i32x4.splat(0);
    for (let j = 0; j < vectorEnd; j += 4) {
      const at = row + (<usize>j << 2);
      const acc = i32x4.add(i32x4.add(
        i32x4.mul(f0, i32x4.add(v128.load(at), v128.load(at, 16))),
        i32x4.mul(f1, i32x4.add(v128.load(at, 4), v128.load(at, 12)))),
        i32x4.mul(f2, v128.load(at, 8)));
      rowSad = i32x4.add(rowSad, i32x4.abs(i32x4.shr_s(i32x4.add(acc, half), 16)));
    }
    let tail: i32 = 0;
    for (let j = vectorEnd; j < w; j++) {
      const at = row + (<usize>j << 2);
      const acc = F0 * (load<i32>(at) + load<i32>(at, 16)) + F1 * (load<i32>(at, 4) + load<i32>(at, 12)) + F2 * load<i32>(at, 8);
      tail += abs<i32>((acc + 32768) >> 16);
    }
    sad += <i64>i32x4.extract_lane(rowSad, 0) + i32x4.extract_lane(rowSad, 1) + i32x4.extract_lane(rowSad, 2) + i32x4.extract_lane(rowSad, 3) + tail;
  }
  return <f64>sad;
}
