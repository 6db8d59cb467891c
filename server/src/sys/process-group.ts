/**
 * Signals a process group (falling back to the single process). Kept apart from processes.ts so
 * that modules which only need to kill (the child registry) do not load execa. Callers pass only
 * pids they started or proved to be theirs (kill-decision.ts); pid 0, 1 and negative pids, which
 * would reach init, our own group or every process we may signal, are refused here whatever the caller.
 */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals, options: { group?: boolean } = {}): void {
  if (pid === undefined || !Number.isInteger(pid) || pid <= 1 || pid === process.pid) return;
  if (options.group !== false) {
    try {
      process.kill(-pid, signal);
      return;
    } catch {
      /* not a group leader, or gone: fall through to the process itself */
    }
  }
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}
