/**
 * bench/film — what target quality costs on a film, not a clip (issue 22). The baseline and every
 * lever are measured with the same command.
 *
 *   node -r ./test/register.cjs bench/film.ts [--case film-p8|film-p6|smoke-1080p] [--quick]
 *        [--seconds S] [--preset P] [--target 93] [--whole-steps 4] [--skip-ab] [--skip-search]
 *        [--skip-whole] [--out FILE] [--keep]
 *
 * Cases: film-p8, the whole 10-minute film (bench/film-clip.ts: 960x540, 24 fps, 60 segments of
 * 10 s, content changing in runs of 3–8 segments) at preset 8; film-p6, its first 4 minutes (24
 * segments) at preset 6; smoke-1080p, the 1080p 30 s clip of issue 16 (flat colour, testsrc2 under
 * grain, mandelbrot; 25 fps) at preset 8. --quick: the film's first 2 minutes (12 segments, three
 * kinds of content) at preset 12, for iterating (--seconds and --preset override either).
 *
 * Timed, in this process, one after the other under the same load (every option at the product's
 * default but the ones named: --workers, --split, samples, VMAF stride all default):
 *  A. encode --target-vmaf T --preset P;
 *  C. encode --crf M --preset P, M the median CRF A chose;
 *  E. ab-av1 style: one CRF from samples, one plain ffmpeg encode (ab-av1-style.ts).
 * Not timed: every frame of A, C and E scored per segment window against the source converted
 * to the encode's pixel format by ffmpeg's format filter (film-score.ts); `search` (the dry run)
 * with the same options, its predicted size against A's actual bytes; and the best single
 * whole-file CRF meeting T everywhere (no window below T − 0.5), by bisection over plain
 * whole-file encodes, each scored every frame.
 * Writes the JSON after every stage (a run that is stopped keeps what it measured) to
 * bench/results/film-<case>.json (film-quick.json with --quick), and prints a table at the end (film-report.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { EncodeOptionsInput } from '../common/options';
import type { JobEvent } from '../common/events';
import { lavfiPartsClip, type LavfiPart } from '../test/helpers/complexity-clip';
import { installToolWrappers } from './cpu-accounting';
import { filmClip } from './film-clip';
import { bestWholeFileCrf, scoreWindows, type WholeFileStep } from './film-score';
import { abAv1StyleRun } from './ab-av1-style';
import { timedEncode, timedSearch } from './timed-encode';
import { printTable, runFigures, targetFigures, type FilmResult } from './film-report';

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}
const has = (name: string) => process.argv.includes(`--${name}`);

interface FilmCase {
  clip: 'film' | 'smoke-1080p';
  seconds: number;
  preset: number;
}

function filmCase(name: string, quick: boolean): FilmCase {
  if (name === 'smoke-1080p') return { clip: 'smoke-1080p', seconds: 30, preset: 8 };
  if (quick) return { clip: 'film', seconds: 120, preset: 12 };
  if (name === 'film-p8') return { clip: 'film', seconds: 600, preset: 8 };
  if (name === 'film-p6') return { clip: 'film', seconds: 240, preset: 6 };
  throw new Error(`unknown --case ${name} (film-p8, film-p6, smoke-1080p)`);
}

/** Issue 16's 1080p clip (bench/target-quality --case 1080p-p8 --quick): three 10 s parts at 25 fps. */
function smokeClip(file: string): string {
  const size = '1920x1080';
  const parts: LavfiPart[] = [
    { source: `color=c=0x4a6a8a:s=${size}:r=25`, seconds: 10 },
    { source: `testsrc2=s=${size}:r=25`, seconds: 10, filter: 'noise=alls=14:allf=t' },
    { source: `mandelbrot=s=${size}:r=25`, seconds: 10 },
  ];
  return lavfiPartsClip(file, parts, 25);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: path.join(__dirname, '..'), encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const quick = has('quick');
  const caseName = flag('case', 'film-p8');
  const fc = filmCase(caseName, quick);
  const seconds = Number(flag('seconds', String(fc.seconds)));
  const preset = Number(flag('preset', String(fc.preset)));
  const target = Number(flag('target', '93'));
  const minCrf = 10;
  const maxCrf = 55;
  const pixelFormat = 'yuv420p10le';
  const out = flag('out', path.join(__dirname, 'results', `film-${fc.clip === 'film' && quick ? 'quick' : caseName}.json`));
  const dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-bench-film-'));
  const wrappers = installToolWrappers(dir);
  const result: FilmResult = {
    case: caseName,
    quick,
    measured: {
      commit: git(['rev-parse', '--short', 'HEAD']),
      productUnchangedSince482b933: git(['diff', '--quiet', '482b933', '--', 'server', 'common']) !== 'unknown',
      date: new Date().toISOString(),
    },
    target,
    preset,
    seconds,
    load: { before: loadavg() },
    stages: [],
  };
  const save = (stage: string, keep = true) => {
    if (keep) result.stages.push(stage);
    result.load.after = loadavg();
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stderr.write(`bench/film: ${stage} (${new Date().toISOString()})\n`);
  };
  try {
    const clipStarted = performance.now();
    const clip =
      fc.clip === 'film'
        ? filmClip({ seconds, cacheDir: flag('cache', path.join(__dirname, '..', '.cache', 'bench-film')) })
        : { file: smokeClip(path.join(dir, 'smoke-1080p.mkv')), runs: [] };
    result.clip = { file: clip.file, runs: clip.runs, secondsToMake: Math.round((performance.now() - clipStarted) / 1000) };
    save('clip ready');
    const input = clip.file;
    const common: EncodeOptionsInput = { input, preset, minCrf, maxCrf, pixelFormat, keepWorkDir: false };

    // A long run records how far it got once a minute, so a run stopped at a deadline still tells its pace.
    let lastProgress = 0;
    const progress = (run: string) => (e: JobEvent) => {
      if (e.event !== 'progress' || performance.now() - lastProgress < 60_000) return;
      lastProgress = performance.now();
      const { segmentsDone, segmentsTotal, framesDone, elapsedSeconds } = e;
      result.progress = { run, segmentsDone, segmentsTotal, framesDone, elapsedSeconds };
      save(`${run}: ${segmentsDone} of ${segmentsTotal} segments`, false);
    };
    const a = await timedEncode(
      wrappers,
      { ...common, output: path.join(dir, 'a.mkv'), workDir: path.join(dir, 'work-a'), targetVmaf: target },
      progress('target run'),
    );
    const medianCrf = median(a.done.segments.map((s) => s.crf!));
    result.targetRunSeconds = Math.round(a.seconds);
    save('timed: target run', false);
    const c = await timedEncode(
      wrappers,
      { ...common, output: path.join(dir, 'c.mkv'), workDir: path.join(dir, 'work-c'), crf: medianCrf },
      progress('fixed run'),
    );
    result.progress = undefined;
    const plan = a.plan!;
    result.plan = {
      segments: plan.segments,
      frames: plan.frames,
      fps: plan.fps,
      width: plan.width,
      height: plan.height,
      workers: plan.workers,
    };
    result.targetRun = targetFigures(a, c, { target, minCrf, maxCrf });
    result.fixed = { crf: medianCrf, ...runFigures(c) };
    save('timed: target and fixed runs');

    const scoredA = await scoreWindows(input, path.join(dir, 'a.mkv'), plan, pixelFormat);
    const scoredC = await scoreWindows(input, path.join(dir, 'c.mkv'), plan, pixelFormat);
    result.everyFrame = {
      target: scoredA.windows,
      fixed: scoredC.windows,
      targetBelowTMinus05: scoredA.windows.filter((w) => w < target - 0.5).length,
      targetHits: scoredA.windows.filter((w) => w >= target - 0.5 && w <= target + 2).length,
      worstVerifiedMinusEveryFrame: Math.max(...a.done.segments.map((s, i) => (s.vmaf === undefined ? 0 : s.vmaf - scoredA.windows[i]!))),
      scoringSeconds: Math.round(scoredA.seconds + scoredC.seconds),
    };
    save('every frame of the target and fixed outputs scored');

    const plainSettings = { preset, pixelFormat, keyintFrames: Math.round(10 * plan.fps) };
    if (!has('skip-ab')) {
      const ab = await abAv1StyleRun(wrappers, common, input, dir, target, plan.fps, plainSettings);
      const scored = await scoreWindows(input, ab.output, plan, pixelFormat);
      result.abAv1Style = {
        ...ab,
        wallRatio: ab.seconds / c.seconds,
        cpuRatio: ab.cpuSeconds / c.cpu.all,
        bytesVsTarget: ab.bytes / a.done.bytes,
        windows: scored.windows,
        below: scored.windows.filter((w) => w < target - 0.5).length,
      };
      save('ab-av1-style run');
    }

    if (!has('skip-search')) {
      const search = await timedSearch(wrappers, {
        ...common,
        output: path.join(dir, 's.mkv'),
        workDir: path.join(dir, 'work-s'),
        targetVmaf: target,
      });
      const perSegment = search.predictions.map((p) => {
        const actual = a.done.segments.find((s) => s.index === p.index);
        return { index: p.index, crf: p.crf, actualCrf: actual?.crf, predictedBytes: p.predictedBytes, actualBytes: actual?.bytes };
      });
      result.search = {
        seconds: Math.round(search.seconds),
        cpuSeconds: search.cpu.all,
        predictedBytes: search.predictedBytes,
        actualBytes: a.done.bytes,
        sizeError: search.predictedBytes / a.done.bytes - 1,
        crfDiffers: perSegment.filter((s) => s.crf !== s.actualCrf).length,
        perSegment,
      };
      save('search: predicted size against the encode');
    }

    if (!has('skip-whole')) {
      const crfs = a.done.segments.map((s) => s.crf!);
      const steps: WholeFileStep[] = [];
      const whole = await bestWholeFileCrf({
        wrappers,
        source: input,
        dir,
        plan,
        settings: plainSettings,
        floor: target - 0.5,
        low: Math.min(...crfs),
        high: medianCrf + 1,
        minCrf,
        maxSteps: Number(flag('whole-steps', '4')),
        onStep: (step) => {
          steps.push(step);
          result.wholeFile = { steps, best: undefined, exact: false };
          save(`whole-file CRF ${step.crf}: ${step.meets ? 'meets T' : `${step.windowsBelow} windows below T - 0.5`}`);
        },
      });
      result.wholeFile = {
        steps: whole.steps,
        best: whole.best && { crf: whole.best.crf, bytes: whole.best.bytes, bracket: whole.bracket },
        exact: whole.exact,
        bytesRatio: whole.best ? a.done.bytes / whole.best.bytes : undefined,
      };
      save('best whole-file CRF');
    }
    result.complete = true;
    save('done');
    printTable(result);
  } catch (error) {
    // A stage that fails (e.g. a target run that gives up on a segment) is a result too: keep it.
    result.error = (error as Error).message;
    save('failed');
    throw error;
  } finally {
    if (!has('keep')) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${dir}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/film: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
