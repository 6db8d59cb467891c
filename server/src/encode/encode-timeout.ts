/**
 * Per-process time-outs for encoder runs. A hung encoder must be killed and counted as a failed
 * attempt, but a slow machine must not be mistaken for a hang: until a segment has finished we
 * only know the frame count, so the first runs get a generous floor; afterwards the limit follows
 * the encode speed measured on this job's own segments.
 */
export interface TimeoutPolicy {
  /** Never less than this (process start-up, probing, small segments). */
  floorMs: number;
  /** How many times slower than the measured speed an encode may run before it counts as hung. */
  slowdownFactor: number;
  /** Assumed speed (frames per second) before anything has been measured; deliberately low. */
  pessimisticFps: number;
  /** Never more than this. */
  ceilingMs: number;
}

export const DEFAULT_TIMEOUT_POLICY: TimeoutPolicy = {
  floorMs: 120_000,
  slowdownFactor: 8,
  pessimisticFps: 0.25,
  ceilingMs: 24 * 3600_000,
};

/** The limit for encoding `frames` frames given the speed measured so far (undefined if none). */
export function encodeTimeoutMs(frames: number, measuredFps: number | undefined, policy: TimeoutPolicy = DEFAULT_TIMEOUT_POLICY): number {
  const fps = measuredFps && measuredFps > 0 ? measuredFps / policy.slowdownFactor : policy.pessimisticFps;
  const expected = (Math.max(1, frames) / fps) * 1000;
  return Math.round(Math.min(policy.ceilingMs, Math.max(policy.floorMs, expected)));
}

/**
 * Tracks the job's encode speed over finished segments. Uses the slowest per-worker speed seen
 * recently rather than the mean, so that a hard scene does not make its neighbours time out.
 */
export class EncodeSpeedTracker {
  private readonly recent: number[] = [];

  constructor(private readonly window = 8) {}

  record(frames: number, seconds: number): void {
    if (frames <= 0 || seconds <= 0) return;
    this.recent.push(frames / seconds);
    if (this.recent.length > this.window) this.recent.shift();
  }

  /** Frames per second of one worker (slowest recent), or undefined before the first segment. */
  get fps(): number | undefined {
    return this.recent.length ? Math.min(...this.recent) : undefined;
  }

  timeoutMs(frames: number, policy: TimeoutPolicy = DEFAULT_TIMEOUT_POLICY): number {
    return encodeTimeoutMs(frames, this.fps, policy);
  }
}

/** Reads CHUNKED_AV1_ENCODE_TIMEOUT_FLOOR_MS, _SLOWDOWN and _ASSUMED_FPS so a test can make the time-out bite at once. */
export function timeoutPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): TimeoutPolicy {
  const number = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    floorMs: number('CHUNKED_AV1_ENCODE_TIMEOUT_FLOOR_MS', DEFAULT_TIMEOUT_POLICY.floorMs),
    slowdownFactor: number('CHUNKED_AV1_ENCODE_TIMEOUT_SLOWDOWN', DEFAULT_TIMEOUT_POLICY.slowdownFactor),
    pessimisticFps: number('CHUNKED_AV1_ENCODE_TIMEOUT_ASSUMED_FPS', DEFAULT_TIMEOUT_POLICY.pessimisticFps),
    ceilingMs: DEFAULT_TIMEOUT_POLICY.ceilingMs,
  };
}
