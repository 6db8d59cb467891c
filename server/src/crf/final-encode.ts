import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Probe } from '../../../common/events';
import { encodeSegment } from '../encode';
import { denserStride, FINAL_PATH_ENCODES, firstStride, judgeFinalEncode, type FinalVerdict } from './acceptance';
import { measureAgainst, probeKey, reference, segmentThroughFilter, type SegmentSearch } from './probe-measure';
import type { Observation } from './search';

/**
 * The final encode is the probe (issue 22, item 2), the process side: encode the whole segment at
 * the final preset at the predicted CRF, score it (coarse far from the bound, at the configured
 * stride near it: the same encode scored again costs a decode and VMAF, not an encode), and let
 * acceptance.ts accept it, ask for one re-encode, or hand the segment to the search. Every score
 * is a measurement in the quality cache, so a re-run encodes nothing it does not keep.
 */

export interface FinalEncodeInput {
  /** A SegmentSearch over the whole segment at the final settings (full-pass plan, exact). */
  search: SegmentSearch;
  /** The first CRF (predicted), or the CRFs a previous run encoded (replayed in order). */
  crfs: readonly number[];
  step: number;
  minCrf: number;
  maxCrf: number;
  slope: number;
  onProbe?: (probe: Probe) => void;
}

export interface FinalEncodeRun {
  verdict: Exclude<FinalVerdict, { kind: 'reencode' }>;
  encodes: Observation[];
  probes: Probe[];
  /** The accepted encode's file, when it is on disk (not when its score came from the cache). */
  output?: string;
}

function withStride(search: SegmentSearch, subsample: number): SegmentSearch {
  return { ...search, vmafSettings: { ...search.vmafSettings, subsample } };
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** One whole-segment encode at `crf`, scored; what the cache already holds is not encoded or measured again. */
async function scoreFinalEncode(search: SegmentSearch, crf: number): Promise<{ probe: Probe; output: string }> {
  const { ctx, cache, dir } = search;
  const configured = search.vmafSettings.subsample;
  const coarse = withStride(search, firstStride(configured));
  const dense = withStride(search, configured);
  const output = path.join(dir, `final-crf${crf}.mkv`);
  const started = performance.now();
  let encoded = false;
  const encode = async () => {
    if (encoded || (await exists(output))) return;
    await encodeSegment(ctx.tools, ctx.sourceFile, ctx.segment, { ...search.settings, crf }, output, { signal: ctx.signal });
    encoded = true;
  };
  const measure = async (at: SegmentSearch) => {
    const key = probeKey(at, crf);
    const cached = cache.get(key);
    if (cached) return cached;
    await encode();
    const ref = search.builtinVmaf ? await segmentThroughFilter(search, output) : await reference(search);
    const result = await measureAgainst(at, ref, output, search.referenceCache);
    const bytes = (await stat(output)).size;
    const seconds = (performance.now() - started) / 1000;
    await cache.putMeasurement({ key, crf, vmaf: result.score, bytes, seconds, segment: ctx.segment.index });
    return { vmaf: result.score, bytes, seconds };
  };
  let scored = await measure(coarse);
  const denser = denserStride({
    vmaf: scored.vmaf,
    target: search.target,
    stride: firstStride(configured),
    configured,
    scale: search.scale,
  });
  if (denser !== undefined) scored = await measure(dense);
  const inMetric = search.scale.metric !== 'vmaf' ? { metric: search.scale.metric } : {};
  return { probe: { crf, vmaf: scored.vmaf, ...inMetric, bytes: scored.bytes, seconds: scored.seconds }, output };
}

export async function runFinalEncodes(input: FinalEncodeInput): Promise<FinalEncodeRun> {
  const { search } = input;
  const encodes: Observation[] = [];
  const probes: Probe[] = [];
  const outputs = new Map<number, string>();
  let crf = input.crfs[0]!;
  for (;;) {
    const { probe, output } = await scoreFinalEncode(search, crf);
    encodes.push(probe);
    probes.push(probe);
    outputs.set(crf, output);
    input.onProbe?.(probe);
    const verdict = judgeFinalEncode({
      target: search.target,
      minCrf: input.minCrf,
      maxCrf: input.maxCrf,
      step: input.step,
      encodes,
      slope: input.slope,
      maxEncodes: FINAL_PATH_ENCODES,
      scale: search.scale,
    });
    if (verdict.kind === 'reencode') {
      // A replay asks for what the first run encoded (the slope may have been learned otherwise).
      const replayed = input.crfs[encodes.length];
      crf = replayed !== undefined && !encodes.some((e) => e.crf === replayed) ? replayed : verdict.crf;
      continue;
    }
    const kept = verdict.kind === 'accept' ? outputs.get(verdict.crf) : undefined;
    return { verdict, encodes, probes, ...(kept && (await exists(kept)) ? { output: kept } : {}) };
  }
}
