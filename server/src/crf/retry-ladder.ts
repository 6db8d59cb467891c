/**
 * The retry ladder, kept as data: each rung says how the next attempt differs from the job's
 * settings. The fixed-CRF encode uses a two-rung ladder (the same settings twice, because a
 * transient failure such as an OOM kill or a hung encoder deserves one more try); the
 * target-quality search uses the seed's three rungs and may append its own.
 */
export interface RetryAttempt {
  /** Shown in logs and events: why this attempt differs from the previous one. */
  label: string;
  /** Number of VMAF samples for the search (undefined: the job's setting). */
  samples?: number;
  /** Length of each VMAF sample in seconds (undefined: the job's setting). */
  sampleSeconds?: number;
  /** Added to the target VMAF (negative lowers it). */
  targetOffset?: number;
}

export type RetryLadder = readonly RetryAttempt[];

export const FIXED_CRF_LADDER: RetryLadder = Object.freeze([{ label: 'default settings' }, { label: 'same settings again' }]);

export const TARGET_QUALITY_LADDER: RetryLadder = Object.freeze([
  { label: 'default settings' },
  { label: 'more and longer samples (6 x 2 s)', samples: 6, sampleSeconds: 2 },
  { label: 'target lowered by 2', samples: 6, sampleSeconds: 2, targetOffset: -2 },
]);

export interface LadderChoice {
  /** True when the job searches a CRF for a target VMAF rather than using a fixed CRF. */
  targetQuality: boolean;
}

export function ladderFor(choice: LadderChoice): RetryLadder {
  return choice.targetQuality ? TARGET_QUALITY_LADDER : FIXED_CRF_LADDER;
}

/** A new ladder with extra rungs after the given ones (the ladder itself is never mutated). */
export function extendLadder(ladder: RetryLadder, ...more: RetryAttempt[]): RetryLadder {
  return Object.freeze([...ladder, ...more]);
}

export interface SearchSettings {
  targetVmaf?: number;
  samples: number;
  sampleSeconds: number;
}

/** The settings an attempt runs with: the job's settings with the rung's changes applied. */
export function applyAttempt<T extends SearchSettings>(settings: T, attempt: RetryAttempt): T {
  return {
    ...settings,
    samples: attempt.samples ?? settings.samples,
    sampleSeconds: attempt.sampleSeconds ?? settings.sampleSeconds,
    targetVmaf: settings.targetVmaf === undefined ? undefined : settings.targetVmaf + (attempt.targetOffset ?? 0),
  };
}
