import { CancelledError, JobStopError, errorMessage } from '../errors';
import type { RetryAttempt, RetryLadder } from '../crf';

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
