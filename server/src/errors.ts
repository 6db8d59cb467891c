/**
 * A failure the user can act on. `message` is the one line the CLI prints: it names the file
 * and the cause. Anything else thrown is a bug and is reported with its stack in debug logs.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/**
 * A failure that no retry and no other segment can get past (every host of a --hosts job is
 * gone): the job stops at once with this one line, and its work directory stays resumable.
 */
export class JobStopError extends UserError {
  constructor(message: string, file?: string) {
    super(message, file);
    this.name = 'JobStopError';
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

/** The file-system causes a user can act on, in plain words. */
const ERRNO_CAUSES: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'a name in this path is too long for the file system',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of this path is a file, not a folder',
  ELOOP: 'too many symbolic links (a symlink loop?)',
  EMFILE: 'too many open files (raise the limit: ulimit -n)',
  ENFILE: 'the system has too many open files',
  ENOENT: 'no such file or folder',
};

/**
 * One line for a file-system error (Node's `code` + `path`): "PATH: cause". Undefined when the
 * error is not one of these, which leaves it to be reported as the bug it is.
 */
export function errnoMessage(error: unknown): string | undefined {
  const { code, path, dest } = (error ?? {}) as { code?: unknown; path?: unknown; dest?: unknown };
  if (typeof code !== 'string' || !Object.hasOwn(ERRNO_CAUSES, code)) return undefined;
  const where =
    typeof dest === 'string' && code !== 'ENOENT'
      ? `${typeof path === 'string' ? path : '?'} → ${dest}`
      : typeof path === 'string'
        ? path
        : undefined;
  return `${where ?? 'file system'}: ${ERRNO_CAUSES[code]} (${code})`;
}
