/**
 * A failure the user can act on. `message` is the one line the CLI prints: it names the file
 * and the cause. Anything else thrown is a bug and is reported with its stack in debug logs.
 */
export class UserError extends Error {
  constructor(message: string, readonly file?: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** A usage error (bad flags): exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Raised when the job's AbortSignal fires; the CLI maps it to exit 130. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_CANCELLED = 130;

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
