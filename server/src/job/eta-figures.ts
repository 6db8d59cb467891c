import type { JobEvent } from '../../../common/events';

/**
 * The figures bench/eta.ts reports and the unit tests check, from a run's progress as it was seen:
 * each sample is (seconds since the start, percent, ETA) and the run's true length. Pure.
 */
export interface ProgressSample {
  at: number;
  percent: number;
  eta: number | null;
}

export interface EtaFigures {
  totalSeconds: number;
  /** |ETA − true remaining| / true remaining, at 25, 50 and 75 % of the run's time (null: no ETA then). */
  errorAt: Record<25 | 50 | 75, number | null>;
  /** The longest time percent did not change, as a share of the run. */
  longestStallShare: number;
}

export function etaFigures(samples: readonly ProgressSample[], totalSeconds: number): EtaFigures {
  const errorAt = { 25: null, 50: null, 75: null } as EtaFigures['errorAt'];
  for (const share of [25, 50, 75] as const) {
    const at = (totalSeconds * share) / 100;
    // The last sample at or before that moment: what the user saw then.
    const seen = [...samples].reverse().find((s) => s.at <= at);
    if (seen?.eta === null || seen === undefined) continue;
    const truth = totalSeconds - seen.at;
    errorAt[share] = truth > 0 ? Math.abs(seen.eta - truth) / truth : 0;
  }
  let longest = 0;
  let since = samples[0]?.at ?? 0;
  let value = samples[0]?.percent;
  for (const s of samples) {
    if (s.percent !== value) {
      longest = Math.max(longest, s.at - since);
      since = s.at;
      value = s.percent;
    }
  }
  longest = Math.max(longest, (samples.at(-1)?.at ?? since) - since);
  return { totalSeconds, errorAt, longestStallShare: totalSeconds > 0 ? longest / totalSeconds : 0 };
}

/** Progress events of a --json run (with the times they were read) as samples. */
export function samplesOf(events: readonly { at: number; event: JobEvent }[]): ProgressSample[] {
  return events.flatMap(({ at, event }) =>
    event.event === 'progress' && event.percent !== undefined ? [{ at, percent: Math.floor(event.percent), eta: event.etaSeconds }] : [],
  );
}
