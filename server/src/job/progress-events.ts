import type { EventSink, JobEvent, ProgressEvent } from '../../../common/events';
import { ProgressView } from './progress-view';

/** No progress event for this long: one is sent anyway, so the percent and ETA keep moving. */
export const PROGRESS_EVERY_MS = 1000;

/**
 * The job's events with the work-weighted `percent` and the work model's ETA in every progress
 * event (the CLI's --json, the editor's status bar), and a progress event after every phase and
 * segment step and at least once a second, so a long probe, scene detection or search does not
 * leave them still. One ProgressView sees every event, as the CLI's own line does.
 */
export function progressEvents(
  sink: EventSink | undefined,
  targetQuality: boolean,
  now: () => number = () => performance.now(),
): { emit: EventSink; close: () => void } {
  const view = new ProgressView(targetQuality, now);
  const started = now();
  let latest: ProgressEvent | undefined;
  let lastSent = -Infinity;
  const send = (base: ProgressEvent | undefined) => {
    const event: ProgressEvent = {
      ...(base ?? {
        event: 'progress',
        framesDone: 0,
        framesTotal: 0,
        segmentsDone: 0,
        segmentsTotal: 0,
        fps: 0,
        etaSeconds: null,
        elapsedSeconds: 0,
        estimatedBytes: null,
      }),
      elapsedSeconds: Math.round((now() - started) / 100) / 10,
      etaSeconds: view.etaSeconds(),
      percent: view.percent(),
    };
    lastSent = now();
    sink?.(event);
  };
  const emit = (event: JobEvent) => {
    view.observe(event);
    if (event.event === 'progress') {
      latest = event;
      send(event);
      return;
    }
    // Before the first encoded frame, the plan's totals (not zeros).
    if (event.event === 'plan' && !latest)
      latest = {
        event: 'progress',
        framesDone: 0,
        framesTotal: event.frames,
        segmentsDone: 0,
        segmentsTotal: event.segments,
        fps: 0,
        etaSeconds: null,
        elapsedSeconds: 0,
        estimatedBytes: null,
      };
    sink?.(event);
    if (event.event === 'phase' || event.event === 'segment' || event.event === 'plan') send(latest);
  };
  const timer = setInterval(() => {
    if (now() - lastSent >= PROGRESS_EVERY_MS) send(latest);
  }, PROGRESS_EVERY_MS);
  timer.unref();
  return { emit, close: () => clearInterval(timer) };
}
