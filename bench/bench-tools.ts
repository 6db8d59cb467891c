import { ffmpegPreamble, runProcess } from '../server/src/sys';

/** The benches' ffmpeg: the product's preamble, overwriting the bench's own scratch files. */
export async function ffmpeg(args: string[]): Promise<void> {
  await runProcess('ffmpeg', [...ffmpegPreamble({ overwrite: true }), ...args]);
}

/** Least CPU milliseconds of `runs` calls (after one warm-up call, which also tiers the WebAssembly up). */
export function leastCpuMs(runs: number, work: () => unknown): number {
  work();
  let least = Infinity;
  for (let k = 0; k < runs; k++) {
    const started = process.cpuUsage();
    work();
    const used = process.cpuUsage(started);
    least = Math.min(least, (used.user + used.system) / 1000);
  }
  return least;
}
