import assert from 'node:assert/strict';
import { blurPlane, createRecursiveGaussian } from '../../server/src/metrics/blur';
import { cubeRootAndAdd, linearTable, linearToPositiveXyb, srgbToLinear } from '../../server/src/metrics/colour';
import { downscale2x2 } from '../../server/src/metrics/downscale';
import { edgeMapNorms } from '../../server/src/metrics/edge-map';
import { HARMONIC_FLOOR, isMetricPool, poolHarmonic, poolMetric } from '../../server/src/metrics/pooling';
import { ssimMapNorms } from '../../server/src/metrics/ssim-map';
import { Ssimulacra2DefinitionScorer, ssimulacra2Score, type ScaleNorms } from '../../server/src/metrics/ssimulacra2';
import { Ssimulacra2Scorer } from '../../server/src/metrics/ssimulacra2-wasm';
import { fusedKernelsUsable, type MetricKernelBuild } from '../../server/src/metrics/wasm/kernels';
import { XpsnrAccumulator, yuvPlanes } from '../../server/src/metrics/xpsnr';
import { XpsnrLumaKernel } from '../../server/src/metrics/xpsnr-luma-wasm';
import { lumaBlocks, newTemporalMemory, xpsnrAverageActivity, xpsnrBlockSize } from '../../server/src/metrics/xpsnr-weighting';
import { syntheticRgb, syntheticYuv } from './metrics-fixtures';

