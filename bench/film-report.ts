import type { Run } from './timed-encode';
import type { WholeFileStep } from './film-score';

/** The figures of bench/film (issue 22's "Report" list), as written to bench/results/film-*.json. */
export interface FilmResult {
  case: string;
  quick: boolean;
  measured: { commit: string; productUnchangedSince482b933: boolean; date: string };
  target: number;
  targetRun?: ReturnType<typeof targetFigures>;
  preset: number;
  seconds: number;
  load: { before: number[]; after?: number[] };
  stages: string[];
  /** While a timed run is going: how far it got (written once a minute). */
  progress?: { run: string; segmentsDone: number; segmentsTotal: number; framesDone: number; elapsedSeconds: number };
  targetRunSeconds?: number;
  clip?: { file: string; runs: { kind: string; seconds: number }[]; secondsToMake: number };
  plan?: { segments: number; frames: number; fps: number; width: number; height: number; workers: number };
  fixed?: { crf: number } & ReturnType<typeof runFigures>;
  everyFrame?: {
    target: number[];
    fixed: number[];
    targetBelowTMinus05: number;
    targetHits: number;
    worstVerifiedMinusEveryFrame: number;
    scoringSeconds: number;
  };
  abAv1Style?: {
    crf: number;
    seconds: number;
    cpuSeconds: number;
    bytes: number;
    wallRatio: number;
    cpuRatio: number;
    bytesVsTarget: number;
    windows: number[];
    below: number;
    samples: number;
    sampleSeconds: number;
  };
  search?: {
    seconds: number;
    cpuSeconds: number;
    predictedBytes: number;
    actualBytes: number;
    sizeError: number;
    crfDiffers: number;
    perSegment: { index: number; crf: number; actualCrf?: number; predictedBytes?: number; actualBytes?: number }[];
  };
  wholeFile?: {
    steps: WholeFileStep[];
    best?: { crf: number; bytes: number; bracket: { low: number; high: number } };
    exact: boolean;
    bytesRatio?: number;
  };
  complete?: boolean;
  error?: string;
}

const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places;

export function runFigures(run: Run) {
  return {
    seconds: round(run.seconds, 1),
    cpuSeconds: run.cpu.all,
    coresBusy: round(run.cpu.all / run.seconds),
    bytes: run.done.bytes,
    cpuByKind: { ...run.cpu.cpu, 'bench process (VMAF features, JavaScript)': run.cpu.node },
    processes: run.cpu.count,
  };
}

/**
 * A field a later version of the product may add to its segment events (a predicted CRF): read
 * when present, so the predictor's error is measured the day it lands, without a bench change.
 */
function predictedCrfs(run: Run): Map<number, number> {
  const predicted = new Map<number, number>();
  for (const e of run.events) {
    if (e.event !== 'segment') continue;
    const value = (e as { predictedCrf?: unknown }).predictedCrf;
    if (typeof value === 'number' && !predicted.has(e.index)) predicted.set(e.index, value);
  }
  for (const s of run.done.segments) {
    const value = (s as { predictedCrf?: unknown }).predictedCrf;
    if (typeof value === 'number') predicted.set(s.index, value);
  }
  return predicted;
}

