/**
 * bench/vmaf-sampling — how far each choice of scored frames moves VMAF from the every-frame
 * score of the same pool, on SVT-AV1 encodes (issue #16: stride 8 scores only the best-coded
 * layers of SVT-AV1's 16-frame mini-GOPs), and what each costs.
 *
 *   node -r ./test/register.cjs bench/vmaf-sampling.ts [--presets 6,8,10] [--crfs 32,44]
 *        [--frames 160] [--size 640x360] [--strides 1,3,5,7,8,13] [--out FILE]
 *
 * Content: bench/target-quality's three parts (static smptebars, testsrc2 with film-like noise,
 * mandelbrot), each generated with lavfi, kept lossless (ffvhuff 10-bit) as the reference and
 * encoded with libsvtav1 at every preset x CRF (10-bit, as the product encodes). Each encode is
 * scored once on every frame with the built-in engine; each scheme's pooled score is computed on
 * its frames of those per-frame scores (for a stride also weighted as the product pools them,
 * frame-set.ts's scoredFrameWeights), so the bias is the scheme's alone (the built-in engine
 * gives a frame the same score at any stride: motion reads the scored frame's neighbours). The
 * stride schemes are then run for real (one thread, on each content's first encode) for their
 * cost, and their reported score is checked against the subset's.
 *
 * Schemes: `stride N` (frames 0, N, 2N, …; libvmaf's n_subsample, both engines can do it);
 * `stride 8, rotating offset` (one frame per 8, at position 3k mod 8 in the k-th block) and
 * `stratified random 1/8` (one frame per 8 at a seeded random position) need a frame list
 * libvmaf's filter cannot take, so they are measured here only as the alternatives.
 */
import { ffmpegSync } from '../test/helpers/clips';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ENCODER_MINI_GOP_FRAMES, scoredFrameIndices, scoredFrameWeights, weightedScores } from '../server/src/vmaf/frame-set';
import { measureVmaf } from '../server/src/vmaf';
import { poolHarmonicMean, poolMean } from '../server/src/vmaf/pooling';

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

const numbers = (text: string) => text.split(',').map(Number);

const CONTENT: Record<string, (size: string) => string> = {
  'static bars': (size) => `smptebars=s=${size}:r=24`,
  'testsrc2 + grain': (size) => `testsrc2=s=${size}:r=24,noise=alls=14:allf=t`,
  mandelbrot: (size) => `mandelbrot=s=${size}:r=24`,
};

