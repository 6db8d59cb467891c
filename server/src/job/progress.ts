import type { PlanEvent, ProgressEvent } from '../../../common/events';

/**
 * Job progress from the frames each segment's encoder reports: overall fps, ETA and the output
 * size extrapolated from the segments already done. Pure bookkeeping plus the terminal line.
 */
export class ProgressTracker {
  private readonly framesBySegment = new Map<number, number>();
  private segmentsDone = 0;
  private doneFrames = 0;
  private doneBytes = 0;
  private readonly started: number;
  /** Frames already done when this run started (skipped segments): not counted in the fps. */
  private skippedFrames = 0;

  constructor(
    readonly framesTotal: number,
    readonly segmentsTotal: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  segmentFrames(index: number, frames: number): void {
    this.framesBySegment.set(index, frames);
  }

  segmentDone(index: number, frames: number, bytes: number, skipped = false): void {
    this.framesBySegment.delete(index);
    this.segmentsDone++;
    this.doneFrames += frames;
    this.doneBytes += bytes;
    if (skipped) this.skippedFrames += frames;
  }

  /** Frames the running encode of segment INDEX has reported (0 before its encode starts). */
  framesEncoded(index: number): number {
    return this.framesBySegment.get(index) ?? 0;
  }

  segmentRestarted(index: number): void {
    this.framesBySegment.delete(index);
  }

  snapshot(): ProgressEvent {
    const elapsedSeconds = (this.now() - this.started) / 1000;
    let inFlight = 0;
    for (const frames of this.framesBySegment.values()) inFlight += frames;
    const framesDone = Math.min(this.framesTotal, this.doneFrames + inFlight);
    const encodedHere = framesDone - this.skippedFrames;
    const fps = elapsedSeconds > 0 ? encodedHere / elapsedSeconds : 0;
    const remaining = this.framesTotal - framesDone;
    return {
      event: 'progress',
      framesDone,
      framesTotal: this.framesTotal,
      segmentsDone: this.segmentsDone,
      segmentsTotal: this.segmentsTotal,
      fps: Math.round(fps * 100) / 100,
      etaSeconds: fps > 0 ? Math.round(remaining / fps) : null,
      elapsedSeconds: Math.round(elapsedSeconds * 10) / 10,
      estimatedBytes: this.doneFrames > 0 ? Math.round((this.doneBytes / this.doneFrames) * this.framesTotal) : null,
    };
  }
}

export function clock(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h ? `${h}:` : ''}${String(m).padStart(h ? 2 : 1, '0')}:${String(sec).padStart(2, '0')}`;
}

export function size(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

/** The live terminal line: segments done/total, fps, elapsed, ETA, estimated size. */
export function progressLine(p: ProgressEvent): string {
  const percent = p.framesTotal ? Math.floor((p.framesDone / p.framesTotal) * 100) : 0;
  return [
    `segments ${p.segmentsDone}/${p.segmentsTotal}`,
    `${percent}%`,
    `${p.fps.toFixed(1)} fps`,
    `elapsed ${clock(p.elapsedSeconds)}`,
    `ETA ${p.etaSeconds === null ? '--:--' : clock(p.etaSeconds)}`,
    `size ~${p.estimatedBytes === null ? '?' : size(p.estimatedBytes)}`,
  ].join('  ');
}

/**
 * The output's size estimate for the live line, saying what it counts: the video extrapolated from
 * the segments done plus the streams the mux carries (known from the source). Undefined before a
 * segment is done.
 */
export function sizeEstimateText(videoBytes: number | null | undefined, carried?: PlanEvent['carried']): string | undefined {
  if (!videoBytes) return undefined;
  if (!carried?.kinds.length) return `size ~${size(videoBytes)}`;
  return `size ~${size(videoBytes + carried.bytes)} (video + ${size(carried.bytes)} ${carried.kinds.join(', ')})`;
}

export { ProgressView, type TailStep, type WorkKind } from './progress-view';
