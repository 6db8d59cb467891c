import { runProcess } from '../sys';
import type { Tools } from '../sys';
import { ffmpegInput, ffmpegPreamble } from '../sys';
import { nearestFrame, type FrameTimeline } from './frames';

/** One frame's scene score: what detection measures and the scene-cut plan (plan/scene-cuts.ts) reads. */
export interface SceneScore {
  /** Frame index (display order) whose difference from the frame before it was scored. */
  frame: number;
  /** 0..1, as ffmpeg's scene score (scdet / select's `scene`) gives it. */
  score: number;
}

/**
 * Scene detection: one decode pass over a small scaled copy of the picture, every frame's scene
 * score (ffmpeg's `scene` value of the select filter, 0..1) printed by the metadata filter.
 *
 * Measured on a 30 s 1080p24 H.264 clip with two shot changes (docs/notes/scenes.md): select's
 * `scene` and scdet cost the same CPU (4.5 and 4.3 s) and separate cuts from motion equally
 * (0.46 against 0.018; scdet 17.9 against 0.70 on its 0..100 scale); select's 0..1 scale is the one
 * --scene-threshold and the planner speak. The decode dominates the cost, so the loop filter is
 * skipped (`-skip_loop_filter all`: 19 % less CPU, a scene score on a 320-px copy does not see
 * deblocking). `-skip_frame nokey` is not safe here: every frame must be scored.
 */

/** Width of the scored copy: enough for a scene difference, cheap to scale to. */
export const SCENE_SCALE_WIDTH = 320;
/**
 * Scores under this are dropped before planning and caching: a 2-hour film keeps only the frames
 * that change (the manifest stays small), and the planner treats every dropped frame as quiet
 * (score 0). The same floor on the first run and on a resume, so both plan alike.
 */
/** Under the lowest --scene-threshold (0.05, option-catalogue.ts), so no threshold misses a kept score. */
export const SCENE_SCORE_FLOOR = 0.02;

/** The filter chain that scores every frame (pure): written once, for this pass and the one that also finds the crop. */
export const SCENE_SCORE_FILTER = `scale=${SCENE_SCALE_WIDTH}:-2:flags=fast_bilinear,select='gte(scene\\,0)',metadata=mode=print:key=lavfi.scene_score:file=-:direct=1`;

/** Input options of a scene pass (pure): the loop filter skipped, source timestamps kept (-copyts). */
export function sceneDecodeInput(input: string): string[] {
  return ['-skip_loop_filter', 'all', '-copyts', ...ffmpegInput(input)];
}

/**
 * The decode pass's arguments (pure). -copyts: scores carry source timestamps. `direct=1`: each
 * frame's lines are written as they come (not in 32 KiB blocks), so the frames scored pace the
 * progress line (`planning: scene detection 40 %`).
 */
export function sceneDetectArgs(input: string, videoIndex: number): string[] {
  return [
    ...ffmpegPreamble(),
    ...sceneDecodeInput(input),
    '-map',
    `0:${videoIndex}`,
    '-an',
    '-sn',
    '-dn',
    '-vf',
    SCENE_SCORE_FILTER,
    '-fps_mode',
    'passthrough',
    '-f',
    'null',
    '-',
  ];
}

/**
 * The metadata filter's lines (`frame:N pts:P pts_time:T` then `lavfi.scene_score=S`) → scores
 * on the timeline's frame indices, matched by timestamp (a decoder may drop undecodable leading
 * pictures, so the decoded frame count is not the timeline's). Scores under the floor are dropped.
 */
export function parseSceneScores(text: string, timeline: FrameTimeline, floor = SCENE_SCORE_FLOOR): SceneScore[] {
  const { pts } = timeline;
  const scores = new Map<number, number>();
  let time: number | undefined;
  for (const line of text.split('\n')) {
    const frameLine = /pts_time:(-?[\d.e+-]+)/.exec(line);
    if (frameLine) {
      time = Number(frameLine[1]);
      continue;
    }
    const scoreLine = /^lavfi\.scene_score=([\d.e+-]+)/.exec(line.trim());
    if (!scoreLine || time === undefined || !Number.isFinite(time) || !pts.length) continue;
    const score = Number(scoreLine[1]);
    const frame = nearestFrame(pts, time);
    time = undefined;
    if (frame === 0 || !(score >= floor)) continue;
    scores.set(frame, Math.max(scores.get(frame) ?? 0, Math.round(score * 1e4) / 1e4));
  }
  return [...scores].sort(([a], [b]) => a - b).map(([frame, score]) => ({ frame, score }));
}

export interface SceneDetection {
  scores: SceneScore[];
  /** Wall-clock seconds the pass took. */
  seconds: number;
}

/** Runs the decode pass over the input's video stream; ONPROGRESS gets the share of frames scored (0..1) as they come. */
export async function detectScenes(
  tools: Tools,
  input: string,
  videoIndex: number,
  timeline: FrameTimeline,
  signal?: AbortSignal,
  onProgress?: (share: number) => void,
): Promise<SceneDetection> {
  const started = performance.now();
  // One `frame:N pts:P pts_time:T` line per scored frame: the frames seen so far against the timeline's.
  const lines: string[] = [];
  let frames = 0;
  await runProcess(tools.ffmpeg, sceneDetectArgs(input, videoIndex), {
    signal,
    onStdoutLine: (line) => {
      lines.push(line);
      if (onProgress && line.startsWith('frame:')) onProgress(Math.min(1, ++frames / Math.max(1, timeline.pts.length)));
    },
  });
  return { scores: parseSceneScores(lines.join('\n'), timeline), seconds: (performance.now() - started) / 1000 };
}
