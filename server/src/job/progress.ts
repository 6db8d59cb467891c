import type { JobEvent, PhaseEvent, PlanEvent, Probe, ProgressEvent, SegmentEvent, SegmentState } from '../../../common/events';

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

/** A segment's kinds of work, each timed separately: a search costs far more per frame than a check. */
export type WorkKind = 'search' | 'encode' | 'validate';
/** The steps after the last segment, shown by name. */
export type TailStep = 'joining' | 'muxing' | 'checking';

const KIND_OF_STATE: Partial<Record<SegmentState, WorkKind>> = { searching: 'search', encoding: 'encode', validating: 'validate' };
const TAIL_OF_PHASE: Partial<Record<PhaseEvent['phase'], TailStep>> = { concat: 'joining', mux: 'muxing', validate: 'checking' };
const TAIL_STEPS: readonly TailStep[] = ['joining', 'muxing', 'checking'];
const KIND_LABEL: Record<WorkKind, string> = { search: 'searching', encode: 'encoding', validate: 'checking' };

interface Running {
  kind: WorkKind;
  since: number;
  probe?: Probe;
}

/**
 * The CLI's live view of a job, fed with every job event and asked for a line whenever the
 * terminal redraws (at least once a second, so elapsed time never freezes). Pure: the clock is
 * injected. The ETA comes from measured seconds per source frame for each kind of work (search,
 * encode, validate) over the segments that finished it, spread over the workers, plus the tail
 * steps, which read every frame once like a segment check does. Unknown rates give no ETA
 * rather than a guess.
 */
export class ProgressView {
  private readonly framesOf = new Map<number, number>();
  private readonly running = new Map<number, Running>();
  private readonly done = new Set<number>();
  private readonly spent: Record<WorkKind, { seconds: number; frames: number }> = {
    search: { seconds: 0, frames: 0 },
    encode: { seconds: 0, frames: 0 },
    validate: { seconds: 0, frames: 0 },
  };
  private workers = 1;
  private framesTotal = 0;
  private latest?: ProgressEvent;
  private carried?: PlanEvent['carried'];
  private tail?: { step: TailStep; since: number };
  /** Before the plan: what the job is doing (reading the source, planning its segments). */
  private early: 'starting' | 'probing' | 'planning' = 'starting';
  private planned = false;
  private readonly started: number;

  constructor(
    private readonly targetQuality: boolean,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  observe(event: JobEvent): void {
    const now = this.now();
    if (event.event === 'plan') {
      this.planned = true;
      this.workers = Math.max(1, event.workers);
      this.framesTotal = event.frames;
      this.carried = event.carried;
      for (const range of event.ranges) this.framesOf.set(range.index, range.frames);
    } else if (event.event === 'progress') this.latest = event;
    else if (event.event === 'phase') {
      if (event.phase === 'probe') this.early = 'probing';
      else if (event.phase === 'plan') this.early = 'planning';
      const step = TAIL_OF_PHASE[event.phase];
      if (step) this.tail = { step, since: now };
    } else if (event.event === 'segment') this.segment(event, now);
  }

  private segment(event: SegmentEvent, now: number): void {
    const frames = this.framesOf.get(event.index) ?? 0;
    const current = this.running.get(event.index);
    const kind = KIND_OF_STATE[event.state];
    if (current && (kind !== current.kind || event.state === 'done')) {
      if (event.state !== 'failed' && event.state !== 'queued') this.record(current.kind, now - current.since, frames);
      // A search whose probe is the final encode goes straight to the check: its encode cost nothing.
      if (current.kind === 'search' && kind === 'validate') this.record('encode', 0, frames);
    }
    if (event.state === 'done' || event.state === 'skipped') {
      this.running.delete(event.index);
      this.done.add(event.index);
    } else if (kind) {
      const probe = event.probe ?? (kind === current?.kind ? current.probe : undefined);
      this.running.set(event.index, { kind, since: kind === current?.kind ? current.since : now, ...(probe ? { probe } : {}) });
    } else this.running.delete(event.index);
  }

  private record(kind: WorkKind, ms: number, frames: number): void {
    this.spent[kind].seconds += ms / 1000;
    this.spent[kind].frames += frames;
  }

  /** Measured seconds per source frame of one worker doing KIND; undefined before any was measured. */
  rate(kind: WorkKind): number | undefined {
    const { seconds, frames } = this.spent[kind];
    return frames > 0 ? seconds / frames : undefined;
  }

  /** Seconds of work left, or null while a needed rate is still unmeasured. */
  etaSeconds(): number | null {
    // Nothing is known of the work before the plan: no ETA rather than "0:00".
    if (!this.planned) return null;
    const now = this.now();
    const check = this.rate('validate');
    const tailSeconds = check === undefined ? undefined : check * this.framesTotal;
    if (this.tail) {
      if (tailSeconds === undefined) return null;
      const stepsLeft = TAIL_STEPS.length - TAIL_STEPS.indexOf(this.tail.step);
      // Joining writes a list; muxing and checking each read every frame once.
      const perStep = tailSeconds / 2;
      const left = (this.tail.step === 'joining' ? 2 : stepsLeft) * perStep - (now - this.tail.since) / 1000;
      return Math.max(0, Math.round(left));
    }
    const kinds: WorkKind[] = this.targetQuality ? ['search', 'encode', 'validate'] : ['encode', 'validate'];
    let work = 0;
    let left = 0;
    for (const [index, frames] of this.framesOf) {
      if (this.done.has(index)) continue;
      left++;
      const current = this.running.get(index);
      const from = current ? kinds.indexOf(current.kind) : 0;
      for (let k = Math.max(0, from); k < kinds.length; k++) {
        const rate = this.rate(kinds[k]!);
        if (rate === undefined) return null;
        const estimate = rate * frames;
        work += k === from && current ? Math.max(0, estimate - (now - current.since) / 1000) : estimate;
      }
    }
    if (tailSeconds === undefined) return left ? null : 0;
    return Math.round(work / Math.max(1, Math.min(this.workers, left)) + tailSeconds);
  }

  line(): string {
    const elapsed = (this.now() - this.started) / 1000;
    const eta = this.etaSeconds();
    const segments = `segments ${this.done.size}/${this.framesOf.size}`;
    const tail = [`elapsed ${clock(elapsed)}`, `ETA ${eta === null ? '--:--' : clock(eta)}`];
    if (!this.planned) return [this.early, ...tail].join('  ');
    const estimate = sizeEstimateText(this.latest?.estimatedBytes, this.carried);
    if (estimate) tail.push(estimate);
    if (this.tail) return [this.tail.step, segments, ...tail].join('  ');
    const percent = this.framesTotal && this.latest ? Math.floor((this.latest.framesDone / this.framesTotal) * 100) : 0;
    const counts = new Map<WorkKind, number>();
    for (const r of this.running.values()) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
    const activity = [...counts].map(([kind, n]) => `${KIND_LABEL[kind]} ${n}`).join(', ');
    const probes = [...this.running]
      .filter(([, r]) => r.kind === 'search' && r.probe)
      .map(([i, r]) => `seg ${i}: crf ${r.probe!.crf} → ${r.probe!.vmaf.toFixed(1)}`);
    return [
      segments,
      `${percent}%`,
      ...(activity ? [activity] : []),
      ...(this.latest ? [`${this.latest.fps.toFixed(1)} fps`] : []),
      ...tail,
      ...probes,
    ].join('  ');
  }
}
