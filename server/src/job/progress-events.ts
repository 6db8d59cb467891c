import type { EventSink, JobEvent, ProgressEvent } from '../../../common/events';
import { ProgressView } from './progress-view';

/** No progress event for this long: one is sent anyway, so the percent and ETA keep moving. */
export const PROGRESS_EVERY_MS = 1000;
/** A running step's own progress is passed on at most this often (scene detection reports every frame). */
export const STEP_EVERY_MS = 250;

/** A progress event that names the step running before the plan exists, and how far it is. */
export function stepEvent(step: string, share: number, framesTotal: number): ProgressEvent {
  return {
    event: 'progress',
    framesDone: 0,
    framesTotal,
    segmentsDone: 0,
    segmentsTotal: 0,
    fps: 0,
    etaSeconds: null,
    elapsedSeconds: 0,
    estimatedBytes: null,
    step,
    stepPercent: Math.round(Math.min(1, Math.max(0, share)) * 1000) / 10,
  };
}

/**
 * A planning step's progress (share 0..1) as step events on EMIT: the first, then at most every
 * STEP_EVERY_MS, and the end. FRAMES_TOTAL is the source's: it paces the ETA before the plan.
 */
export function stepReporter(
  emit: EventSink,
  framesTotal: number,
  now: () => number = () => performance.now(),
): (step: string, share: number) => void {
  let last: { step: string; at: number } | undefined;
  return (step, share) => {
    const at = now();
    if (last?.step === step && at - last.at < STEP_EVERY_MS && share < 1) return;
    last = { step, at };
    emit(stepEvent(step, share, framesTotal));
  };
}

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
  preset?: number,
): { emit: EventSink; close: () => void } {
  const view = new ProgressView(targetQuality, now, preset);
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
    // The step the view sees running now (not the one a repeated event named).
    delete event.step;
    delete event.stepPercent;
    const step = view.currentStep();
    if (step) Object.assign(event, step);
    lastSent = now();
    sink?.(event);
  };
  const emit = (event: JobEvent) => {
    view.observe(event);
    if (event.event === 'progress') {
      // A step's progress after the plan (the segment copies) keeps the plan's totals.
      if (event.step === undefined || latest?.step !== undefined || !latest) latest = event;
      send(latest);
      return;
    }
    // Before the first encoded frame, the plan's totals (not zeros, nor a planning step's).
    if (event.event === 'plan' && (!latest || latest.step !== undefined))
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
