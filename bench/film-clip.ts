import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ffmpegSync } from '../test/helpers/clips';

/**
 * The film of issue 22's bench: 960x540 at 24 fps, 10 minutes, whose content changes in runs of
 * 3–8 segments of 10 s and comes back to kinds seen before, each run fading in from and out to
 * black, every kind under film-like grain (temporal noise) and moving. Generated with lavfi at run
 * time, run by run, each run cached under a git-ignored folder by a hash of what made it, and the
 * film joined from them with a stream copy; a shorter film (--quick, or the first 4 minutes)
 * reuses the same run files. H.264 at CRF 12 with a keyframe a second, not lossless: grain does
 * not compress, and lossless would be 25 MB per second (15 GB for the film); like a film's
 * master, the source is itself an encode, and VMAF is measured against it as it is.
 */
export type FilmKind = 'establishing' | 'action' | 'detail' | 'night' | 'texture';

/** Which kind of content each run is, and how many 10 s segments long. 60 segments in all. */
export const FILM_RUNS: readonly { kind: FilmKind; segments: number }[] = [
  { kind: 'establishing', segments: 4 },
  { kind: 'action', segments: 5 },
  { kind: 'detail', segments: 3 },
  { kind: 'establishing', segments: 6 },
  { kind: 'night', segments: 4 },
  { kind: 'action', segments: 8 },
  { kind: 'texture', segments: 5 },
  { kind: 'detail', segments: 4 },
  { kind: 'establishing', segments: 3 },
  { kind: 'night', segments: 6 },
  { kind: 'action', segments: 4 },
  { kind: 'texture', segments: 3 },
  { kind: 'detail', segments: 5 },
];

export const FILM_SEGMENT_SECONDS = 10;

/**
 * Each kind: a lavfi source that moves, an optional softening before the grain, the grain's
 * strength, and an optional softening after it (clumpier grain). Strengths chosen so that every
 * kind reaches VMAF 93 inside CRF 10–55 at 960x540 (preset 12, 2 s, harmonic mean, built-in
 * engine): establishing 96.9 at CRF 25 and 96.5 at 40; action 95.2 at 30 and 91.6 at 40; detail
 * 91.6 at 25 and 84.7 at 35; texture 99.4 at 30 and 97.5 at 40; night 99.9 at 25 and 35 (held
 * at the top of the range, as quiet scenes are). Stronger per-pixel grain on smooth or dark
 * content put the whole curve below 93 (gradients with noise 4: 71 at CRF 30; with noise 2,
 * 96.0 at CRF 25 on its first 2 s but 84–86.6 at every CRF from 33 to 10 on the film's 10 s
 * segments: unreachable, the target run failed), and lavfi's life source flickers too much to
 * reach 93 at CRF 25 even without grain (71.9).
 */
function kindSource(kind: FilmKind, size: string, fps: number): { source: string; soften?: string; grain: number; settle?: string } {
  switch (kind) {
    case 'establishing': // a quiet frame, slow motion (testsrc's moving bar and counter), soft grain: easy to code
      return { source: `testsrc=s=${size}:r=${fps}`, grain: 4, settle: 'gblur=sigma=0.6' };
    case 'action': // moving graphics and text
      return { source: `testsrc2=s=${size}:r=${fps}`, grain: 8, settle: 'gblur=sigma=0.6' };
    case 'detail': // a zoom into fine detail everywhere
      return { source: `mandelbrot=s=${size}:r=${fps}:maxiter=1024`, grain: 6, settle: 'gblur=sigma=0.6' };
    case 'night': // a dark, low-contrast pattern drifting under grain: a quiet scene, easy to code
      return { source: `sierpinski=s=${size}:r=${fps}:seed=3`, soften: 'eq=brightness=-0.25:contrast=0.5', grain: 3 };
    case 'texture': // a scrolling, high-frequency pattern (foliage, a crowd)
      return {
        source: `cellauto=s=${size}:r=${fps}:rule=110:scroll=1:seed=5`,
        soften: 'gblur=sigma=1',
        grain: 6,
        settle: 'gblur=sigma=0.6',
      };
  }
}

export interface FilmOptions {
  /** Seconds of the film from its start (at most the whole film's; ends inside a run if need be). */
  seconds: number;
  size?: string;
  fps?: number;
  cacheDir: string;
}

function key(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** Generates `make(temp)` once per name: the file appears only when complete. */
function cached(file: string, make: (temp: string) => void): string {
  if (existsSync(file)) return file;
  const temp = `${file}.partial.mkv`;
  make(temp);
  renameSync(temp, file);
  return file;
}

const SOURCE_CRF = 12;

/** One run: the source for `seconds`, through its filter, a keyframe every second and none elsewhere. */
function generateRun(file: string, source: string, filter: string, seconds: number, fps: number): void {
  ffmpegSync([
    '-f',
    'lavfi',
    '-i',
    source,
    '-t',
    String(seconds),
    '-vf',
    `${filter},format=yuv420p,setsar=1`,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-crf',
    String(SOURCE_CRF),
    '-g',
    String(fps),
    '-keyint_min',
    String(fps),
    '-sc_threshold',
    '0',
    `file:${file}`,
  ]);
}

/** The film's first `seconds`, generated or taken from the cache. */
export function filmClip(options: FilmOptions): { file: string; runs: { kind: FilmKind; seconds: number }[] } {
  const size = options.size ?? '960x540';
  const fps = options.fps ?? 24;
  mkdirSync(options.cacheDir, { recursive: true });
  const runs: { kind: FilmKind; seconds: number; file: string }[] = [];
  let left = options.seconds;
  for (const run of FILM_RUNS) {
    if (left <= 0) break;
    const seconds = Math.min(left, run.segments * FILM_SEGMENT_SECONDS);
    left -= seconds;
    const { source, soften, grain, settle } = kindSource(run.kind, size, fps);
    const fade = `fade=t=in:st=0:d=1,fade=t=out:st=${seconds - 1}:d=1`;
    const filter = [soften, fade, `noise=alls=${grain}:allf=t`, settle].filter(Boolean).join(',');
    const made = { v: 3, source, filter, seconds, fps, crf: SOURCE_CRF };
    const file = path.join(options.cacheDir, `run-${run.kind}-${seconds}s-${key(made)}.mkv`);
    runs.push({ kind: run.kind, seconds, file: cached(file, (temp) => generateRun(temp, source, filter, seconds, fps)) });
  }
  if (left > 0) throw new Error(`the film is ${FILM_RUNS.reduce((s, r) => s + r.segments * FILM_SEGMENT_SECONDS, 0)} s long`);
  const film = path.join(options.cacheDir, `film-${size}-${fps}-${options.seconds}s-${key(runs.map((r) => path.basename(r.file)))}.mkv`);
  cached(film, (temp) => {
    const list = `${temp}.txt`;
    writeFileSync(list, runs.map((r) => `file '${r.file}'\n`).join(''));
    ffmpegSync(['-f', 'concat', '-safe', '0', '-i', `file:${list}`, '-map', '0:v:0', '-c', 'copy', `file:${temp}`]);
    rmSync(list);
  });
  return { file: film, runs: runs.map(({ kind, seconds }) => ({ kind, seconds })) };
}
