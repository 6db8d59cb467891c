import type { JobEvent, PhaseEvent, PlanEvent, ProgressEvent, SegmentEvent, SegmentState } from '../../../common/events';
import { clock, sizeEstimateText } from './progress';
import { EXPECTED_PROBES } from '../../../common/progress';
import { TAIL_WORK, WORK_PER_FRAME, percentOf, planningWork, secondsPerUnit } from './work-model';
import { FIRST_PROBE_COST, predictedUnits, searchProbes, stepUnits, wholeProbeUnits } from './eta-priors';
import { PlanningSteps } from './progress-planning';
import { scheduleSeconds } from './eta-schedule';

/** A segment's kinds of work, each timed separately: a search costs far more per frame than a check. */
export type WorkKind = 'search' | 'encode' | 'validate';
/** The steps after the last segment, shown by name. */
export type TailStep = 'joining' | 'muxing' | 'checking';

const KIND_OF_STATE: Partial<Record<SegmentState, WorkKind>> = { searching: 'search', encoding: 'encode', validating: 'validate' };
const TAIL_OF_PHASE: Partial<Record<PhaseEvent['phase'], TailStep>> = { concat: 'joining', mux: 'muxing', validate: 'checking' };
const TAIL_STEPS: readonly TailStep[] = ['joining', 'muxing', 'checking'];
const TAIL_UNITS: Record<TailStep, number> = { joining: WORK_PER_FRAME.join, muxing: WORK_PER_FRAME.mux, checking: WORK_PER_FRAME.check };
const KIND_LABEL: Record<WorkKind, string> = { search: 'searching', encode: 'encoding', validate: 'checking' };
/** The segment copies' step in progress events: its percent is the share of copies made (job/segment-pool.ts). */
export const COPIES_STEP = 'segment copies';

/** The line's width when the terminal does not say. */
export const DEFAULT_COLUMNS = 80;

interface Running {
  kind: WorkKind;
  since: number;
  probes: number;
  /** When its first and last probes were reported (a search's). */
  firstProbe: number;
  lastProbe: number;
}

/** A running encode's pace is trusted from this many frames reported (SVT-AV1's lookahead holds the first ones back). */
const MIN_PACE_FRAMES = 24;
const MIN_PACE_SHARE = 0.1;

