// @ts-nocheck -- AssemblyScript (v128 types), compiled to WebAssembly by scripts/build.mjs;
// the TypeScript program never imports it.
/**
 * VIF's per-pixel information terms of one filtered row (used by vifStatistic, vif.as.ts), four
 * pixels at a time and without branches, bit-identical to libvmaf integer_vif's scalar form:
 * sigma1², sigma2², sigma12 from the filtered moments; gain g and residual variance in f64x2 lanes;
 * then 2048·log2 of three exact integers per pixel through the table, the conditions as lane masks.
 */

const SIGMA_NSQ: i32 = 65536 * 2;
const EPS: f64 = 65536.0 * 1.0e-10;
const GAIN_LIMIT: f64 = 100.0;

/**
 * Adds one row's terms to the i64 sums at `acc` (numLog, denLog, numNonLog, denNonLog). The row
 * holds w filtered values of mu1, mu2 (Q16·Σ) and xx, yy, xy at hMu1.. (u32 each); numer1Row and
 * numerTmpRow are scratch rows of f64. Per pixel, as libvmaf: if sigma1² >= sigma_n², denLog
 * gains log2(sigma_n² + sigma1²) - 17 and, when sigma12 > 0 and sigma2² > 0, numLog gains
 * log2(numer1 + g²·sigma1²) - log2(numer1); otherwise numNonLog gains sigma2² and denNonLog 1.
 */
export function informationTerms(
  hMu1: usize,
  hMu2: usize,
  hXX: usize,
  hYY: usize,
  hXY: usize,
  w: i32,
  numer1Row: usize,
  numerTmpRow: usize,
  log2Table: usize,
  acc: usize,
): void {
  const zero = i32x4.splat(0),
    sigmaNsq = i32x4.splat(SIGMA_NSQ),
    nsqF = f64x2.splat(<f64>SIGMA_NSQ);
  const laneIndex = v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0);
  let numLog = zero,
    denLog = zero,
    nonLogCount = zero,
    numNonLog = i64x2.splat(0);
  for (let j = 0; j < w; j += 4) {
    const o = (<usize>j) << 2;
    const mu1 = v128.load(hMu1 + o),
      mu2 = v128.load(hMu2 + o);
    const s1 = i32x4.sub(v128.load(hXX + o), mulHigh32x4(mu1, mu1));
    const s2 = i32x4.max_s(i32x4.sub(v128.load(hYY + o), mulHigh32x4(mu2, mu2)), zero);
    const s12 = i32x4.sub(v128.load(hXY + o), mulHigh32x4(mu1, mu2));
    const n1 = numer1Row + ((<usize>j) << 3),
      nt = numerTmpRow + ((<usize>j) << 3);
    gainTerms(f64x2.convert_low_i32x4_s(s1), f64x2.convert_low_i32x4_s(s2), f64x2.convert_low_i32x4_s(s12), n1, nt);
    const s1h = i32x4.shuffle(s1, s1, 2, 3, 0, 1),
      s2h = i32x4.shuffle(s2, s2, 2, 3, 0, 1),
      s12h = i32x4.shuffle(s12, s12, 2, 3, 0, 1);
    gainTerms(f64x2.convert_low_i32x4_s(s1h), f64x2.convert_low_i32x4_s(s2h), f64x2.convert_low_i32x4_s(s12h), n1 + 16, nt + 16);
    // Lanes past the row end count for nothing.
    const inRow = i32x4.lt_s(i32x4.add(laneIndex, i32x4.splat(j)), i32x4.splat(w));
    const logged = v128.and(inRow, i32x4.ge_s(s1, sigmaNsq));
    const gained = v128.and(logged, v128.and(i32x4.gt_s(s12, zero), i32x4.gt_s(s2, zero)));
    const notLogged = v128.andnot(inRow, logged);
    // Skipped when no lane needs them (flat areas, mostly at the coarser scales).
    if (v128.any_true(logged)) {
      const den = log2Fixed4(f64x2.add(f64x2.convert_low_i32x4_s(s1), nsqF), f64x2.add(f64x2.convert_low_i32x4_s(s1h), nsqF), log2Table);
      denLog = i32x4.add(denLog, v128.and(i32x4.sub(den, i32x4.splat(2048 * 17)), logged));
    }
    if (v128.any_true(gained)) {
      const tmp = log2Fixed4(v128.load(nt), v128.load(nt, 16), log2Table);
      numLog = i32x4.add(numLog, v128.and(i32x4.sub(tmp, log2Fixed4(v128.load(n1), v128.load(n1, 16), log2Table)), gained));
    }
    const rest = v128.and(s2, notLogged);
    numNonLog = i64x2.add(numNonLog, i64x2.add(i64x2.extend_low_i32x4_s(rest), i64x2.extend_high_i32x4_s(rest)));
    nonLogCount = i32x4.sub(nonLogCount, notLogged);
  }
  store<i64>(acc, load<i64>(acc) + laneSum(numLog));
  store<i64>(acc, load<i64>(acc, 8) + laneSum(denLog), 8);
  store<i64>(acc, load<i64>(acc, 16) + i64x2.extract_lane(numNonLog, 0) + i64x2.extract_lane(numNonLog, 1), 16);
  store<i64>(acc, load<i64>(acc, 24) + laneSum(nonLogCount), 24);
}

