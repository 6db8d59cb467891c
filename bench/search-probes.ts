/**
 * bench/search-probes — how many probes the CRF search needs (issue 5), on synthetic curves, with
 * no encoder: the search is a pure function (server/src/crf/search.ts).
 *
 *   node -r ./test/register.cjs bench/search-probes.ts
 *
 * Curves have the shape of real CRF→VMAF curves (VMAF = 100 − d·e^(CRF/14); d from 0.15 to 4
 * covers the static, testsrc2 and mandelbrot parts of bench/target-quality, whose slopes at VMAF 93
 * are 0.5–0.7 per CRF), with measurement noise of 0, ±0.15 and ±0.3 VMAF. Targets 90, 93 and 95.
 * Warm starts: none, and the neighbours' CRF 0, 2, 5 and 10 above the answer. For each it prints
 * the mean probes per search, the share of answers inside the accepted window [T, T + 0.5), and
 * the mean VMAF above the target of the answers: what a warm start from similar neighbours saves,
 * and what one from dissimilar neighbours costs.
 */
import { DEFAULT_TOLERANCE, runSearch, type SearchConfig } from '../server/src/crf/search';
import { setUpLearnedSearch } from '../server/src/crf/learned-search';
import type { VerifiedObservation } from '../server/src/crf/crf-job-state';

function curve(difficulty: number, noise: number, seed: number): (crf: number) => number {
  return (crf) => {
    const x = Math.sin(crf * 12.9898 + seed * 78.233) * 43758.5453;
    return 100 - difficulty * Math.exp(crf / 14) + (x - Math.floor(x) - 0.5) * 2 * noise;
  };
}

function bruteForce(f: (crf: number) => number, config: SearchConfig): number | undefined {
  let best: number | undefined;
  for (let crf = config.minCrf; crf <= config.maxCrf; crf += 1) if (f(crf) >= config.target) best = crf;
  return best;
}

interface Tally {
  searches: number;
  probes: number;
  inWindow: number;
  above: number;
}

async function measure(warmOffset: number | undefined): Promise<Tally> {
  const tally: Tally = { searches: 0, probes: 0, inWindow: 0, above: 0 };
  for (let d = 0.15; d <= 4; d *= 1.15) {
    for (const noise of [0, 0.15, 0.3]) {
      for (const target of [90, 93, 95]) {
        for (let seed = 1; seed <= 4; seed++) {
          const f = curve(d, noise, seed);
          const base: SearchConfig = { target, minCrf: 10, maxCrf: 55, step: 1 };
          const answer = bruteForce(f, base);
          // Only searches whose answer lies inside the range: the others end at a range limit either way.
          if (answer === undefined || answer >= 55 || answer <= 10) continue;
          const config = warmOffset === undefined ? base : { ...base, warmStart: [Math.min(55, answer + warmOffset)] };
          const run = await runSearch(config, (crf) => Promise.resolve({ crf, vmaf: f(crf) }));
          tally.searches++;
          tally.probes += run.observations.length;
          if (run.vmaf >= target && run.vmaf < target + DEFAULT_TOLERANCE) tally.inWindow++;
          tally.above += run.vmaf - target;
        }
      }
    }
  }
  return tally;
}

/**
 * A whole synthetic job (issue 16, levers 1–2): 40 segments in scenes of 8 whose difficulty and
 * probe→final shift change at each scene cut; the segment copy's bits per pixel follow the
 * difficulty with ±15 % noise; probes score the final curve plus the scene's shift plus ±0.3 noise.
 * Compares the search warm-started from the neighbours (today) with the learned set-up (predicted
 * CRF, corrected probe target). Reports probes per segment and the final VMAF's hit rate in
 * [T − 0.5, T + 2] (the final is the noiseless curve: what a whole-segment verification would see).
 */
async function simulateJob(learned: boolean, seed: number): Promise<{ probes: number; hits: number; segments: number }> {
  const target = 93;
  const verified: (VerifiedObservation & { bitsPerPixel: number })[] = [];
  let probes = 0;
  let hits = 0;
  const rand = (i: number) => {
    const x = Math.sin(i * 91.345 + seed * 47.853) * 43758.5453;
    return x - Math.floor(x);
  };
  for (let i = 0; i < 40; i++) {
    const scene = Math.floor(i / 8);
    const difficulty = 0.2 * 2 ** (rand(scene * 7) * 4);
    const shift = 1 + 4 * rand(scene * 13);
    const final = (crf: number) => 100 - difficulty * Math.exp(crf / 14);
    const probe = (crf: number) => final(crf) - shift + (rand(i * 31 + crf) - 0.5) * 0.6;
    const bitsPerPixel = difficulty * (0.85 + 0.3 * rand(i * 17));
    const neighbours = verified
      .slice(-2)
      .reverse()
      .map((v) => v.crf);
    const base: SearchConfig = { target, minCrf: 10, maxCrf: 63, step: 1 };
    const setUp = learned
      ? setUpLearnedSearch({ target, minCrf: 10, maxCrf: 63, samples: 3, sampleSeconds: 2, bitsPerPixel, verified, neighbours })
      : undefined;
    const config = { ...base, target: setUp?.probeTarget ?? target, warmStart: setUp?.warmStart ?? neighbours };
    const run = await runSearch(config, (crf) => Promise.resolve({ crf, vmaf: probe(crf) }));
    probes += run.observations.length;
    const vmaf = final(run.crf);
    if ((vmaf >= target - 0.5 || run.crf <= 10) && (vmaf <= target + 2 || run.crf >= 63)) hits++;
    verified.push({ segment: i, crf: run.crf, vmaf, probeVmaf: run.vmaf, bitsPerPixel });
  }
  return { probes, hits, segments: 40 };
}

async function main(): Promise<void> {
  const jobRows = ['| set-up | probes per segment | hit rate [T − 0.5, T + 2] |', '|---|---|---|'];
  for (const learned of [false, true]) {
    let probes = 0,
      hits = 0,
      segments = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const r = await simulateJob(learned, seed);
      probes += r.probes;
      hits += r.hits;
      segments += r.segments;
    }
    jobRows.push(
      `| ${learned ? 'learned (prediction + correction)' : 'neighbours, uncorrected probes'} | ${(probes / segments).toFixed(2)} | ${((100 * hits) / segments).toFixed(0)} % |`,
    );
  }
  process.stdout.write(`${jobRows.join('\n')}\n\n`);

  const rows: string[] = ['| warm start | searches | probes per search | answers in [T, T+0.5) | mean VMAF − T |', '|---|---|---|---|---|'];
  for (const warmOffset of [undefined, 0, 2, 5, 10]) {
    const t = await measure(warmOffset);
    rows.push(
      `| ${warmOffset === undefined ? 'none' : `answer + ${warmOffset}`} | ${t.searches} | ${(t.probes / t.searches).toFixed(2)} | ${((100 * t.inWindow) / t.searches).toFixed(0)} % | ${(t.above / t.searches).toFixed(2)} |`,
    );
  }
  process.stdout.write(`${rows.join('\n')}\n`);
}

void main();
