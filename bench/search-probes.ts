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

interface Tally { searches: number; probes: number; inWindow: number; above: number }

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
          const run = await runSearch(config, async (crf) => ({ crf, vmaf: f(crf) }));
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

async function main(): Promise<void> {
  const rows: string[] = ['| warm start | searches | probes per search | answers in [T, T+0.5) | mean VMAF − T |', '|---|---|---|---|---|'];
  for (const warmOffset of [undefined, 0, 2, 5, 10]) {
    const t = await measure(warmOffset);
    rows.push(`| ${warmOffset === undefined ? 'none' : `answer + ${warmOffset}`} | ${t.searches} | ${(t.probes / t.searches).toFixed(2)} | ${(100 * t.inWindow / t.searches).toFixed(0)} % | ${(t.above / t.searches).toFixed(2)} |`);
  }
  process.stdout.write(`${rows.join('\n')}\n`);
}

void main();
