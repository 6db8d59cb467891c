/**
 * Seconds until every segment is done: RUNNING (seconds of work left each) and QUEUED (seconds of
 * work each, started in that order as workers free up), where a second of work is one worker's
 * with WORKERS running side by side, as the rates were timed. With SHARED, while fewer segments
 * than workers run, each has more of the machine: WORKERS / running times the pace. That is a
 * target-quality segment's (its VMAF threads take the cores another segment leaves: timelines, a
 * last predicted segment alone on 2 cores took 1.5 to 4 times less than one beside another); a
 * fixed-CRF encode runs on its worker's threads only. Pure.
 */
export function scheduleSeconds(running: readonly number[], queued: readonly number[], workers: number, shared = false): number {
  const slots = Math.max(1, workers);
  const active = [...running];
  const waiting = [...queued];
  let elapsed = 0;
  while (active.length || waiting.length) {
    while (active.length < slots && waiting.length) active.push(waiting.shift()!);
    const speed = shared ? slots / active.length : 1;
    const next = Math.min(...active) / speed;
    elapsed += next;
    for (let i = active.length - 1; i >= 0; i--) {
      active[i] = active[i]! - next * speed;
      if (active[i]! <= 1e-9) active.splice(i, 1);
    }
  }
  return elapsed;
}
