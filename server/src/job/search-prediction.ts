import { planSamples, type CrfDecision } from '../crf';

/**
 * What a search-only run (`chunked-av1 search`) keeps of a segment in its manifest record, so the
 * report can show the search without an encode: the CRF chosen, the VMAF measured there, and the
 * size extrapolated from the chosen probe (its samples' bytes scaled to the segment's frames). Pure.
 */
export interface SearchPrediction {
  crf: number;
  vmaf?: number;
  bytes?: number;
  warning?: string;
}

export function searchPrediction(
  decision: Pick<CrfDecision, 'crf' | 'vmaf' | 'probes' | 'warning'>,
  segmentFrames: number,
  sampling: { frameRate: number; samples: number; sampleSeconds: number },
): SearchPrediction {
  const prediction: SearchPrediction = { crf: decision.crf };
  if (decision.vmaf !== undefined) prediction.vmaf = decision.vmaf;
  if (decision.warning) prediction.warning = decision.warning;
  const chosen = decision.probes.find((p) => p.crf === decision.crf);
  if (chosen && segmentFrames >= 1) {
    const sampled = planSamples({ segmentFrames, ...sampling }).frames;
    prediction.bytes = Math.round(chosen.bytes * (segmentFrames / Math.max(1, sampled)));
  }
  return prediction;
}