/** The four i32 lanes summed in i64 (each lane's row sum fits i32: at most w/4 terms below 2^16). */
function laneSum(v: v128): i64 {
  return <i64>i32x4.extract_lane(v, 0) + <i64>i32x4.extract_lane(v, 1) + <i64>i32x4.extract_lane(v, 2) + <i64>i32x4.extract_lane(v, 3);
}

/**
 * 2048·log2(v) as the table form (for v >= 2^17: table[v >> s] + 2048·s with v >> s in
 * [2^15, 2^16)) for four exact integers held in f64, lanes 0-1 in `a` and 2-3 in `b`: the biased
 * exponent e gives s = e - 1023 - 15, the top 15 mantissa bits give v >> s - 2^15. Lanes with other
 * values give a value that the caller masks off (the table index always stays in range).
 */
function log2Fixed4(a: v128, b: v128, table: usize): v128 {
  const exponent = i32x4.shuffle(i64x2.shr_u(a, 52), i64x2.shr_u(b, 52), 0, 2, 4, 6);
  const top = i64x2.splat(0x7fff);
  const index = i32x4.shuffle(v128.and(i64x2.shr_u(a, 37), top), v128.and(i64x2.shr_u(b, 37), top), 0, 2, 4, 6);
  const upper = table + (32768 << 2);
  let value = i32x4.splat(load<i32>(upper + ((<usize>i32x4.extract_lane(index, 0)) << 2)));
  value = i32x4.replace_lane(value, 1, load<i32>(upper + ((<usize>i32x4.extract_lane(index, 1)) << 2)));
  value = i32x4.replace_lane(value, 2, load<i32>(upper + ((<usize>i32x4.extract_lane(index, 2)) << 2)));
  value = i32x4.replace_lane(value, 3, load<i32>(upper + ((<usize>i32x4.extract_lane(index, 3)) << 2)));
  return i32x4.add(value, i32x4.shl(i32x4.sub(v128.and(exponent, i32x4.splat(0x7ff)), i32x4.splat(1023 + 15)), 11));
}

/** (a·b + 2^31) >> 32 per u32 lane, through u64 products. */
function mulHigh32x4(a: v128, b: v128): v128 {
  const round = i64x2.splat(2147483648);
  const lo = i64x2.shr_u(i64x2.add(i64x2.extmul_low_i32x4_u(a, b), round), 32);
  const hi = i64x2.shr_u(i64x2.add(i64x2.extmul_high_i32x4_u(a, b), round), 32);
  return i32x4.shuffle(lo, hi, 0, 2, 4, 6);
}

/**
 * For two lanes of (sigma1², sigma2², sigma12) as f64: numer1 = sv² + sigma_n² and
 * numer1 + trunc(g²·sigma1²), where g = sigma12 / (sigma1² + eps) is clamped to 100 after the
 * residual sv² = max(0, trunc(sigma2² - g·sigma12)) is taken, as libvmaf orders it.
 */
function gainTerms(s1: v128, s2: v128, s12: v128, numer1At: usize, numerTmpAt: usize): void {
  let g = f64x2.div(s12, f64x2.add(s1, f64x2.splat(EPS)));
  let sv = f64x2.trunc(f64x2.sub(s2, f64x2.mul(g, s12)));
  sv = f64x2.pmax(sv, f64x2.splat(0));
  g = f64x2.pmin(g, f64x2.splat(GAIN_LIMIT));
  const numer1 = f64x2.add(sv, f64x2.splat(<f64>SIGMA_NSQ));
  v128.store(numer1At, numer1);
  v128.store(numerTmpAt, f64x2.add(f64x2.trunc(f64x2.mul(f64x2.mul(g, g), s1)), numer1));
}
