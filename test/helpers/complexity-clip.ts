import { ffmpegSync } from './clips';

/**
 * A source whose parts differ sharply in how hard they are to encode, generated with lavfi:
 * static colour bars (easy: VMAF stays high at any CRF), testsrc2 (moving graphics, medium) and
 * a zooming mandelbrot (fine detail everywhere, hard). Lossless H.264 with a keyframe every
 * second so segment cuts land on part boundaries.
 */
export interface ComplexityClipOptions {
  /** Seconds of each part. */
  partSeconds?: number;
  size?: string;
  fps?: number;
  /** How many times the three parts repeat (a longer clip for the benchmark). */
  repeats?: number;
}

export const COMPLEXITY_PARTS = ['smptebars', 'testsrc2', 'mandelbrot'] as const;

export function complexityClip(file: string, options: ComplexityClipOptions = {}): string {
  const seconds = options.partSeconds ?? 2;
  const size = options.size ?? '320x240';
  const fps = options.fps ?? 25;
  const repeats = options.repeats ?? 1;
  const inputs: string[] = [];
  const chains: string[] = [];
  let n = 0;
  for (let r = 0; r < repeats; r++) {
    for (const part of COMPLEXITY_PARTS) {
      inputs.push('-f', 'lavfi', '-i', `${part}=s=${size}:r=${fps}`);
      chains.push(`[${n}:v]trim=duration=${seconds},setpts=PTS-STARTPTS,format=yuv420p,setsar=1[p${n}]`);
      n++;
    }
  }
  const concat = `${Array.from({ length: n }, (_, i) => `[p${i}]`).join('')}concat=n=${n}:v=1:a=0[v]`;
  ffmpegSync([
    ...inputs,
    '-filter_complex',
    `${chains.join(';')};${concat}`,
    '-map',
    '[v]',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-qp',
    '0',
    '-g',
    String(fps),
    '-keyint_min',
    String(fps),
    '-sc_threshold',
    '0',
    file,
  ]);
  return file;
}
