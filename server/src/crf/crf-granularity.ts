import { ffmpegPreamble, runProcess } from '../sys';
import type { Tools } from '../sys';

/**
 * Whether the encoder behind this ffmpeg honours fractional CRFs. SVT-AV1 1.4.1 (Debian 12's
 * ffmpeg 5.1) accepts `-crf 30.5` without complaint and silently encodes at 30, so asking is
 * not enough: we run a one-time tiny encode and read the rate factor SVT-AV1 reports it used.
 */

export const PROBE_CRF = 30.5;

/** A 0.2 s 64x64 encode at CRF 30.5; SVT-AV1 prints its configuration (rate factor) on stderr. */
export function granularityProbeArgs(): string[] {
  return [
    ...ffmpegPreamble({ loglevel: 'info' }),
    '-f',
    'lavfi',
    '-i',
    'color=c=gray:s=64x64:r=25:d=0.2',
    '-c:v',
    'libsvtav1',
    '-preset',
    '12',
    '-crf',
    String(PROBE_CRF),
    '-f',
    'null',
    '-',
  ];
}

/**
 * The CRF step the encoder honours, read from its log: 0.25 when it reports the fractional rate
 * factor it was given, 1 otherwise (including when it reports nothing we recognise).
 */
export function granularityFromLog(stderr: string): number {
  const match = /rate factor\s*:\s*CRF\s*\/\s*([0-9.]+)/i.exec(stderr);
  if (!match) return 1;
  return Math.abs(Number(match[1]) - PROBE_CRF) < 1e-6 ? 0.25 : 1;
}

/**
 * Why a fixed CRF is not one the encoder honours with this CRF step, naming the two nearest it
 * does, or undefined. (SVT-AV1 before 4.0 would encode 30.5 at 30 and report nothing.)
 */
export function crfProblem(crf: number, step: number): string | undefined {
  const steps = crf / step;
  if (Math.abs(steps - Math.round(steps)) < 1e-9) return undefined;
  const lower = Math.floor(steps) * step;
  const kind = step === 1 ? 'whole CRFs only' : `CRFs in steps of ${step}`;
  return `--crf ${crf}: this SVT-AV1 takes ${kind} and would encode at another CRF than asked; use ${lower} or ${lower + step}`;
}

const cache = new Map<string, Promise<number>>();

/** Detected once per ffmpeg binary for the life of the process. Any failure means integer steps. */
export function crfGranularity(tools: Tools, signal?: AbortSignal): Promise<number> {
  let found = cache.get(tools.ffmpeg);
  if (!found) {
    const lines: string[] = [];
    found = runProcess(tools.ffmpeg, granularityProbeArgs(), {
      signal,
      timeoutMs: 60_000,
      stdout: 'ignore',
      onStderrLine: (line) => lines.push(line),
    }).then(
      () => granularityFromLog(lines.join('\n')),
      () => 1,
    );
    cache.set(tools.ffmpeg, found);
  }
  return found;
}
