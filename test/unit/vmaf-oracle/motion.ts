/*
 * TEST ORACLE ONLY: the built-in engine's TypeScript kernels as they were before the WebAssembly
 * port (Float64 arithmetic, every intermediate an exact integer), kept unchanged so that
 * test/unit/vmaf-kernels.test.ts can compare the WebAssembly kernels with an independent
 * implementation on random frames. Not part of the product.
 */
/**
 * The motion feature: mean absolute value of the 5-tap Gaussian-blurred difference between
 * consecutive reference frames, in libvmaf 3.x integer_motion fixed point (difference blurred
 * vertically with a 2^bpc rounding shift, then horizontally with a 2^16 one).
 * motion2 of frame i is min(motion(i-1, i), motion(i, i+1)); 0 for the first frame and
 * motion(i-1, i) for the last one.
 */

const FILTER = [3571, 16004, 26386, 16004, 3571] as const;

/** Mirror without repeating the edge sample, as libvmaf's motion filter does. */
function mirror(index: number, size: number): number {
  if (index < 0) return -index;
  if (index >= size) return 2 * size - index - 2;
  return index;
}

export class MotionComputer {
  private readonly row: Int32Array;
  private readonly rowIndex: Int32Array;
  private readonly colIndex: Int32Array;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly bitDepth: number,
  ) {
    this.row = new Int32Array(width + 4);
    this.rowIndex = new Int32Array(height + 4);
    this.colIndex = new Int32Array(width + 4);
    for (let i = -2; i < height + 2; i++) this.rowIndex[i + 2] = mirror(i, height) * width;
    for (let j = -2; j < width + 2; j++) this.colIndex[j + 2] = mirror(j, width) + 2;
  }

  /** motion(previous, current): single-precision mean absolute blurred difference. */
  score(previous: ArrayLike<number>, current: ArrayLike<number>): number {
    const { width: w, height: h, row, rowIndex, colIndex } = this;
    const [f0, f1, f2, f3, f4] = FILTER;
    const shift = this.bitDepth,
      round = 1 << (shift - 1);
    let sad = 0;
    for (let i = 0; i < h; i++) {
      const r0 = rowIndex[i]!,
        r1 = rowIndex[i + 1]!,
        r2 = rowIndex[i + 2]!,
        r3 = rowIndex[i + 3]!,
        r4 = rowIndex[i + 4]!;
      let any = 0;
      for (let j = 0; j < w; j++) {
        const acc =
          f0 * (previous[r0 + j]! - current[r0 + j]!) +
          f1 * (previous[r1 + j]! - current[r1 + j]!) +
          f2 * (previous[r2 + j]! - current[r2 + j]!) +
          f3 * (previous[r3 + j]! - current[r3 + j]!) +
          f4 * (previous[r4 + j]! - current[r4 + j]!);
        const value = (acc + round) >> shift;
        row[j + 2] = value;
        any |= value;
      }
      if (any === 0) continue;
      row[0] = row[colIndex[0]!]!;
      row[1] = row[colIndex[1]!]!;
      row[w + 2] = row[colIndex[w + 2]!]!;
      row[w + 3] = row[colIndex[w + 3]!]!;
      let rowSad = 0;
      for (let j = 0; j < w; j++) {
        const acc = f0 * row[j]! + f1 * row[j + 1]! + f2 * row[j + 2]! + f3 * row[j + 3]! + f4 * row[j + 4]!;
        const value = Math.floor((acc + 32768) / 65536);
        rowSad += value < 0 ? -value : value;
      }
      sad += rowSad;
    }
    return Math.fround(Math.fround(sad / 256) / (w * h));
  }
}
