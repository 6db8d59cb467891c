/**
 * bench/probe-preset-shift — how far the CRF→VMAF curve moves when SVT-AV1 probes run at a faster
 * preset than the final encode (the data behind --probe-preset's default).
 *
 *   node -r ./test/register.cjs bench/probe-preset-shift.ts [--presets 8,10,12,13] [--crfs 25,35,42,48,54]
 *        [--seconds 7] [--size 640x360] [--target 93] [--out FILE]
 *
 * For each part of bench/target-quality's clip (static bars, testsrc2, mandelbrot), one segment's
 * worth of frames is cut losslessly, encoded at every preset x CRF, and scored with the product's
 * VMAF (subsample 8, harmonic mean). Reports each curve, the CPU seconds per encode, and per final
 * preset and probe preset the CRF at which each reaches the target (linear between measured CRFs)
 * and the VMAF the final preset gets at the CRF the probe preset chose.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { ffmpegSync } from '../test/helpers/clips';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measureVmaf } from '../server/src/vmaf';
import { COMPLEXITY_PARTS } from '../test/helpers/complexity-clip';

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

function numbers(text: string): number[] {
  return text.split(',').map(Number);
}

/** Runs a command and returns its user+sys CPU seconds (GNU time's %U and %S). */
function timed(args: string[]): number {
  const run = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (run.status !== 0) throw new Error(`${args.join(' ')}: ${run.stderr.toString()}`);
  const out = run.stderr.toString();
  const match = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(out);
  return match ? Number(match[1]) + Number(match[2]) : NaN;
}

/** The CRF (linear between measured points) where the curve falls to the target. */
export function crfAtTarget(curve: { crf: number; vmaf: number }[], target: number): number | null {
  const sorted = [...curve].sort((a, b) => a.crf - b.crf);
  if (sorted[0]!.vmaf < target) return null;
  for (let i = 1; i < sorted.length; i++) {
    const [lo, hi] = [sorted[i - 1]!, sorted[i]!];
    if (hi.vmaf < target) return lo.crf + ((lo.vmaf - target) / (lo.vmaf - hi.vmaf)) * (hi.crf - lo.crf);
  }
  return sorted.at(-1)!.crf;
}

function vmafAt(curve: { crf: number; vmaf: number }[], crf: number): number {
  const sorted = [...curve].sort((a, b) => a.crf - b.crf);
  for (let i = 1; i < sorted.length; i++) {
    const [lo, hi] = [sorted[i - 1]!, sorted[i]!];
    if (crf <= hi.crf) return lo.vmaf + ((crf - lo.crf) / (hi.crf - lo.crf)) * (hi.vmaf - lo.vmaf);
  }
  return sorted.at(-1)!.vmaf;
}

async function main(): Promise<void> {
  const presets = numbers(flag('presets', '8,10,12,13'));
  const crfs = numbers(flag('crfs', '25,35,42,48,54'));
  const seconds = flag('seconds', '7');
  const size = flag('size', '640x360');
  const target = Number(flag('target', '93'));
  const dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-preset-shift-'));
  const curves: Record<string, Record<number, { crf: number; vmaf: number; bytes: number; cpu: number }[]>> = {};
  try {
    for (const part of COMPLEXITY_PARTS) {
      const reference = path.join(dir, `${part}.mkv`);
      ffmpegSync(['-f', 'lavfi', '-i', `${part}=s=${size}:r=25`, '-t', seconds, '-pix_fmt', 'yuv420p10le', '-c:v', 'ffvhuff', reference]);
      curves[part] = {};
      for (const preset of presets) {
        const points: { crf: number; vmaf: number; bytes: number; cpu: number }[] = [];
        for (const crf of crfs) {
          const encoded = path.join(dir, `${part}-p${preset}-crf${crf}.mkv`);
          const cpu = timed([
            'ffmpeg',
            '-nostdin',
            '-hide_banner',
            '-loglevel',
            'error',
            '-y',
            '-i',
            reference,
            '-c:v',
            'libsvtav1',
            '-crf',
            String(crf),
            '-preset',
            String(preset),
            '-g',
            '250',
            '-pix_fmt',
            'yuv420p10le',
            encoded,
          ]);
          const vmaf = await measureVmaf(reference, encoded, { subsample: 8, pool: 'harmonic_mean', engine: 'builtin' });
          const bytes = Number(execFileSync('stat', ['-c', '%s', encoded]).toString());
          points.push({ crf, vmaf: Math.round(vmaf.score * 100) / 100, bytes, cpu: Math.round(cpu * 100) / 100 });
          rmSync(encoded);
          process.stderr.write(`${part} preset ${preset} crf ${crf}: VMAF ${vmaf.score.toFixed(2)}, ${bytes} B, ${cpu.toFixed(2)} CPU s\n`);
        }
        curves[part][preset] = points;
      }
    }
    const final = presets[0]!;
    const shifts = COMPLEXITY_PARTS.map((part) => {
      const exact = curves[part]![final]!;
      const exactCrf = crfAtTarget(exact, target);
      return {
        part,
        finalPreset: final,
        crfAtTarget: Object.fromEntries(presets.map((p) => [p, crfAtTarget(curves[part]![p]!, target)])),
        // What the final preset scores at the CRF each probe preset picked (the verification's view).
        finalVmafAtProbeCrf: Object.fromEntries(
          presets.map((p) => {
            const crf = crfAtTarget(curves[part]![p]!, target);
            return [p, crf === null || exactCrf === null ? null : Math.round(vmafAt(exact, crf) * 100) / 100];
          }),
        ),
        meanVmafShift: Object.fromEntries(
          presets.map((p) => [
            p,
            Math.round((curves[part]![p]!.reduce((s, q, i) => s + q.vmaf - exact[i]!.vmaf, 0) / crfs.length) * 100) / 100,
          ]),
        ),
        cpuPerEncode: Object.fromEntries(
          presets.map((p) => [p, Math.round((curves[part]![p]!.reduce((s, q) => s + q.cpu, 0) / crfs.length) * 100) / 100]),
        ),
      };
    });
    const json = JSON.stringify({ target, size, seconds: Number(seconds), presets, crfs, shifts, curves }, null, 2);
    process.stdout.write(`${json}\n`);
    const out = flag('out', '');
    if (out) writeFileSync(out, `${json}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/probe-preset-shift: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
