import { CancelledError } from '../errors';
import { stopAllProcesses } from '../sys';

/**
 * Signals → cancellation. The pipeline only knows an AbortSignal (the editor cancels through the
 * same path); this module turns the first SIGINT/SIGTERM/SIGHUP into `abort()`, after which the
 * pipeline stops starting work, its running processes' groups are killed, their temp files are
 * removed and the manifest is written, and the CLI exits 130. A second signal means "now": we
 * run the last-resort hook (kill the known process groups) and exit 130 at once.
 */
export type ShutdownSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

export interface ShutdownHooks {
  /** Called on the first signal, after abort() (e.g. to print "stopping…"). */
  onFirstSignal?: (signal: ShutdownSignal) => void;
  /** Called on the second signal just before exiting; must be synchronous. */
  onForcedExit?: (signal: ShutdownSignal) => void;
  /** Exit function for the forced path (tests replace it). */
  exit?: (code: number) => void;
}

export const SHUTDOWN_SIGNALS: readonly ShutdownSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Installs the handlers and returns a function that removes them. While installed, Node's
 * default action (exit at once, leaving the manifest stale) is replaced by ours.
 */
export function installShutdownHandlers(controller: AbortController, hooks: ShutdownHooks = {}): () => void {
  let received = 0;
  const exit = hooks.exit ?? ((code: number) => process.exit(code));
  const handler = (signal: ShutdownSignal) => {
    received++;
    if (received === 1) {
      controller.abort(new CancelledError(`cancelled by ${signal}`));
      // Also the processes no job signal reaches (a tool check that hangs): their groups end too.
      stopAllProcesses();
      hooks.onFirstSignal?.(signal);
      return;
    }
    try {
      hooks.onForcedExit?.(signal);
    } finally {
      exit(130);
    }
  };
  const listeners = SHUTDOWN_SIGNALS.map((signal) => {
    const listener = () => handler(signal);
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}

/** An AbortSignal that fires when either input fires (AbortSignal.any exists from Node 20.3). */
export function anySignal(signals: readonly (AbortSignal | undefined)[]): AbortSignal {
  const present = signals.filter((s): s is AbortSignal => Boolean(s));
  return AbortSignal.any(present);
}

/** Throws CancelledError if the signal has fired; call between steps that must not start late. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof CancelledError ? signal.reason : new CancelledError();
}
