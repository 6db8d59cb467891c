import assert from 'node:assert/strict';
import { AdmComputer } from '../../server/src/vmaf/builtin/adm';
import { FrameFeatureComputer } from '../../server/src/vmaf/builtin/frame-features';
import { MotionComputer } from '../../server/src/vmaf/builtin/motion';
import { VifComputer } from '../../server/src/vmaf/builtin/vif';
import { AdmComputer as OracleAdm } from './vmaf-oracle/adm';
import { MotionComputer as OracleMotion } from './vmaf-oracle/motion';
import { VifComputer as OracleVif } from './vmaf-oracle/vif';

/**
 * The WebAssembly SIMD kernels against the pre-port TypeScript implementation (test/unit/
 * vmaf-oracle, Float64 holding exact integers): on random textured frames of odd and small
 * sizes, 8- and 10-bit, every feature must be bit-identical. (The reference-corpus test checks
 * both against libvmaf; this one covers sizes, depths and content the corpus does not.)
 */
function randomPair(width: number, height: number, depth: number, seed: number): [Uint8Array | Uint16Array, Uint8Array | Uint16Array] {
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const max = (1 << depth) - 1;
  const make = () => (depth > 8 ? new Uint16Array(width * height) : new Uint8Array(width * height));
  const ref = make(),
    dis = make();
  for (let i = 0; i < width * height; i++) {
    const texture = 0.5 + 0.3 * Math.sin(i / 7) * Math.cos(i / (width + 3));
    ref[i] = Math.min(max, Math.floor((texture + 0.2 * random()) * max));
    dis[i] = Math.min(max, Math.max(0, ref[i]! + Math.round((random() - 0.5) * max * 0.1)));
  }
  return [ref, dis];
}

const SIZES: [number, number][] = [
  [97, 61],
  [131, 77],
  [64, 48],
  [33, 35],
  [321, 241],
];

describe('vmaf built-in WebAssembly kernels', () => {
  for (const depth of [8, 10]) {
    for (const [w, h] of SIZES) {
      it(`${w}x${h} ${depth}-bit: VIF, ADM and motion equal the TypeScript oracle exactly`, () => {
        const [ref, dis] = randomPair(w, h, depth, w * 7 + h + depth);
        assert.deepEqual(new VifComputer(w, h, depth).compute(ref, dis).scales, new OracleVif(w, h, depth).compute(ref, dis).scales);
        const adm = new AdmComputer(w, h, depth).compute(ref, dis),
          oracleAdm = new OracleAdm(w, h, depth).compute(ref, dis);
        assert.deepEqual(adm.scales, oracleAdm.scales);
        assert.equal(adm.adm2, oracleAdm.adm2);
        assert.equal(new MotionComputer(w, h, depth).score(ref, dis), new OracleMotion(w, h, depth).score(ref, dis));
      });
    }
  }

  for (const depth of [8, 10]) {
    it(`${depth}-bit extremes (inverted frame, black against white, hard edges): equal the oracle exactly`, () => {
      const w = 131,
        h = 77,
        max = (1 << depth) - 1;
      const [ref] = randomPair(w, h, depth, 5);
      const make = (value: (k: number) => number) => {
        const out = depth > 8 ? new Uint16Array(w * h) : new Uint8Array(w * h);
        for (let k = 0; k < w * h; k++) out[k] = value(k);
        return out;
      };
      const inverted = make((k) => max - ref[k]!);
      const checker = make((k) => ((((k % w) >> 2) + (Math.floor(k / w) >> 2)) % 2 === 0 ? 0 : max));
      const black = make(() => 0),
        white = make(() => max);
      for (const [a, b] of [
        [ref, inverted],
        [checker, black],
        [black, white],
        [checker, inverted],
      ] as const) {
        assert.deepEqual(new VifComputer(w, h, depth).compute(a, b).scales, new OracleVif(w, h, depth).compute(a, b).scales);
        assert.equal(new AdmComputer(w, h, depth).compute(a, b).adm2, new OracleAdm(w, h, depth).compute(a, b).adm2);
        assert.equal(new MotionComputer(w, h, depth).score(a, b), new OracleMotion(w, h, depth).score(a, b));
      }
    });
  }

  it('the per-frame computer (one shared kernel instance, reused across frames) gives the same features', () => {
    const w = 97,
      h = 61,
      depth = 10;
    const frames = [1, 2, 3].map((seed) => randomPair(w, h, depth, seed));
    const computer = new FrameFeatureComputer(w, h, depth);
    const bytes = (plane: Uint8Array | Uint16Array) => new Uint8Array(plane.buffer, plane.byteOffset, plane.byteLength);
    for (let k = 1; k < frames.length; k++) {
      const [ref, dis] = frames[k]!,
        previous = frames[k - 1]![0];
      const features = computer.compute({
        id: k,
        width: w,
        height: h,
        bitDepth: depth,
        reference: bytes(ref),
        distorted: bytes(dis),
        scored: true,
        previousReference: bytes(previous),
        nextReference: bytes(dis),
      });
      assert.deepEqual(features.vif, new OracleVif(w, h, depth).compute(ref, dis).scales);
      assert.equal(features.adm2, new OracleAdm(w, h, depth).compute(ref, dis).adm2);
      assert.equal(features.motionToPrevious, new OracleMotion(w, h, depth).score(previous, ref));
      assert.equal(features.motionToNext, new OracleMotion(w, h, depth).score(ref, dis));
    }
  });
});