export function targetFigures(a: Run, fixed: Run, range: { target: number; minCrf: number; maxCrf: number }) {
  const { target, minCrf, maxCrf } = range;
  const segments = a.done.segments;
  const n = segments.length;
  const inWindow = (v: number | undefined) => v !== undefined && v >= target - 0.5 && v <= target + 2;
  const steerable = segments.filter((s) => s.crf !== undefined && s.crf > minCrf && s.crf < maxCrf);
  const attempts = new Map<number, number>();
  for (const e of a.events) if (e.event === 'segment' && e.state === 'done') attempts.set(e.index, e.attempt ?? 1);
  const svtRuns = segments.map((s) => a.cpu.svtRunsBySegment[s.index] ?? 0);
  const predicted = predictedCrfs(a);
  const errors = segments.filter((s) => predicted.has(s.index)).map((s) => Math.abs(predicted.get(s.index)! - s.crf!));
  return {
    ...runFigures(a),
    wallRatio: round(a.seconds / fixed.seconds),
    cpuRatio: round(a.cpu.all / fixed.cpu.all),
    bytesVsFixed: round(a.done.bytes / fixed.done.bytes),
    encodesPerSegment: round(svtRuns.reduce((x, y) => x + y, 0) / n, 2),
    encodesPerSegmentMax: Math.max(...svtRuns),
    finalEncodesPerSegment: round((a.cpu.count['final encode'] ?? 0) / n, 2),
    probesPerSegment: round(a.probesPerSegment, 2),
    retryRate: round(segments.filter((s) => (attempts.get(s.index) ?? 1) > 1).length / n),
    predictor: errors.length
      ? {
          segments: errors.length,
          meanAbsErrorCrf: round(errors.reduce((x, y) => x + y, 0) / errors.length, 2),
          worstErrorCrf: Math.max(...errors),
        }
      : 'n/a until the predictor lands (no predictedCrf in the events)',
    hitRate: round(segments.filter((s) => inWindow(s.vmaf)).length / n),
    hitRateWhereRangeAllows: steerable.length ? round(steerable.filter((s) => inWindow(s.vmaf)).length / steerable.length) : null,
    verifiedBelowTMinus05: segments.filter((s) => s.vmaf !== undefined && s.vmaf < target - 0.5).length,
    atRangeEnds: n - steerable.length,
    warnings: segments.filter((s) => s.warning).map((s) => ({ index: s.index, warning: s.warning })),
    vmafWorkersStarted: a.vmafWorkersStarted,
    perSegment: segments.map((s, i) => ({
      index: s.index,
      crf: s.crf,
      verifiedVmaf: s.vmaf,
      bytes: s.bytes,
      svtRuns: svtRuns[i],
      attempt: attempts.get(s.index),
      probes: a.probes.get(s.index),
      ...(predicted.has(s.index) ? { predictedCrf: predicted.get(s.index) } : {}),
    })),
  };
}

/** The printed summary: one line per figure of the issue's report list. */
export function printTable(r: FilmResult): void {
  const t = r.targetRun;
  const f = r.fixed;
  const rows: [string, string][] = [];
  const add = (name: string, value: string | number | undefined) => rows.push([name, value === undefined ? '—' : String(value)]);
  add('case', `${r.case}${r.quick ? ' --quick' : ''}: ${r.seconds} s, ${r.plan?.segments} segments, preset ${r.preset}, T ${r.target}`);
  add('commit measured', `${r.measured.commit}${r.measured.productUnchangedSince482b933 ? ' (product = main 482b933)' : ''}`);
  if (t && f) {
    add('target run: wall s / CPU s / cores busy', `${t.seconds} / ${t.cpuSeconds} / ${t.coresBusy}`);
    add(`fixed CRF ${f.crf}: wall s / CPU s / cores busy`, `${f.seconds} / ${f.cpuSeconds} / ${f.coresBusy}`);
    add('wall ratio / CPU ratio', `${t.wallRatio} / ${t.cpuRatio}`);
    add('encodes per segment (SVT-AV1 runs) / max', `${t.encodesPerSegment} / ${t.encodesPerSegmentMax}`);
    add('probes per segment / retry rate', `${t.probesPerSegment} / ${t.retryRate}`);
    add(
      'predictor error (CRF)',
      typeof t.predictor === 'string' ? t.predictor : `mean ${t.predictor.meanAbsErrorCrf}, worst ${t.predictor.worstErrorCrf}`,
    );
    add('hit rate (verified) / where the range allows', `${t.hitRate} / ${t.hitRateWhereRangeAllows}`);
  }
  const e = r.everyFrame;
  if (e) {
    add('every frame: target windows below T − 0.5 / hits', `${e.targetBelowTMinus05} / ${e.targetHits} of ${e.target.length}`);
    add('every frame: worst window target / fixed', `${Math.min(...e.target)} / ${Math.min(...e.fixed)}`);
  }
  const ab = r.abAv1Style;
  if (ab)
    add(
      'ab-av1 style: CRF, wall ratio, bytes vs target, below T − 0.5',
      `${ab.crf}, ${round(ab.wallRatio)}, ${round(ab.bytesVsTarget)}, ${ab.below}`,
    );
  if (r.search)
    add(
      'search: predicted / actual bytes',
      `${r.search.predictedBytes} / ${r.search.actualBytes} (${round(r.search.sizeError * 100, 1)} %)`,
    );
  if (r.wholeFile) {
    const w = r.wholeFile;
    add('best whole-file CRF meeting T − 0.5 everywhere', w.best ? `${w.best.crf}${w.exact ? '' : ' (bracket not closed)'}` : 'none found');
    add('bytes ÷ best whole-file CRF', w.bytesRatio === undefined ? undefined : round(w.bytesRatio));
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(`${rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join('\n')}\n`);
}
