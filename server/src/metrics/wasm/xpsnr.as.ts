// @ts-nocheck -- AssemblyScript (v128 types), compiled to WebAssembly by scripts/build.mjs
// (entry kernels.as.ts); the TypeScript program never imports it.
/**
 * XPSNR's luma sums per block for 8-bit pictures with the first-order temporal difference (below
 * 32 frames/s), as ../xpsnr-weighting.ts's lumaSumsByRow: per block, the SSE, the sum of |3x3
 * high-pass| over the interior rows and columns, the sum of |org - previous|; `previous` (int16)
 * moves on to this frame. Integer sums: the same numbers in any order. Interior blocks take
 * eight pixels per step (i16x8: |high-pass| ≤ 12·255 fits), the rest one at a time.
 */
function highPass(p: usize, s: usize): i32 {
  return (
    12 * <i32>load<u8>(p) -
    2 * (<i32>load<u8>(p - 1) + <i32>load<u8>(p + 1) + <i32>load<u8>(p - s) + <i32>load<u8>(p + s)) -
    (<i32>load<u8>(p - s - 1) + <i32>load<u8>(p - s + 1) + <i32>load<u8>(p + s - 1) + <i32>load<u8>(p + s + 1))
  );
}

export function xpsnrLumaSums8(
  org: usize,
  rec: usize,
  previous: usize,
  width: i32,
  height: i32,
  b: i32,
  wBlk: i32,
  sse: usize,
  spatial: usize,
  temporal: usize,
): void {
  const s = <usize>width;
  const blocks = <usize>(wBlk * ((height + b - 1) / b)) << 3;
  memory.fill(sse, 0, blocks);
  memory.fill(spatial, 0, blocks);
  memory.fill(temporal, 0, blocks);
  const twelve = i16x8.splat(12);
  for (let y = 0; y < height; y++) {
    const row = <usize>((y / b) * wBlk);
    const interiorRow = y > 0 && y < height - 1;
    const line = <usize>y * s;
    for (let bx = 0; bx < wBlk; bx++) {
      const x0 = bx * b;
      const x1 = min(x0 + b, width);
      let e: i32 = 0;
      let sa: i32 = 0;
      let ta: i32 = 0;
      let x = x0;
      if (interiorRow && x0 > 0 && x1 < width) {
        let eV = i32x4.splat(0);
        let saV = i32x4.splat(0);
        let taV = i32x4.splat(0);
        for (; x + 8 <= x1; x += 8) {
          const p = org + line + <usize>x;
          const c = v128.load8x8_u(p);
          const near = i16x8.add(i16x8.add(v128.load8x8_u(p - 1), v128.load8x8_u(p + 1)), i16x8.add(v128.load8x8_u(p - s), v128.load8x8_u(p + s)));
          const diagonal = i16x8.add(
            i16x8.add(v128.load8x8_u(p - s - 1), v128.load8x8_u(p - s + 1)),
            i16x8.add(v128.load8x8_u(p + s - 1), v128.load8x8_u(p + s + 1)),
          );
          const f = i16x8.sub(i16x8.sub(i16x8.mul(c, twelve), i16x8.shl(near, 1)), diagonal);
          saV = i32x4.add(saV, i32x4.extadd_pairwise_i16x8_s(i16x8.abs(f)));
          const d = i16x8.sub(c, v128.load8x8_u(rec + line + <usize>x));
          eV = i32x4.add(eV, i32x4.dot_i16x8_s(d, d));
          const m = previous + ((line + <usize>x) << 1);
          taV = i32x4.add(taV, i32x4.extadd_pairwise_i16x8_s(i16x8.abs(i16x8.sub(c, v128.load(m)))));
          v128.store(m, c);
        }
        e = i32x4.extract_lane(eV, 0) + i32x4.extract_lane(eV, 1) + i32x4.extract_lane(eV, 2) + i32x4.extract_lane(eV, 3);
        sa = i32x4.extract_lane(saV, 0) + i32x4.extract_lane(saV, 1) + i32x4.extract_lane(saV, 2) + i32x4.extract_lane(saV, 3);
        ta = i32x4.extract_lane(taV, 0) + i32x4.extract_lane(taV, 1) + i32x4.extract_lane(taV, 2) + i32x4.extract_lane(taV, 3);
        for (let i = x; i < x1; i++) sa += abs(highPass(org + line + <usize>i, s));
      } else if (interiorRow) {
        const xa = max(x0, 1);
        const xb = min(x1, width - 1);
        for (let i = xa; i < xb; i++) sa += abs(highPass(org + line + <usize>i, s));
      }
      // The SSE and temporal sums of the pixels the vector loop did not take.
      for (; x < x1; x++) {
        const at = line + <usize>x;
        const o = <i32>load<u8>(org + at);
        const d = o - <i32>load<u8>(rec + at);
        e += d * d;
        const m = previous + (at << 1);
        ta += abs(o - <i32>load<i16>(m));
        store<i16>(m, <i16>o);
      }
      const at = (row + <usize>bx) << 3;
      store<f64>(sse + at, load<f64>(sse + at) + <f64>e);
      store<f64>(spatial + at, load<f64>(spatial + at) + <f64>sa);
      store<f64>(temporal + at, load<f64>(temporal + at) + <f64>ta);
    }
  }
}
