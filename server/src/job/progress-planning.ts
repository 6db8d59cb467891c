import type { JobEvent } from '../../../common/events';
import { WORK_PER_FRAME } from './work-model';

/** A planning step with its own progress (the pipeline's step events, progress-events.ts stepEvent). */
interface RunningStep {
  step: string;
  since: number;
  /** 0..1, from the step's ffmpeg (frames scored, windows read). */
  share: number;
}

/** The passes that decode every frame for scene scores (the second also finds the crop): their pace is timed. */
const SCENE_PASSES = new Set(['scene detection', 'scene and crop detection']);

/** Less than this share of a step says too little about its pace. */
const MIN_SHARE = 0.03;
const MIN_SECONDS = 0.3;
/**
 * Crop detection reads up to this many short windows (inspect/cropdetect.ts), each costing about
 * this many units: an ffmpeg start and a seek, more than the few frames it decodes (bench/eta.ts:
 * 0.16–0.65 s a window against 1.0–2.4 ms a frame of scene detection).
 */
const CROP_WINDOW_UNITS = 250;
const CROP_WINDOWS = 20;

/**
 * The steps before the plan, as the progress line and the ETA see them: which one runs and how far
 * it is (`scene detection 40 %`), and scene detection's own pace, the first thing timed frame by
 * frame, from which every other step's prior cost is scaled (work-model.ts). Pure: times are given.
 */
export class PlanningSteps {
  /** The source's frames, from the first step event (before the plan). */
  framesTotal = 0;
  private current?: RunningStep;
  private scenes?: { seconds: number; share: number };
  /** Scene detection's first scored frame: its pace counts from there (ffmpeg's start-up is not per frame). */
  private scenesFrom?: { at: number; share: number };
  private readonly seen = new Set<string>();

  observe(event: JobEvent, now: number): void {
    if (event.event !== 'progress' || event.step === undefined) return;
    if (event.framesTotal > 0) this.framesTotal = event.framesTotal;
    const share = (event.stepPercent ?? 0) / 100;
    if (this.current?.step !== event.step) {
      this.finish(now);
      this.current = { step: event.step, since: now, share };
      this.seen.add(event.step);
    } else this.current.share = share;
    if (SCENE_PASSES.has(event.step) && share > 0) {
      this.scenesFrom ??= { at: now, share };
      if (share > this.scenesFrom.share) this.scenes = { seconds: (now - this.scenesFrom.at) / 1000, share: share - this.scenesFrom.share };
    }
  }

  /** The plan is made: the running step is over. */
  finish(now: number): void {
    // Over: its whole time against all its frames (a short pass may have reported no frame before its end).
    if (this.current && SCENE_PASSES.has(this.current.step)) this.scenes = { seconds: (now - this.current.since) / 1000, share: 1 };
    this.current = undefined;
  }

  /** What runs now, e.g. `scene detection` at 40 %. */
  running(): { step: string; stepPercent: number } | undefined {
    return this.current && { step: this.current.step, stepPercent: Math.round(this.current.share * 1000) / 10 };
  }

  /** Scene detection's timing as (seconds, units), once it says enough; the other steps' costs are mostly fixed. */
  timed(): { seconds: number; units: number } | undefined {
    const s = this.scenes;
    if (!s || !this.framesTotal || s.share < MIN_SHARE || s.seconds < MIN_SECONDS) return undefined;
    return { seconds: s.seconds, units: s.share * this.framesTotal * WORK_PER_FRAME.scenes };
  }

  /** Whether the crop was looked for: alone, or in the scene pass. */
  cropDone(): boolean {
    return this.ran('crop detection') || this.ran('scene and crop detection');
  }

  /** Whether the scene scores were computed: alone, or with the crop. */
  scenesDone(): boolean {
    return this.ran('scene detection') || this.ran('scene and crop detection');
  }

  /** Whether a step of that name ran. */
  ran(step: string): boolean {
    return this.seen.has(step);
  }

  /** Crop detection's prior units: its windows (one every 2 s, at most 20; 24 fps assumed before the plan). */
  static cropUnits(frames: number): number {
    return Math.max(1, Math.min(CROP_WINDOWS, Math.floor(frames / 48))) * CROP_WINDOW_UNITS;
  }

  /** Seconds the planning still needs at PER_UNIT seconds a unit: the running step by its own pace, then crop detection. */
  remainingSeconds(perUnit: number, now: number): number {
    let left = 0;
    const current = this.current;
    if (current) {
      const spent = (now - current.since) / 1000;
      left += current.share >= MIN_SHARE ? Math.max(0, spent / current.share - spent) : 0;
    }
    if (!this.cropDone()) left += perUnit * PlanningSteps.cropUnits(this.framesTotal);
    else if (current?.step === 'crop detection' && current.share < MIN_SHARE)
      left += Math.max(0, perUnit * PlanningSteps.cropUnits(this.framesTotal) - (now - current.since) / 1000);
    return left + perUnit * WORK_PER_FRAME.plan * this.framesTotal;
  }
}
