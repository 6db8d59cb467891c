import { f32, fma } from './float32';

/**
 * SSIMULACRA2's Gaussian blur (sigma 1.5): libjxl's recursive approximation (Charalampidis 2016,
 * "Recursive implementation of the Gaussian filter using truncated cosine functions"), three
 * second-order IIR terms, zero outside the picture; rows first, then columns. The coefficients
 * are derived in double and used as float32; the row pass runs four outputs at a time, with the
 * same expanded coefficients as the reference's 4-lane code, so that it rounds alike.
 */
export interface RecursiveGaussian {
  radius: number;
  /** Per term k = 1, 3, 5: the input weight and the feedback coefficient of eq. (33). */
  n2: Float32Array;
  d1: Float32Array;
  /** The 4-output expansion of eq. (35): [term * 4 + lane]. */
  mulIn: Float32Array;
  mulPrev: Float32Array;
  mulPrev2: Float32Array;
}

function invert3x3(m: number[]): number[] {
  const t = [
    m[4]! * m[8]! - m[5]! * m[7]!,
    m[2]! * m[7]! - m[1]! * m[8]!,
    m[1]! * m[5]! - m[2]! * m[4]!,
    m[5]! * m[6]! - m[3]! * m[8]!,
    m[0]! * m[8]! - m[2]! * m[6]!,
    m[2]! * m[3]! - m[0]! * m[5]!,
    m[3]! * m[7]! - m[4]! * m[6]!,
    m[1]! * m[6]! - m[0]! * m[7]!,
    m[0]! * m[4]! - m[1]! * m[3]!,
  ];
  const det = m[0]! * t[0]! + m[1]! * t[3]! + m[2]! * t[6]!;
  const inverse = 1 / det;
  return t.map((v) => v * inverse);
}

export function createRecursiveGaussian(sigma: number): RecursiveGaussian {
  const radius = Math.round(f32(3.2795 * sigma + 0.2546));
  const piDiv2r = Math.PI / (2 * radius);
  const omega = [piDiv2r, 3 * piDiv2r, 5 * piDiv2r];
  const p1 = 1 / Math.tan(0.5 * omega[0]!);
  const p3 = -1 / Math.tan(0.5 * omega[1]!);
  const p5 = 1 / Math.tan(0.5 * omega[2]!);
  const r1 = (p1 * p1) / Math.sin(omega[0]!);
  const r3 = (-p3 * p3) / Math.sin(omega[1]!);
  const r5 = (p5 * p5) / Math.sin(omega[2]!);
  const negHalfSigma2 = -0.5 * sigma * sigma;
  const rho = omega.map((o) => Math.exp(negHalfSigma2 * o * o) * (1 / radius));
  const d13 = p1 * r3 - r1 * p3;
  const d35 = p3 * r5 - r3 * p5;
  const d51 = p5 * r1 - r5 * p1;
  const zeta15 = d35 * (1 / d13);
  const zeta35 = d51 * (1 / d13);
  const a = invert3x3([p1, p3, p5, r1, r3, r5, zeta15, zeta35, 1]);
  const gamma = [1, radius * radius - sigma * sigma, zeta15 * rho[0]! + zeta35 * rho[1]! + rho[2]!];
  const beta = [0, 1, 2].map((i) => a[3 * i]! * gamma[0]! + a[3 * i + 1]! * gamma[1]! + a[3 * i + 2]! * gamma[2]!);
  const rg: RecursiveGaussian = {
    radius,
    n2: new Float32Array(3),
    d1: new Float32Array(3),
    mulIn: new Float32Array(12),
    mulPrev: new Float32Array(12),
    mulPrev2: new Float32Array(12),
  };
  for (let i = 0; i < 3; i++) {
    const n2 = -beta[i]! * Math.cos(omega[i]! * (radius + 1));
    const d1 = -2 * Math.cos(omega[i]!);
    const d2 = d1 * d1;
    rg.n2[i] = n2;
    rg.d1[i] = d1;
    rg.mulPrev.set([-d1, d2 - 1, -d2 * d1 + 2 * d1, d2 * d2 - 3 * d2 + 1], 4 * i);
    rg.mulPrev2.set([-1, d1, -d2 + 1, d2 * d1 - 2 * d1], 4 * i);
    rg.mulIn.set([n2, -d1 * n2, d2 * n2 - n2, -d2 * d1 * n2 + 2 * d1 * n2], 4 * i);
  }
  return rg;
}

/**
 * One row: zero outside, outputs from n = 0; a scalar head, a 4-at-a-time body and a scalar tail
 * as the reference's 4-lane code (written out with scalars: this is the hot loop).
 */
