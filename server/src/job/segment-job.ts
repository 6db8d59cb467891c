import { rename, stat, unlink } from 'node:fs/promises';
import { crfStrategyFor, type SegmentCrfContext } from '../crf';
import { encodeSegment, type EncodeRunOptions } from '../encode';
import type { VideoEncodeSettings } from '../encode';
import { fileSha256 } from './manifest';
import type { Probe, SegmentState } from '../../../common/events';
import { probeSegment, segmentProblems, type SegmentExpectation } from '../validate';

/**
 * One segment's work, one attempt: choose the CRF, encode to a temporary name, validate, rename
 * into encoded/. Retries, time-outs and the search wrap this function; it never retries itself.
 */
export interface SegmentJobInput {
  crfContext: SegmentCrfContext;
  /** Encoder settings except the CRF, which the strategy decides. */
  settings: Omit<VideoEncodeSettings, 'crf'>;
  expectation: SegmentExpectation;
  /** Where the validated file ends up, and where it is written before validation. */
  output: string;
  tempOutput: string;
  run?: Omit<EncodeRunOptions, 'signal'>;
  onState?: (state: SegmentState, details?: { crf?: number; probes?: Probe[] }) => void;
}

export interface SegmentJobResult {
  crf: number;
  vmaf?: number;
  probes: Probe[];
  warning?: string;
  /** Target quality: kept below the target because the metric saturates there (CrfDecision.unreachable). */
  unreachable?: string;
  predictedCrf?: number;
  /** SVT-AV1 runs over the segment: its probes, plus the final encode unless a probe was reused (the report's column). */
  encodes?: number;
  bytes: number;
  frames: number;
  hash: string;
  encodeSeconds: number;
  peakRssBytes?: number;
  /** The verification's scored frames (index, VMAF), for the report's per-frame chart. */
  scoredFrames?: { index: number; vmaf: number }[];
}

/** A segment whose encode ran but whose result is wrong (not a crash of ffmpeg). */
export class SegmentValidationError extends Error {
  constructor(
    readonly index: number,
    readonly problems: string[],
  ) {
    super(problems.join('; '));
    this.name = 'SegmentValidationError';
  }
}

export async function runSegmentJob(input: SegmentJobInput): Promise<SegmentJobResult> {
  const { crfContext, expectation } = input;
  const signal = crfContext.signal;
  const strategy = crfStrategyFor(crfContext.options);
  if (crfContext.options.targetVmaf !== undefined) input.onState?.('searching');
  const decision = await strategy({ ...crfContext, encodeSettings: crfContext.encodeSettings ?? input.settings });
  let encodeSeconds = 0;
  let peakRssBytes: number | undefined;
  let scoredFrames: SegmentJobResult['scoredFrames'];
  try {
    if (decision.reusableOutput) {
      // The final-encode path made this segment's encode at its final settings (a search probe reused is not one).
      if (decision.finalEncodes) input.onState?.('encoding', { crf: decision.crf });
      await rename(decision.reusableOutput, input.tempOutput);
    } else {
      input.onState?.('encoding', { crf: decision.crf });
      const run = await encodeSegment(
        crfContext.tools,
        crfContext.sourceFile,
        crfContext.segment,
        { ...input.settings, crf: decision.crf },
        input.tempOutput,
        { ...input.run, signal },
      );
      encodeSeconds = run.seconds;
      peakRssBytes = run.peakRssBytes;
    }
    input.onState?.('validating', { crf: decision.crf });
    const facts = await probeSegment(crfContext.tools, input.tempOutput, signal);
    const problems = segmentProblems(facts, expectation);
    if (problems.length) throw new SegmentValidationError(crfContext.segment.index, problems);
    if (decision.verify) {
      const verified = await decision.verify(input.tempOutput);
      decision.vmaf = verified.vmaf;
      if (verified.frames?.length) scoredFrames = verified.frames;
    }
    await rename(input.tempOutput, input.output);
  } catch (error) {
    await unlink(input.tempOutput).catch(() => undefined);
    throw error;
  }
  const bytes = (await stat(input.output)).size;
  const result: SegmentJobResult = {
    crf: decision.crf,
    probes: decision.probes,
    bytes,
    frames: expectation.frames,
    hash: await fileSha256(input.output),
    encodeSeconds,
    encodes: decision.probes.length + (decision.reusableOutput ? 0 : 1),
  };
  if (decision.vmaf !== undefined) result.vmaf = decision.vmaf;
  if (decision.warning) result.warning = decision.warning;
  if (decision.unreachable) result.unreachable = decision.unreachable;
  if (decision.predictedCrf !== undefined) result.predictedCrf = decision.predictedCrf;
  if (peakRssBytes !== undefined) result.peakRssBytes = peakRssBytes;
  if (scoredFrames) result.scoredFrames = scoredFrames;
  return result;
}