/** A deterministic PRNG (mulberry32), so the random scheme's frames are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Scheme {
  name: string;
  stride?: number;
  frames: (count: number) => number[];
}

function schemes(strides: number[]): Scheme[] {
  const list: Scheme[] = strides.map((stride) => ({
    name: stride === 1 ? 'every frame' : `stride ${stride}`,
    stride,
    frames: (n) => scoredFrameIndices(n, stride),
  }));
  list.push({
    name: 'stride 8, rotating offset',
    frames: (n) => Array.from({ length: Math.ceil(n / 8) }, (_, k) => 8 * k + ((3 * k) % 8)).filter((i) => i < n),
  });
  list.push({
    name: 'stratified random 1/8 (seed 1)',
    frames: (n) => {
      const random = seeded(1);
      return Array.from({ length: Math.ceil(n / 8) }, (_, k) => 8 * k + Math.floor(random() * 8)).filter((i) => i < n);
    },
  });
  return list;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const presets = numbers(flag('presets', '6,8,10'));
  const crfs = numbers(flag('crfs', '32,44'));
  const frames = Number(flag('frames', '160'));
  const size = flag('size', '640x360');
  const strides = numbers(flag('strides', '1,3,5,7,8,13'));
  const list = schemes(strides);
  const dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-vmaf-sampling-'));
  const rows: Record<string, unknown>[] = [];
  const positions: Record<string, number[]> = {};
  try {
    for (const [content, source] of Object.entries(CONTENT)) {
      const reference = path.join(dir, `${content.replace(/\W+/g, '-')}.mkv`);
      ffmpegSync(['-f', 'lavfi', '-i', source(size), '-frames:v', String(frames), '-pix_fmt', 'yuv420p10le', '-c:v', 'ffvhuff', reference]);
      for (const preset of presets) {
        for (const crf of crfs) {
          const encoded = path.join(dir, `p${preset}-crf${crf}.mkv`);
          ffmpegSync([
            '-i',
            reference,
            '-c:v',
            'libsvtav1',
            '-crf',
            String(crf),
            '-preset',
            String(preset),
            '-g',
            '240',
            '-pix_fmt',
            'yuv420p10le',
            encoded,
          ]);
          const all = await measureVmaf(reference, encoded, { subsample: 1, engine: 'builtin', threads: 2 });
          const scores = all.frames.map((f) => f.vmaf);
          const byPosition = Array.from({ length: ENCODER_MINI_GOP_FRAMES }, (_, p) =>
            poolMean(scores.filter((_, i) => i % ENCODER_MINI_GOP_FRAMES === p)),
          );
          positions[`${content}, preset ${preset}, crf ${crf}`] = byPosition.map((v) => round(v));
          const truth = { harmonic_mean: poolHarmonicMean(scores), mean: poolMean(scores) };
          for (const scheme of list) {
            const picked = scheme.frames(scores.length).map((i) => scores[i]!);
            const row: Record<string, unknown> = {
              content,
              preset,
              crf,
              scheme: scheme.name,
              everyFrameHarmonic: round(truth.harmonic_mean),
              biasHarmonic: round(poolHarmonicMean(picked) - truth.harmonic_mean),
              biasMean: round(poolMean(picked) - truth.mean),
              // The product's pool at a stride: frame 0 weighs 1, the others the frames they stand for.
              ...(scheme.stride === undefined
                ? {}
                : (() => {
                    const weighted = weightedScores(picked, scoredFrameWeights(scores.length, scheme.stride));
                    return {
                      weightedBiasHarmonic: round(poolHarmonicMean(weighted) - truth.harmonic_mean),
                      weightedBiasMean: round(poolMean(weighted) - truth.mean),
                    };
                  })()),
              framesScored: picked.length,
              framesDecoded: scores.length,
            };
            // Timed once per content (the cost hardly depends on preset or CRF; the machine is shared).
            if (scheme.stride !== undefined && preset === presets[0] && crf === crfs[0]) {
              const started = performance.now();
              const run = await measureVmaf(reference, encoded, {
                subsample: scheme.stride,
                engine: 'builtin',
                threads: 1,
                pool: 'harmonic_mean',
              });
              row.seconds = round((performance.now() - started) / 1000);
              // The engine's own score at this stride against the subset of the every-frame run.
              row.engineMinusSubset = round(
                run.score - poolHarmonicMean(weightedScores(picked, scoredFrameWeights(scores.length, scheme.stride))),
                4,
              );
            }
            rows.push(row);
            process.stderr.write(`${JSON.stringify(row)}\n`);
          }
          rmSync(encoded);
        }
      }
    }
    const summary = list.map((scheme) => {
      const mine = rows.filter((r) => r.scheme === scheme.name);
      const worst = (key: string) => (mine[0]![key] === undefined ? null : round(Math.max(...mine.map((r) => Math.abs(r[key] as number)))));
      const timed = mine.filter((r) => typeof r.seconds === 'number');
      return {
        scheme: scheme.name,
        worstAbsBiasHarmonic: worst('biasHarmonic'),
        worstAbsBiasMean: worst('biasMean'),
        worstAbsWeightedBiasHarmonic: worst('weightedBiasHarmonic'),
        worstAbsWeightedBiasMean: worst('weightedBiasMean'),
        meanBiasHarmonic: round(mine.reduce((s, r) => s + (r.biasHarmonic as number), 0) / mine.length),
        framesScoredPer100: round(
          (100 * mine.reduce((s, r) => s + (r.framesScored as number), 0)) / mine.reduce((s, r) => s + (r.framesDecoded as number), 0),
          1,
        ),
        seconds: timed.length ? round(timed.reduce((s, r) => s + (r.seconds as number), 0) / timed.length) : null,
      };
    });
    const json = JSON.stringify({ size, frames, presets, crfs, summary, meanVmafByMiniGopPosition: positions, rows }, null, 1);
    process.stdout.write(`${json}\n`);
    const out = flag('out', '');
    if (out) writeFileSync(out, `${json}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/vmaf-sampling: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
