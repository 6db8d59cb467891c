import assert from 'node:assert/strict';
import { AdmComputer } from '../../server/src/vmaf/builtin/adm';
import { MotionComputer, motion2 } from '../../server/src/vmaf/builtin/motion';
import { VifComputer } from '../../server/src/vmaf/builtin/vif';

/** A deterministic textured 8-bit plane. */
function plane(width: number, height: number, seed: number, depth = 8): Uint8Array | Uint16Array {
  const out = depth > 8 ? new Uint16Array(width * height) : new Uint8Array(width * height);
  const max = (1 << depth) - 1;
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) {
      const v = 0.5 + 0.3 * Math.sin((j + seed) / 5) * Math.cos((i - seed) / 7) + 0.15 * Math.sin((i * j + seed) / 13);
      out[i * width + j] = Math.round(Math.min(1, Math.max(0, v)) * max);
    }
  }
  return out;
}

describe('vmaf built-in features', () => {
  const w = 96,
    h = 64;

  it('VIF is 1 at every scale and ADM2 is 1 when the distorted frame equals the reference', () => {
    const ref = plane(w, h, 1);
    const vif = new VifComputer(w, h, 8).compute(ref, ref).scales;
    for (const s of vif) assert.ok(Math.abs(s - 1) < 1e-6, `vif ${s}`);
    assert.ok(Math.abs(new AdmComputer(w, h, 8).compute(ref, ref).adm2 - 1) < 1e-4);
  });

  it('features fall when the frame is degraded, and 10-bit agrees with 8-bit content', () => {
    const ref = plane(w, h, 1);
    const blurred = Uint8Array.from(ref, (v, k) => Math.round((v + ref[Math.max(0, k - 1)]! + ref[Math.min(ref.length - 1, k + 1)]!) / 3));
    const vif8 = new VifComputer(w, h, 8).compute(ref, blurred).scales[0];
    const adm8 = new AdmComputer(w, h, 8).compute(ref, blurred).adm2;
    assert.ok(vif8 < 0.95 && vif8 > 0.2, `vif ${vif8}`);
    assert.ok(adm8 < 0.99 && adm8 > 0.5, `adm ${adm8}`);
    const ref10 = Uint16Array.from(ref, (v) => v * 4),
      blurred10 = Uint16Array.from(blurred, (v) => v * 4);
    const vif10 = new VifComputer(w, h, 10).compute(ref10, blurred10).scales[0];
    const adm10 = new AdmComputer(w, h, 10).compute(ref10, blurred10).adm2;
    assert.ok(Math.abs(vif10 - vif8) < 0.01, `${vif10} vs ${vif8}`);
    assert.ok(Math.abs(adm10 - adm8) < 0.01, `${adm10} vs ${adm8}`);
  });

  it('motion is 0 for identical frames, grows with change, and motion2 takes the smaller neighbour', () => {
    const motion = new MotionComputer(w, h, 8);
    const a = plane(w, h, 1),
      b = plane(w, h, 3);
    assert.equal(motion.score(a, a), 0);
    const ab = motion.score(a, b);
    assert.ok(ab > 0.5, `motion ${ab}`);
    // a uniform shift by 4 code values: blurred difference is 4 everywhere → 4 * 256 / 256 per pixel
    assert.equal(
      motion.score(
        Uint8Array.from(a, (v) => Math.min(255, v + 4)),
        Uint8Array.from(a, (v) => Math.min(255, v + 4) - 4),
      ),
      4,
    );
    assert.equal(motion2(0, 10, undefined, 3), 0);
    assert.equal(motion2(4, 10, 2, 3), 2);
    assert.equal(motion2(9, 10, 5, undefined), 5);
  });
});
