import type { VmafInputInfo } from '../vmaf';
import type { CrfLabel } from './crf-predictor';
import type { QualityTarget } from '../../../common/options';

/**
 * What a label, a slope and a verified pair were learnt for: the target metric, its value and its
 * pool (issue 25). A label is a segment's CRF at T for that metric: another target (a zone with its
 * own target-vmaf, or another metric) must never read it.
 */
export function targetKey(target: Pick<QualityTarget, 'metric' | 'value' | 'pool'>): string {
  return `${target.metric} ${target.value} ${target.pool}`;
}

/**
 * What target quality remembers across the segments of one job, and only of that job: the
 * language server runs many jobs in one process, so nothing here is module-level. The job
 * (pipeline.ts) creates one and passes it down with every segment's CRF context.
 */
/** A segment's final encode measured whole, beside what the search measured at that CRF. */
export interface VerifiedObservation {
  segment: number;
  crf: number;
  /** The whole segment's VMAF, final preset. */
  vmaf: number;
  /** What the search's probe at this CRF scored (samples and/or probe preset), when it measured one. */
  probeVmaf?: number;
  /** Bits per pixel of the segment copy (the content signal CRF prediction fits on). */
  bitsPerPixel?: number;
}

export class CrfJobState {
  /** Every verified segment of this job, in the order they were verified (the free probe→final pairs). */
  readonly verified: VerifiedObservation[] = [];

  /**
   * The predictor's labels (crf-predictor.ts): each verified segment's CRF at T, its content
   * features and what was predicted for it, in the order they were verified (local or remote).
   */
  readonly labels: CrfLabel[] = [];

  /** u = −ln(100 − VMAF) lost per CRF, one per segment whose observations gave a slope (acceptance.ts). */
  readonly slopes: number[] = [];

  /** Segment → one line per attempt (its probes), so a final miss lists every observation. */
  readonly attemptHistory = new Map<number, string[]>();

  /**
   * Described intermediates and encodes, by source and output filter settings: every one of a
   * source's segments goes through the same crop and pixel format, so one ffprobe per job and
   * settings, not one per segment (≈ 0.25 CPU s each).
   */
  readonly described = new Map<string, Promise<VmafInputInfo>>();

  /** Each target's own state (labels, slopes, verified pairs, attempts); described inputs are shared. */
  private readonly targets = new Map<string, CrfJobState>();

  /**
   * The state of one target (targetKey). The first target asked for is this state itself, so a job
   * with one target (every job before zones could name their own) reads and writes it as before.
   */
  forTarget(key: string): CrfJobState {
    if (this.targets.size === 0) this.targets.set(key, this);
    let state = this.targets.get(key);
    if (!state) {
      state = new CrfJobState(this.described);
      this.targets.set(key, state);
    }
    return state;
  }

  constructor(described?: Map<string, Promise<VmafInputInfo>>) {
    if (described) this.described = described;
  }

  /** A verified segment's label; a segment verified again (a retry) replaces its earlier label. */
  recordLabel(label: CrfLabel): void {
    const at = this.labels.findIndex((l) => l.segment === label.segment);
    if (at >= 0) this.labels.splice(at, 1);
    this.labels.push(label);
  }

  recordAttempt(segment: number, line: (attempt: number) => string): void {
    const history = this.attemptHistory.get(segment) ?? [];
    history.push(line(history.length + 1));
    this.attemptHistory.set(segment, history);
  }

  historyOf(segment: number): readonly string[] {
    return this.attemptHistory.get(segment) ?? [];
  }

  /** A verified segment's history is no longer needed. */
  forget(segment: number): void {
    this.attemptHistory.delete(segment);
  }

  describe(key: string, run: () => Promise<VmafInputInfo>): Promise<VmafInputInfo> {
    let found = this.described.get(key);
    if (!found) {
      found = run();
      this.described.set(key, found);
      // A failed or cancelled probe is not remembered.
      found.catch(() => {
        if (this.described.get(key) === found) this.described.delete(key);
      });
    }
    return found;
  }
}
