/**
 * bench/vmaf-profile-top — where a `node --cpu-prof` run of bench/vmaf-product-path spent this
 * process's time, by function (self time): the main thread's profile shows frame reading,
 * dispatch, spawning and garbage collection; a worker thread's profile the kernels. Prints the
 * top functions of each profile and its total sampled time.
 *
 *   nice -n 10 node --cpu-prof --cpu-prof-dir=DIR -r ./test/register.cjs bench/vmaf-product-path.ts …
 *   node -r ./test/register.cjs bench/vmaf-profile-top.ts DIR [--top 15]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url ? `${path.basename(url)}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${file}`.trim();
}

function main(): void {
  const dir = process.argv[2]!;
  const top = Number(flag('top', '15'));
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Profile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    let total = 0;
    profile.samples.forEach((id, i) => {
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      const key = label(byId.get(id)!);
      self.set(key, (self.get(key) ?? 0) + ms);
      if (key !== '(idle)') total += ms;
    });
    console.log(`\n${name}: ${(total / 1000).toFixed(2)} s sampled, not idle`);
    const rows = [...self.entries()].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]);
    for (const [key, ms] of rows.slice(0, top))
      console.log(`  ${(ms / 1000).toFixed(2).padStart(7)} s  ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${key}`);
  }
}

main();
