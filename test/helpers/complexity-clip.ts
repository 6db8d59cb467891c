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
  const parts = Array.from({ length: repeats }, () =>
    COMPLEXITY_PARTS.map((part) => ({ source: `${part}=s=${size}:r=${fps}`, seconds })),
  ).flat();
  return lavfiPartsClip(file, parts, fps);
}

/** One part of a generated clip: a lavfi source, how long it lasts, and a filter for it alone (e.g. grain). */
export interface LavfiPart {
  source: string;
  seconds: number;
  filter?: string;
}

/** Lavfi parts cut to their lengths and joined into one lossless H.264 file with a keyframe every second and none elsewhere. */
export function lavfiPartsClip(file: string, parts: readonly LavfiPart[], fps: number): string {
  const inputs = parts.flatMap((part) => ['-f', 'lavfi', '-i', part.source]);
  const chains = parts.map(
    (part, i) =>
      `[${i}:v]trim=duration=${part.seconds},setpts=PTS-STARTPTS${part.filter ? `,${part.filter}` : ''},format=yuv420p,setsar=1[p${i}]`,
  );
  const n = parts.length;
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
