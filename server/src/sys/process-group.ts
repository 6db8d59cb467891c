/**
 * Signals a whole process group (falling back to the single process). Kept apart from
 * processes.ts so that modules which only need to kill (the child registry) do not load execa.
 */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try { process.kill(pid, signal); } catch { /* already gone */ }
  }
}