/**
 * The live view of a job, fed with every job event and asked for a line whenever the terminal
 * redraws (at least once a second, so elapsed time never freezes), and for the percent and ETA
 * the progress events carry (job-state.ts). Pure: the clock is injected.
 *
 * The ETA is the work left in seconds: each kind of segment work (search, encode, check) at its
 * measured seconds per source frame per worker, spread over the workers, plus the tail (join, mux,
 * final check). A kind not timed yet is estimated from a running search's probes, else from the
 * work model's prior cost (work-model.ts) scaled by the seconds per unit of what was timed (the
 * planning at first), so there is an ETA from the plan on. The percent is elapsed against
 * elapsed + ETA: it moves with the clock and agrees with the ETA.
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
  /** Segment and tail work timed: (seconds of the whole machine, work units). */
  private readonly timed: { seconds: number; units: number }[] = [];
  /** The planning's steps timed: the pace until segment work has been timed (decoding is not encoding). */
  private readonly planningTimed: { seconds: number; units: number }[] = [];
  /**
   * Target quality: segments whose search began once the job had a label (a verified segment): the
   * job's predictor then encodes them whole at a predicted CRF, the encode being the probe
   * (issue 22), far cheaper than a warm-up search. Start times, and what the finished ones took.
   */
  private readonly predicted = new Map<number, number>();
  private readonly spentPredicted = { seconds: 0, frames: 0 };
  private labels = 0;
  private workers = 1;
  private framesTotal = 0;
  private latest?: ProgressEvent;
  /** When LATEST came: the frames it counts were encoded by then (counts come once a second). */
  private latestAt = 0;
  /** Frame counts since the set of running encodes last changed (encodePace). */
  private readonly frameMarks: { at: number; frames: number }[] = [];
  private carried?: PlanEvent['carried'];
  private tail?: { step: TailStep; since: number };
  /** Before the plan: what the job is doing (reading the source, planning its segments). */
  private early: 'starting' | 'probing' | 'planning' = 'starting';
  private readonly planning = new PlanningSteps();
  /** When the probe and the planning began: the probe's time is the first pace there is (reading every packet). */
  private probeAt?: number;
  private planAt?: number;
  /** Between the plan and the first segment step: the segment copies are cut; the share made. */
  private copying = false;
  private copyShare?: number;
  private planned = false;
  private finished = false;
  private shown = 0;
  /** Elapsed seconds at the last percent() reading. */
  private shownAt = 0;
  private readonly started: number;

  constructor(
    private readonly targetQuality: boolean,
    private readonly now: () => number = () => performance.now(),
    /** The job's SVT-AV1 preset: the encode's prior cost follows it (work-model.ts encodeUnits). */
    private readonly preset?: number,
  ) {
    this.started = now();
  }

  observe(event: JobEvent): void {
    const now = this.now();
    if (event.event === 'plan') this.plan(event, now);
    else if (event.event === 'progress' && event.step !== undefined) {
      // After the plan, a step's own progress is the segment copies' (the tail steps are named by their phases).
      if (!this.planned) this.planning.observe(event, now);
      else if (event.step === COPIES_STEP) this.copyShare = (event.stepPercent ?? 0) / 100;
    } else if (event.event === 'progress') {
      this.latest = event;
      this.latestAt = now;
      this.markFrames(now);
    } else if (event.event === 'done') this.finished = true;
    else if (event.event === 'phase') {
      if (event.phase === 'probe') {
        this.early = 'probing';
        this.probeAt = now;
      } else if (event.phase === 'plan') {
        this.early = 'planning';
        this.planAt = now;
      }
      this.copying = event.phase === 'segment';
      const step = TAIL_OF_PHASE[event.phase];
      if (step) {
        if (this.tail) this.timed.push({ seconds: (now - this.tail.since) / 1000, units: TAIL_UNITS[this.tail.step] * this.framesTotal });
        this.tail = { step, since: now };
      }
    } else if (event.event === 'segment') this.segment(event, now);
  }

  private plan(event: PlanEvent, now: number): void {
    this.planned = true;
    this.workers = Math.max(1, event.workers);
    this.framesTotal = event.frames;
    this.carried = event.carried;
    for (const range of event.ranges) this.framesOf.set(range.index, range.frames);
    this.planning.finish(now);
    // Scene detection's own pace when it ran; else the whole planning against its prior.
    const scenes = this.planning.timed();
    if (scenes) this.planningTimed.push(scenes);
    else if (now > this.started) {
      const crop = this.planning.ran('crop detection') ? PlanningSteps.cropUnits(event.frames) : 0;
      const units = planningWork({ scenes: this.planning.scenesDone() || event.scenes !== undefined, crop: false }) * event.frames + crop;
      this.planningTimed.push({ seconds: (now - this.started) / 1000, units });
    }
  }

  private segment(event: SegmentEvent, now: number): void {
    const frames = this.framesOf.get(event.index) ?? 0;
    const current = this.running.get(event.index);
    const kind = KIND_OF_STATE[event.state];
    // Another set of encodes: their pace is counted afresh.
    if ((kind === 'encode') !== (current?.kind === 'encode')) this.frameMarks.length = 0;
    if (kind) this.copying = false;
    if (this.targetQuality && this.labels > 0 && event.state === 'searching' && !current && !this.predicted.has(event.index))
      this.predicted.set(event.index, now);
    if (event.state === 'done') {
      // A verified segment is a label for the predictor, in whichever metric the job targets (issue 25).
      if (event.vmaf !== undefined || Object.keys(event.scores ?? {}).length > 0) this.labels++;
      const started = this.predicted.get(event.index);
      if (started !== undefined) {
        this.spentPredicted.seconds += (now - started) / 1000;
        this.spentPredicted.frames += frames;
      }
    }
    if (current && (kind !== current.kind || event.state === 'done')) {
      if (event.state !== 'failed' && event.state !== 'queued') this.record(current.kind, now - current.since, frames, current.probes);
      // A search whose probe is the final encode goes straight to the check: its encode cost nothing.
      if (current.kind === 'search' && kind === 'validate') this.record('encode', 0, frames, 0);
    }
    if (event.state === 'done' || event.state === 'skipped') {
      this.running.delete(event.index);
      this.done.add(event.index);
    } else if (kind) {
      const same = kind === current?.kind;
      const since = same ? current.since : now;
      this.running.set(event.index, {
        kind,
        since,
        probes: (same ? current.probes : 0) + (event.probe ? 1 : 0),
        firstProbe: same && current.probes > 0 ? current.firstProbe : event.probe ? now : since,
        lastProbe: event.probe ? now : same ? current.lastProbe : since,
      });
    } else this.running.delete(event.index);
  }

  private record(kind: WorkKind, ms: number, frames: number, probes: number): void {
    this.spent[kind].seconds += ms / 1000;
    this.spent[kind].frames += frames;
    // In the machine's seconds (one of WORKERS steps running side by side), as the planning was timed;
    // a search against the probes it took.
    const units = stepUnits(kind, this.targetQuality, this.preset, probes) * frames;
    if (ms > 0 && units > 0) this.timed.push({ seconds: ms / 1000 / this.workers, units });
  }

  /** Measured seconds per work unit on the whole machine (work-model.ts), from everything timed so far. */
  private perUnit(): number | undefined {
    const scenes = this.planned ? undefined : this.planning.timed();
    // A running search's probes so far: the same encodes and VMAF its segment's next steps are made of.
    const probing = [...this.running]
      .filter(([, r]) => r.kind === 'search' && r.probes > 0)
      .map(([index, r]) => ({
        seconds: (r.lastProbe - r.since) / 1000 / this.workers,
        units: searchProbes(r.probes) * wholeProbeUnits(this.preset) * (this.framesOf.get(index) ?? 0),
      }));
    // Segment work, once some was timed, says more of the segments left than the planning's decode did.
    const segments = secondsPerUnit([...this.timed, ...probing]);
    if (segments !== undefined) return segments;
    const probe = this.probeTimed();
    return secondsPerUnit([...this.planningTimed, ...(scenes ? [scenes] : []), ...(probe ? [probe] : [])]);
  }

  /**
   * The probe's time against its prior (it reads every packet of the source), once the frames are
   * known: the first pace there is, before scene detection's, and one measure more after it.
   */
  private probeTimed(): { seconds: number; units: number } | undefined {
    const frames = this.planning.framesTotal || this.framesTotal;
    if (this.probeAt === undefined || this.planAt === undefined || !frames || this.planAt <= this.probeAt) return undefined;
    return { seconds: (this.planAt - this.probeAt) / 1000, units: WORK_PER_FRAME.probe * frames };
  }

  /** A running search's seconds per probe after its first, from the probes it reported. */
  private static perProbe(r: Running): number {
    if (r.probes >= 2) return (r.lastProbe - r.firstProbe) / 1000 / (r.probes - 1);
    return (r.lastProbe - r.since) / 1000 / FIRST_PROBE_COST;
  }

  /** Measured seconds per source frame of one worker doing KIND; undefined before any was measured. */
  rate(kind: WorkKind): number | undefined {
    const { seconds, frames } = this.spent[kind];
    return frames > 0 ? seconds / frames : undefined;
  }

  /** A kind's rate: measured; else a running search's pace over its probes; else the prior at the measured seconds per unit. */
  private estimatedRate(kind: WorkKind): number | undefined {
    const measured = this.rate(kind);
    if (measured !== undefined && measured > 0) return measured;
    if (kind === 'search') {
      const paces = [...this.running]
        .filter(([, r]) => r.kind === 'search' && r.probes > 0)
        .map(([index, r]) => (ProgressView.perProbe(r) * searchProbes(EXPECTED_PROBES)) / Math.max(1, this.framesOf.get(index) ?? 1));
      if (paces.length) return paces.reduce((a, b) => a + b, 0) / paces.length;
    }
    if (kind === 'encode') {
      const pace = this.encodePace();
      if (pace !== undefined) return pace;
    }
    const perUnit = this.perUnit();
    // One worker of WORKERS does the step: that many times the machine's seconds.
    return perUnit === undefined ? undefined : perUnit * stepUnits(kind, this.targetQuality, this.preset, EXPECTED_PROBES) * this.workers;
  }

  /**
   * Seconds per frame of one worker on a predicted segment (search, encode and check together):
   * measured once one finished; else one whole encode with its VMAF (a first probe) and the check, at the measured seconds per unit.
   */
  private predictedRate(): number | undefined {
    const { seconds, frames } = this.spentPredicted;
    if (frames > 0 && seconds > 0) return seconds / frames;
    const perUnit = this.perUnit();
    return perUnit === undefined ? undefined : perUnit * predictedUnits(this.preset) * this.workers;
  }

  /** Frames encoded and not yet checked: the running encodes' (the counts include the segments being checked). */
  private encodedInFlight(): number {
    if (!this.latest) return 0;
    let past = 0;
    for (const index of this.done) past += this.framesOf.get(index) ?? 0;
    for (const [index, r] of this.running) if (r.kind === 'validate') past += this.framesOf.get(index) ?? 0;
    return Math.max(0, this.latest.framesDone - past);
  }

  /**
   * Seconds per frame of one worker on the running encodes: from two frame counts since the set of
   * running encodes last changed, the first one past their first frame (SVT-AV1's start and
   * lookahead are not its pace); else from their start. Undefined until enough frames came.
   */
  private encodePace(): number | undefined {
    const encoding = [...this.running].filter(([, r]) => r.kind === 'encode');
    if (!encoding.length || !this.latest) return undefined;
    const frames = encoding.reduce((sum, [index]) => sum + (this.framesOf.get(index) ?? 0), 0);
    const enough = Math.min(frames, Math.max(MIN_PACE_FRAMES, MIN_PACE_SHARE * frames));
    const first = this.frameMarks[0];
    const last = this.frameMarks.at(-1);
    if (first && last && last.frames - first.frames >= enough && last.at > first.at)
      return ((last.at - first.at) / 1000) * (encoding.length / (last.frames - first.frames));
    const inFlight = this.encodedInFlight();
    const seconds = encoding.reduce((sum, [, r]) => sum + Math.max(0, this.latestAt - r.since) / 1000, 0);
    // The first frames come out late (lookahead): a pace from them would say the encode takes hours.
    if (inFlight < enough) return undefined;
    return seconds > 0 ? seconds / inFlight : undefined;
  }

  /** A frame count of the running encodes (a progress event), kept while the same encodes run. */
  private markFrames(now: number): void {
    if (this.encodedInFlight() > 0) this.frameMarks.push({ at: now, frames: this.latest?.framesDone ?? 0 });
  }

  private tailSeconds(now: number): number | undefined {
    const perUnit = this.perUnit();
    if (perUnit === undefined) return undefined;
    if (!this.tail) return perUnit * TAIL_WORK * this.framesTotal;
    const at = TAIL_STEPS.indexOf(this.tail.step);
    let left = 0;
    for (const step of TAIL_STEPS.slice(at)) left += perUnit * TAIL_UNITS[step] * this.framesTotal;
    // A step running longer than its estimate is nearly done, not done.
    return Math.max(left - (now - this.tail.since) / 1000, 0.2 * perUnit * TAIL_UNITS[this.tail.step] * this.framesTotal);
  }

  /** Seconds of work left, or null while nothing has been timed (before the plan). */
  etaSeconds(): number | null {
    if (this.finished) return 0;
    const now = this.now();
    if (!this.planned) return this.etaBeforePlan(now);
    const tail = this.tailSeconds(now);
    if (tail === undefined) return null;
    if (this.tail) return Math.round(tail);
    const kinds: WorkKind[] = this.targetQuality ? ['search', 'encode', 'validate'] : ['encode', 'validate'];
    const running: number[] = [];
    // Not started yet: started most frames first, as the segment pool orders them (by expected work).
    const queued: { frames: number; seconds: number }[] = [];
    const add = (started: boolean, frames: number, seconds: number) => (started ? running.push(seconds) : queued.push({ frames, seconds }));
    for (const [index, frames] of this.framesOf) {
      if (this.done.has(index)) continue;
      const current = this.running.get(index);
      const predictedSince = this.predicted.get(index);
      // A segment not started yet is expected to be predicted once the first ones (the warm-up) are under way.
      const warmingUp = this.running.size > 0 || this.labels > 0;
      if (this.targetQuality && ((!current && warmingUp) || predictedSince !== undefined)) {
        const rate = this.predictedRate();
        if (rate === undefined) return null;
        const spent = predictedSince === undefined ? 0 : (now - predictedSince) / 1000;
        add(current !== undefined, frames, Math.max(rate * frames - spent, 0.25 * spent));
        continue;
      }
      const from = current ? Math.max(0, kinds.indexOf(current.kind)) : 0;
      let work = 0;
      for (let k = from; k < kinds.length; k++) {
        const rate = this.estimatedRate(kinds[k]!);
        if (rate === undefined) return null;
        let estimate = rate * frames;
        if (k === from && current) {
          const spent = (now - current.since) / 1000;
          if (current.kind === 'search' && current.probes > 0) {
            // A running search's own probes pace it best: the probes still expected (half of one more
            // once it has taken the expected number), less the time since its last.
            const perProbe = ProgressView.perProbe(current);
            const next = (now - current.lastProbe) / 1000;
            estimate = Math.max(0.1 * perProbe, Math.max(0.5, EXPECTED_PROBES - current.probes) * perProbe - next);
          }
          // A search with no probe yet: each probe takes at least the time spent so far.
          else if (current.kind === 'search')
            estimate = Math.max(estimate - spent, ((searchProbes(EXPECTED_PROBES) - 0.75) / FIRST_PROBE_COST) * spent);
          // An encode paced by its own frames: the frames it has left at that pace.
          else if (current.kind === 'encode' && this.encodePace() !== undefined) estimate = Math.max(estimate - spent, 0.1 * estimate);
          // Another step past its estimate: a quarter more of what it took so far (slower than thought).
          else estimate = Math.max(estimate - spent, 0.25 * spent);
        }
        work += estimate;
      }
      add(current !== undefined, frames, work);
    }
    queued.sort((a, b) => b.frames - a.frames);
    return Math.round(
      scheduleSeconds(
        running,
        queued.map((q) => q.seconds),
        this.workers,
        this.targetQuality,
      ) + tail,
    );
  }

  /**
   * Before the plan: the planning left at its steps' own pace, then every frame's segment work and the
   * tail at the prior costs scaled by scene detection's pace; null until that pace is known.
   */
  private etaBeforePlan(now: number): number | null {
    const perUnit = this.perUnit();
    const frames = this.planning.framesTotal;
    if (perUnit === undefined || !frames) return null;
    const kinds: WorkKind[] = this.targetQuality ? ['search', 'encode', 'validate'] : ['encode', 'validate'];
    const segments = kinds.reduce((sum, kind) => sum + stepUnits(kind, this.targetQuality, this.preset, EXPECTED_PROBES), 0);
    return Math.round(this.planning.remainingSeconds(perUnit, now) + perUnit * (segments + TAIL_WORK) * frames);
  }

  /** The step running now, for the progress events: a planning step and its share, the segment copies, a tail step. */
  currentStep(): { step: string; stepPercent?: number } | undefined {
    if (!this.planned) return this.planning.running();
    if (this.tail) return { step: this.tail.step };
    if (this.copying && !this.running.size)
      return { step: COPIES_STEP, ...(this.copyShare !== undefined ? { stepPercent: Math.round(this.copyShare * 1000) / 10 } : {}) };
    return undefined;
  }

  /** The work-weighted percentage (0–100) every progress event and the line carry. */
  percent(): number {
    if (this.finished) return 100;
    const elapsed = (this.now() - this.started) / 1000;
    const share = this.planned ? 0 : planningWork({ scenes: true, crop: false }) / (planningWork({ scenes: true, crop: false }) + 10);
    this.shown = percentOf(elapsed, this.etaSeconds(), this.shown, share, this.shownAt);
    this.shownAt = elapsed;
    return this.shown;
  }

  /** What the job is doing now, e.g. `planning`, `segments 1/4: searching 2`, `muxing`. */
  private step(): string {
    if (!this.planned) {
      const running = this.planning.running();
      return running ? `planning: ${running.step} ${Math.floor(running.stepPercent)} %` : this.early;
    }
    const segments = `segments ${this.done.size}/${this.framesOf.size}`;
    if (this.tail) return this.tail.step;
    if (this.copying && !this.running.size)
      return `${segments}: ${COPIES_STEP}${this.copyShare !== undefined ? ` ${Math.floor(this.copyShare * 100)} %` : ''}`;
    const counts = new Map<WorkKind, number>();
    for (const r of this.running.values()) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
    const activity = [...counts].map(([kind, n]) => `${KIND_LABEL[kind]} ${n}`).join(', ');
    return activity ? `${segments}: ${activity}` : segments;
  }

  /** The size estimate and what it rests on: a guess until every segment is done. */
  private sizeText(): string | undefined {
    const text = sizeEstimateText(this.latest?.estimatedBytes, this.carried);
    if (!text || !this.latest) return text;
    const { segmentsDone, segmentsTotal } = this.latest;
    // A guess names what it rests on; the carried streams' breakdown waits for the real figure (width).
    if (segmentsDone < segmentsTotal)
      return `${sizeEstimateText(this.latest.estimatedBytes)?.replace(/^size ~(.*)$/, 'size ~$1?')} (guess from ${segmentsDone}/${segmentsTotal} segments)`;
    return text;
  }

  /** The terminal line, at most COLUMNS wide: the parts that matter least are left out first. */
  line(columns = DEFAULT_COLUMNS): string {
    const elapsed = (this.now() - this.started) / 1000;
    const eta = this.etaSeconds();
    const parts: { text: string; keep: number }[] = [
      { text: this.step(), keep: 0 },
      { text: `${Math.floor(this.percent())}%`, keep: 0 },
      ...(this.planned && !this.tail && this.latest?.fps ? [{ text: `${this.latest.fps.toFixed(1)} fps`, keep: 4 }] : []),
      { text: `elapsed ${clock(elapsed)}`, keep: 2 },
      { text: `ETA ${eta === null ? '--:--' : clock(eta)}`, keep: 1 },
    ];
    const size = this.planned ? this.sizeText() : undefined;
    if (size) parts.push({ text: size, keep: 3 });
    const width = Math.max(20, columns - 1);
    for (let drop = 4; drop > 0; drop--) {
      const text = parts.map((p) => p.text).join('  ');
      if (text.length <= width) return text;
      const i = parts.findIndex((p) => p.keep === drop);
      if (i >= 0) parts.splice(i, 1);
    }
    const text = parts.map((p) => p.text).join('  ');
    return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
  }
}