const close = (actual: number, expected: number, tolerance: number, what = '') =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} ${actual} vs ${expected} (±${tolerance})`);
const filled = (n: number, v: number) => new Float32Array(n).fill(v);

describe('metrics: colour transforms', () => {
  it('decodes sRGB: 0 → 0, 1 → 1, the linear toe and 0.5 → 0.21404', () => {
    assert.equal(srgbToLinear(0), 0);
    assert.equal(srgbToLinear(1), 1);
    close(srgbToLinear(0.04), 0.04 / 12.92, 1e-12);
    close(srgbToLinear(0.5), 0.214041, 1e-6);
    const table = linearTable(255);
    assert.equal(table[255], 1);
    assert.equal(linearTable(65535)[65535], 1);
  });

  it('approximates the cube root as libjxl does: within 6 float32 ulp', () => {
    for (const x of [1e-6, 0.0037930732552754493, 0.01, 0.2, 0.5, 0.9, 1])
      close(cubeRootAndAdd(x, 0), Math.cbrt(x), 6 * 1.2e-7 * Math.cbrt(x), `cbrt(${x})`);
    assert.equal(cubeRootAndAdd(0, 0.25), 0.25);
  });

  it('maps black and white to the positive-XYB corners (Y 0.01..0.855308, X 0.42, B 0.55)', () => {
    const planes: [Float32Array, Float32Array, Float32Array] = [
      new Float32Array([0, 1]),
      new Float32Array([0, 1]),
      new Float32Array([0, 1]),
    ];
    linearToPositiveXyb(planes, 2);
    close(planes[0][0]!, 0.42, 1e-6, 'X black');
    close(planes[1][0]!, 0.01, 1e-6, 'Y black');
    close(planes[2][0]!, 0.55, 1e-6, 'B black');
    close(planes[0][1]!, 0.42, 1e-6, 'X white');
    close(planes[1][1]!, 0.855308, 1e-6, 'Y white');
    close(planes[2][1]!, 0.55, 1e-6, 'B white');
  });

  it('downscales 2x2 blocks, repeating the last row and column of an odd size', () => {
    const out = new Float32Array(4);
    const size = downscale2x2(new Float32Array([1, 2, 3, 4, 5, 6]), 3, 2, out);
    assert.deepEqual(size, { width: 2, height: 1 });
    assert.deepEqual([...out.subarray(0, 2)], [3, 4.5]);
  });
});

describe('metrics: recursive Gaussian blur (sigma 1.5)', () => {
  const w = 40;
  const h = 30;
  const rg = createRecursiveGaussian(1.5);
  const blur = (input: Float32Array) => {
    const out = new Float32Array(w * h);
    blurPlane(rg, input, w, h, new Float32Array(w * h), out, new Float32Array(6 * w));
    return out;
  };

  it('has radius 5 and keeps a flat picture flat away from the (zero) border', () => {
    assert.equal(rg.radius, 5);
    const out = blur(filled(w * h, 0.5));
    close(out[15 * w + 20]!, 0.5, 1e-6);
    assert.ok(out[0]! < 0.35, 'the outside counts as zero');
  });

  it('spreads an impulse symmetrically, with a total weight of 1', () => {
    const input = new Float32Array(w * h);
    input[15 * w + 20] = 1;
    const out = blur(input);
    close(
      out.reduce((a, b) => a + b, 0),
      1,
      1e-5,
    );
    close(out[15 * w + 19]!, out[15 * w + 21]!, 1e-7);
    close(out[14 * w + 20]!, out[16 * w + 20]!, 1e-7);
    close(out[15 * w + 20]!, 0.2646 ** 2, 2e-4, 'peak');
  });
});

describe('metrics: SSIMULACRA2 maps and score', () => {
  it("SSIM' map: 0 for identical statistics; 1 - (1 - dmu²)·num/den otherwise", () => {
    const n = 4;
    assert.deepEqual(ssimMapNorms(filled(n, 0.5), filled(n, 0.5), filled(n, 0.26), filled(n, 0.26), filled(n, 0.26), n), [0, 0]);
    const [mean, norm4] = ssimMapNorms(filled(n, 0.5), filled(n, 0.4), filled(n, 0.26), filled(n, 0.17), filled(n, 0.2), n);
    const expected = 1 - (0.99 * 0.0009) / 0.0209;
    close(mean, expected, 1e-5);
    close(norm4, expected, 1e-5);
  });

  it('edge maps: new edges count as artifact, lost edges as detail lost, with 1- and 4-norms', () => {
    const n = 2;
    const flat = filled(n, 0.5);
    const edgy = new Float32Array([0.6, 0.5]);
    const [artifact, artifact4, lost, lost4] = edgeMapNorms(flat, flat, edgy, flat, n);
    close(artifact, 0.05, 1e-6);
    close(artifact4, Math.sqrt(Math.sqrt(0.1 ** 4 / 2)), 1e-6);
    assert.equal(lost + lost4, 0);
    const reverse = edgeMapNorms(edgy, flat, flat, flat, n);
    close(reverse[2], (1 - 1 / 1.1) / 2, 1e-6);
    assert.equal(reverse[0], 0);
  });

  it('scores identical frames 100, and a pinned synthetic pair (drift check without the corpus)', () => {
    const { reference, distorted } = syntheticRgb(64, 48);
    const scorer = new Ssimulacra2Scorer(64, 48, 8);
    assert.equal(scorer.score(reference, reference), 100);
    // Pinned from this implementation, which matches the reference corpus (docs/notes/metrics25.md).
    close(scorer.score(reference, distorted), 60.04372582233407, 1e-9);
    close(scorer.score(distorted, reference), 59.9331368393262, 1e-9);
    assert.equal(ssimulacra2Score([]), 100);
  });

  // Both kernel builds: `exact` (the fallback: emulated fused multiply-adds, pixel-order sums) bit for
  // bit; `fused` (relaxed_madd; where this CPU fuses it: x86-64 with FMA, arm64) to 1e-12 relative,
  // its map sums being added per SIMD lane (docs/notes/ssimu2fast.md).
  const builds: MetricKernelBuild[] = fusedKernelsUsable() ? ['exact', 'fused'] : ['exact'];
  const sameNorms = (build: MetricKernelBuild, actual: ScaleNorms[], expected: ScaleNorms[], what: string) => {
    if (build === 'exact') return assert.deepEqual(actual, expected, what);
    assert.equal(actual.length, expected.length, what);
    actual.forEach((scale, i) =>
      [...scale.ssim, ...scale.edge].forEach((v, j) => {
        const want = [...expected[i]!.ssim, ...expected[i]!.edge][j]!;
        close(v, want, 1e-12 * Math.abs(want), `${what} scale ${i} norm ${j}`);
      }),
    );
  };
  for (const build of builds)
    it(`the WebAssembly scorer (${build} build) computes every norm as the TypeScript definition (${build === 'exact' ? 'bit for bit' : 'to 1e-12'}; odd sizes, 16-bit, reused buffers)`, () => {
      for (const [w, h] of [
        [64, 48],
        [67, 45],
        [131, 77],
      ] as const) {
        const { reference, distorted } = syntheticRgb(w, h);
        const fast = new Ssimulacra2Scorer(w, h, 8, build);
        const definition = new Ssimulacra2DefinitionScorer(w, h, 8);
        sameNorms(build, fast.norms(reference, distorted), definition.norms(reference, distorted), `${w}x${h}`);
        sameNorms(build, fast.norms(distorted, reference), definition.norms(distorted, reference), `${w}x${h} again, swapped`);
        // rgb48le: the same pictures at 16 bits, with a low-order pattern the 8-bit table cannot see.
        const widen = (frame: Uint8Array) => Uint16Array.from(frame, (v, i) => v * 257 + (i % 7) * 3);
        const fast16 = new Ssimulacra2Scorer(w, h, 16, build);
        const definition16 = new Ssimulacra2DefinitionScorer(w, h, 16);
        sameNorms(
          build,
          fast16.norms(widen(reference), widen(distorted)),
          definition16.norms(widen(reference), widen(distorted)),
          `${w}x${h} 16-bit`,
        );
      }
    });
});

describe('metrics: XPSNR weighting', () => {
  it('the WebAssembly luma sums give the same blocks as the TypeScript ones (block widths 12, 20, 64; 3 frames)', () => {
    for (const [w, h] of [
      [320, 240],
      [642, 362],
      [1920, 200],
    ] as const) {
      const { reference, distorted } = syntheticYuv(w, h, 3);
      const kernel = new XpsnrLumaKernel(w, h);
      const memory = newTemporalMemory(w, h);
      let taken = 0;
      const rowSums: typeof kernel.rowSums = (...args) => (kernel.rowSums(...args) ? ++taken > 0 : false);
      for (let f = 0; f < 3; f++) {
        const org = reference[f]!.subarray(0, w * h);
        const rec = distorted[f]!.subarray(0, w * h);
        const fast = lumaBlocks(org, rec, w, h, 8, 24, kernel.temporalMemory, rowSums);
        const plain = lumaBlocks(org, rec, w, h, 8, 24, memory);
        assert.deepEqual(fast, plain, `${w}x${h} frame ${f}`);
      }
      assert.equal(taken, 3, 'the kernel took every frame');
      assert.deepEqual(kernel.temporalMemory.previous, memory.previous);
    }
  });

  it('block size 4·round(32·sqrt(W·H / 4K)), as the filter', () => {
    assert.equal(xpsnrBlockSize(320, 240), 12);
    assert.equal(xpsnrBlockSize(640, 360), 20);
    assert.equal(xpsnrBlockSize(1280, 720), 44);
    assert.equal(xpsnrBlockSize(1920, 1080), 64);
    close(xpsnrAverageActivity(3840, 2160, 8), Math.sqrt(16 * 128), 1e-9);
  });

  it('weights a flat block by its temporal activity: frame 0 against zeros, then the activity floor', () => {
    const w = 64;
    const h = 64;
    const flat = new Uint8Array(w * h).fill(128);
    const memory = newTemporalMemory(w, h);
    const first = lumaBlocks(flat, flat, w, h, 8, 24, memory);
    // |128 - 0| · 2 per pixel → 256, squared → weight 1/256.
    for (const weight of first.weights) close(weight, 1 / 256, 1e-12);
    const second = lumaBlocks(flat, flat, w, h, 8, 24, memory);
    // No activity at all: the floor 2^(8-6) = 4 → weight 1/4.
    for (const weight of second.weights) close(weight, 1 / 4, 1e-12);
  });

  it('a uniform error of 2 on a flat picture: wSSE = N · 4 / 4 · avg activity, the dB from it', () => {
    const layout = { width: 64, height: 64, chromaWidth: 32, chromaHeight: 32, bitDepth: 8 };
    const frame = (v: number) => new Uint8Array((64 * 64 * 3) / 2).fill(v);
    const xpsnr = new XpsnrAccumulator(layout, 24);
    const same = xpsnr.add(yuvPlanes(frame(128), layout), yuvPlanes(frame(128), layout));
    assert.deepEqual([same.y, same.u, same.v], [Infinity, Infinity, Infinity]);
    const second = xpsnr.add(yuvPlanes(frame(128), layout), yuvPlanes(frame(130), layout));
    const wsse = Math.floor(64 * 64 * xpsnrAverageActivity(64, 64, 8) + 0.5);
    close(second.y, 10 * Math.log10((64 * 64 * 255 ** 2) / wsse), 1e-9);
    close(second.weighted, (4 * second.y + second.u + second.v) / 6, 1e-12);
  });

  it('pinned synthetic frames, first- and second-order temporal paths, and the filter pooling', () => {
    const { reference, distorted } = syntheticYuv(96, 64, 3);
    const layout = { width: 96, height: 64, chromaWidth: 48, chromaHeight: 32, bitDepth: 8 };
    const run = (fps: number) => {
      const x = new XpsnrAccumulator(layout, fps);
      const frames = reference.map((r, i) => x.add(yuvPlanes(r, layout), yuvPlanes(distorted[i]!, layout)));
      return { frames, pooled: x.pooled() };
    };
    const slow = run(24);
    close(slow.frames[1]!.y, 34.81336164215164, 1e-9);
    close(slow.frames[2]!.u, 34.633931430664305, 1e-9);
    close(slow.pooled.y, 36.32417422142705, 1e-9);
    assert.equal(slow.pooled.minimum, slow.pooled.u);
    // The pooled value is not the mean of the per-frame values.
    assert.ok(Math.abs(slow.pooled.y - slow.frames.reduce((a, f) => a + f.y, 0) / 3) > 0.1);
    const fast = run(50);
    close(fast.frames[1]!.y, 40.54150735771128, 1e-9);
    close(fast.frames[2]!.y, 34.69685231263397, 1e-9);
  });
});

describe('metrics: pooling', () => {
  it('mean, harmonic mean, bottom percentiles', () => {
    assert.equal(poolMetric([1, 2, 3], 'mean'), 2);
    close(poolMetric([1, 2, 4], 'harmonic'), 3 / 1.75, 1e-12);
    assert.equal(poolMetric([5, 1, 3], 'p0'), 1);
    assert.equal(poolMetric([5, 1, 3], 'p50'), 3);
    assert.equal(poolMetric([5, 1, 3], 'p100'), 5);
    close(poolMetric([10, 20, 30, 40, 50], 'p5'), 12, 1e-12);
  });

  it('harmonic: a negative SSIMULACRA2 counts at the floor; infinite XPSNR adds nothing', () => {
    close(poolHarmonic([80, -20]), 2 / (1 / 80 + 1 / HARMONIC_FLOOR), 1e-12);
    assert.equal(poolHarmonic([Infinity, Infinity]), Infinity);
    close(poolHarmonic([40, Infinity]), 80, 1e-12);
  });

  it('accepts mean, harmonic and p0..p100 only', () => {
    for (const ok of ['mean', 'harmonic', 'p5', 'p10', 'p100', 'p2.5']) assert.ok(isMetricPool(ok), ok);
    for (const bad of ['harmonic_mean', 'min', 'p101', 'median', '']) assert.ok(!isMetricPool(bad), bad);
  });
});
