import { CancelledError, JobStopError, errorMessage } from '../errors';

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

/** Failures that must not be retried: the user cancelled, the disk is full (retrying would
 * just fail again and could eat the space the manifest needs), or the job must stop (JobStopError). */
export function isRetryable(error: unknown): boolean {
  if (error instanceof CancelledError || error instanceof JobStopError) return false;
  if ((error as NodeJS.ErrnoException)?.code === 'ENOSPC') return false;
  if (/No space left on device/i.test(errorMessage(error))) return false;
  return true;
}

export interface AttemptFailure {
  attempt: number;
  label: string;
  error: unknown;
}

export type RetryOutcome<T> =
  { ok: true; value: T; attempt: number; failures: AttemptFailure[] } | { ok: false; failures: AttemptFailure[] };

export interface RetryHooks {
  signal?: AbortSignal;
  /** Called before each attempt (attempt numbers start at 1). */
  onAttempt?: (attempt: number, rung: RetryAttempt) => void;
  /** Called after an attempt fails, before the next one (if any) starts. */
  onFailure?: (failure: AttemptFailure, willRetry: boolean) => void;
  retryable?: (error: unknown) => boolean;
}

/**
 * Runs `attempt` once per rung until one succeeds. Cancellation and non-retryable errors are
 * rethrown at once; otherwise the outcome lists every failure so the caller can report causes.
 */
export async function runWithRetries<T>(
  ladder: RetryLadder,
  attempt: (rung: RetryAttempt, attemptNumber: number) => Promise<T>,
  hooks: RetryHooks = {},
): Promise<RetryOutcome<T>> {
  if (ladder.length === 0) throw new Error('a retry ladder needs at least one rung');
  const retryable = hooks.retryable ?? isRetryable;
  const failures: AttemptFailure[] = [];
  for (let index = 0; index < ladder.length; index++) {
    if (hooks.signal?.aborted) throw new CancelledError();
    const rung = ladder[index]!;
    const attemptNumber = index + 1;
    hooks.onAttempt?.(attemptNumber, rung);
    try {
      const value = await attempt(rung, attemptNumber);
      return { ok: true, value, attempt: attemptNumber, failures };
    } catch (error) {
      if (error instanceof CancelledError || hooks.signal?.aborted) throw error instanceof CancelledError ? error : new CancelledError();
      if (!retryable(error)) throw error;
      const failure = { attempt: attemptNumber, label: rung.label, error };
      failures.push(failure);
      hooks.onFailure?.(failure, index + 1 < ladder.length);
    }
  }
  return { ok: false, failures };
}
