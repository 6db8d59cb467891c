/**
 * Which frames a VMAF measurement scores: frames 0, N, 2N, … for a stride N, the set libvmaf's
 * `n_subsample=N` scores, so both engines score the same frames (and the built-in engine can be
 * checked against libvmaf's reference scores at any stride).
 *
 * The stride must not share a factor with the encoder's frame structure. SVT-AV1 codes in
 * 16-frame mini-GOPs (hierarchical levels; 32 frames with 6 levels): positions 0 and 8 are its
 * best-coded layers, so stride 8 scores only them and overstated the every-frame VMAF by up to
 * ~3 points (issue #16); any even stride leaves out the odd positions, the worst-coded layer. An
 * odd stride is co-prime with every power of two, so its frames walk through every position of
 * the mini-GOP (stride 3: 0, 3, 6, 9, 12, 15, 2, 5, …; 7: 0, 7, 14, 5, 12, 3, 10, 1, 8, …), and
 * with scoredFrameWeights the pooled score estimates the every-frame one (docs/notes/vmaf-bias.md
 * has the measurements: what is left is sampling error, smaller the more frames are scored).
 */

/** Frames per mini-GOP of SVT-AV1 at its default hierarchical levels (the longest we know of: 32). */
export const ENCODER_MINI_GOP_FRAMES = 16;

/** A whole number >= 1 (a stride of 1 scores every frame). */
export function normaliseStride(subsample: number): number {
  const stride = Math.floor(subsample);
  if (!(stride >= 1)) throw new RangeError(`VMAF subsample must be a whole number >= 1, got ${subsample}`);
  return stride;
}

/** Whether frame `index` (0-based, from the first frame of both inputs) is scored at `stride`. */
export function isScoredFrame(index: number, stride: number): boolean {
  return index % stride === 0;
}

/** The scored frames of a measurement of `frameCount` frames, in order. */
export function scoredFrameIndices(frameCount: number, stride: number): number[] {
  const frames: number[] = [];
  for (let index = 0; index < frameCount; index += stride) frames.push(index);
  return frames;
}

export function scoredFrameCount(frameCount: number, stride: number): number {
  return Math.ceil(Math.max(0, frameCount) / stride);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Whether scoring every `stride`-th frame samples only some positions of a `miniGop`-frame
 * structure (they share a factor), and so can be biased by how the encoder spends its bits
 * across those positions. Stride 1 (every frame) never is.
 */
export function aliasesWithMiniGop(stride: number, miniGop = ENCODER_MINI_GOP_FRAMES): boolean {
  return stride > 1 && gcd(stride, miniGop) > 1;
}

/** The mini-GOP positions (index mod `miniGop`) a stride's frames visit, sorted. */
export function miniGopPositions(stride: number, miniGop = ENCODER_MINI_GOP_FRAMES): number[] {
  const seen = new Set<number>();
  for (let index = 0; !seen.has(index % miniGop); index += stride) seen.add(index % miniGop);
  return [...seen].sort((a, b) => a - b);
}

/**
 * How many frames each scored frame stands for when the scores are pooled, so a subsampled pool
 * estimates the every-frame pool of the same kind. Frame 0 stands for itself alone: VMAF's motion
 * is 0 there by definition (libvmaf's too), so it scores unlike any other frame (measured: 69 where
 * its neighbours score 88-92, on grainy content), and counted as one frame in N/stride it pulled
 * stride 7's harmonic mean 1.4 under the every-frame one on a 120-frame encode. Every other scored
 * frame stands for the `stride` frames up to it, the last one also for those after it. The
 * weights add up to `frameCount`.
 */
export function scoredFrameWeights(frameCount: number, stride: number): number[] {
  const count = scoredFrameCount(frameCount, stride);
  if (count === 0) return [];
  if (count === 1) return [frameCount];
  const weights = [1, ...Array.from({ length: count - 1 }, () => stride)];
  const last = (count - 1) * stride;
  weights[count - 1] = stride + (frameCount - 1 - last);
  return weights;
}

/** The scores with each repeated by its weight: what every pool (mean, harmonic mean, pN) then reads. */
export function weightedScores(scores: readonly number[], weights: readonly number[]): number[] {
  if (scores.length !== weights.length) throw new RangeError(`${scores.length} scores for ${weights.length} weights`);
  const out: number[] = [];
  scores.forEach((score, i) => {
    for (let k = 0; k < weights[i]!; k++) out.push(score);
  });
  return out;
}
