import type { JobEvent } from '../../common/events';

/**
 * A `plan` event for segments of FRAMES frames each at 24 fps, one after another, as the pipeline
 * sends it: what the progress tests feed the live line and the estimator. PICTURE sets the
 * duration and size the event reports.
 */
export function planEvent(
  frames: number[],
  workers: number,
  picture: { durationSeconds: number; width: number; height: number },
): JobEvent {
  let start = 0;
  return {
    event: 'plan',
    input: 'in.mkv',
    workDir: '/w',
    segments: frames.length,
    frames: frames.reduce((a, b) => a + b, 0),
    ...picture,
    fps: 24,
    workers,
    ranges: frames.map((n, index) => {
      const r = { index, startFrame: start, frames: n, startSeconds: start / 24, endSeconds: (start + n) / 24 };
      start += n;
      return r;
    }),
  };
}