function blurRow(rg: RecursiveGaussian, input: Float32Array, start: number, width: number, out: Float32Array): void {
  const N = rg.radius;
  const mi = rg.mulIn;
  const mp = rg.mulPrev;
  const mq = rg.mulPrev2;
  // prev (p) and prev2 (q) of the three terms.
  let p1 = 0;
  let p3 = 0;
  let p5 = 0;
  let q1 = 0;
  let q3 = 0;
  let q5 = 0;
  const firstAligned = Math.ceil((N + 1) / 4) * 4;
  const bodyEnd = width - N + 1 - 3;
  let n = -N + 1;
  for (;;) {
    const scalar = n < Math.min(firstAligned, width) || (n >= bodyEnd && n < width);
    if (scalar) {
      const left = n - N - 1;
      const right = n + N - 1;
      const sum = f32((left >= 0 ? input[start + left]! : 0) + (right < width ? input[start + right]! : 0));
      const o1 = fma(mp[0]!, p1, fma(mq[0]!, q1, f32(sum * mi[0]!)));
      const o3 = fma(mp[4]!, p3, fma(mq[4]!, q3, f32(sum * mi[4]!)));
      const o5 = fma(mp[8]!, p5, fma(mq[8]!, q5, f32(sum * mi[8]!)));
      q1 = p1;
      q3 = p3;
      q5 = p5;
      p1 = o1;
      p3 = o3;
      p5 = o5;
      if (n >= 0) out[start + n] = f32(o1 + f32(o3 + o5));
      n++;
      continue;
    }
    if (n >= width) break;
    const base = start + n - N - 1;
    const s0 = f32(input[base]! + input[base + 2 * N]!);
    const s1 = f32(input[base + 1]! + input[base + 1 + 2 * N]!);
    const s2 = f32(input[base + 2]! + input[base + 2 + 2 * N]!);
    const s3 = f32(input[base + 3]! + input[base + 3 + 2 * N]!);
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (let k = 0; k < 3; k++) {
      const b = 4 * k;
      const p = k === 0 ? p1 : k === 1 ? p3 : p5;
      const q = k === 0 ? q1 : k === 1 ? q3 : q5;
      const o0 = fma(mp[b]!, p, fma(mq[b]!, q, f32(s0 * mi[b]!)));
      const o1 = fma(mp[b + 1]!, p, fma(mq[b + 1]!, q, fma(mi[b]!, s1, f32(s0 * mi[b + 1]!))));
      const o2 = fma(mp[b + 2]!, p, fma(mq[b + 2]!, q, fma(mi[b]!, s2, fma(mi[b + 1]!, s1, f32(s0 * mi[b + 2]!)))));
      const o3 = fma(mp[b + 3]!, p, fma(mq[b + 3]!, q, fma(mi[b]!, s3, fma(mi[b + 1]!, s2, fma(mi[b + 2]!, s1, f32(s0 * mi[b + 3]!))))));
      if (k === 0) {
        q1 = o2;
        p1 = o3;
        t0 = o0;
        t1 = o1;
        t2 = o2;
        t3 = o3;
      } else if (k === 1) {
        q3 = o2;
        p3 = o3;
        // (o1_term + (o3_term + o5_term)): keep the 3-term's outputs until the 5-term's are known.
        u0 = o0;
        u1 = o1;
        u2 = o2;
        u3 = o3;
      } else {
        q5 = o2;
        p5 = o3;
        out[start + n] = f32(t0 + f32(u0 + o0));
        out[start + n + 1] = f32(t1 + f32(u1 + o1));
        out[start + n + 2] = f32(t2 + f32(u2 + o2));
        out[start + n + 3] = f32(t3 + f32(u3 + o3));
      }
    }
    n += 4;
  }
}
let u0 = 0;
let u1 = 0;
let u2 = 0;
let u3 = 0;

/** Rows of `input` into `temp`, then columns of `temp` into `out`. `state` holds 6 rows of width floats. */
export function blurPlane(
  rg: RecursiveGaussian,
  input: Float32Array,
  w: number,
  h: number,
  temp: Float32Array,
  out: Float32Array,
  state: Float32Array,
): void {
  for (let y = 0; y < h; y++) blurRow(rg, input, y * w, w, temp);
  blurColumns(rg, temp, w, h, out, state);
}

/** Every column at once, row by row: y_k[n] = n2_k * (in[n-N-1] + in[n+N-1]) - d1_k * y_k[n-1] - y_k[n-2], fused as the reference. */
function blurColumns(rg: RecursiveGaussian, input: Float32Array, w: number, h: number, out: Float32Array, state: Float32Array): void {
  const N = rg.radius;
  state.fill(0, 0, 6 * w);
  const n2a = rg.n2[0]!;
  const n2b = rg.n2[1]!;
  const n2c = rg.n2[2]!;
  const d1a = rg.d1[0]!;
  const d1b = rg.d1[1]!;
  const d1c = rg.d1[2]!;
  // state rows: [y1(n-1), y1(n-2), y3(n-1), y3(n-2), y5(n-1), y5(n-2)]
  const a1 = 0;
  const a2 = w;
  const b1 = 2 * w;
  const b2 = 3 * w;
  const c1 = 4 * w;
  const c2 = 5 * w;
  for (let n = -N + 1; n < h; n++) {
    const top = n - N - 1;
    const bottom = n + N - 1;
    const topRow = top >= 0 ? top * w : -1;
    const bottomRow = bottom < h ? bottom * w : -1;
    const outRow = n * w;
    for (let x = 0; x < w; x++) {
      let sum: number;
      if (topRow >= 0) sum = bottomRow >= 0 ? f32(input[topRow + x]! + input[bottomRow + x]!) : f32(input[topRow + x]! + 0);
      else sum = bottomRow >= 0 ? input[bottomRow + x]! : 0;
      const ya = f32(n2a * sum + f32(-(d1a * state[a1 + x]!) - state[a2 + x]!));
      const yb = f32(n2b * sum + f32(-(d1b * state[b1 + x]!) - state[b2 + x]!));
      const yc = f32(n2c * sum + f32(-(d1c * state[c1 + x]!) - state[c2 + x]!));
      state[a2 + x] = state[a1 + x]!;
      state[a1 + x] = ya;
      state[b2 + x] = state[b1 + x]!;
      state[b1 + x] = yb;
      state[c2 + x] = state[c1 + x]!;
      state[c1 + x] = yc;
      if (n >= 0) out[outRow + x] = f32(ya + f32(yb + yc));
    }
  }
}
