import { UserError } from '../errors';
import type { EncodeOptions } from '../../../common/options';
import type { PlanningStep } from '../../../common/events';
import type { Tools } from '../sys';
import type { MediaInfo } from '../probe';
import type { FrameTimeline } from '../probe';
import type { JobLog } from '../job';
import type { Detection } from '../job';
import type { SceneScore } from '../probe';
import { describeCrop, parseCropOption, type CropRect } from '../plan';
import { SCENE_SCORE_FLOOR, detectScenes } from '../probe';
import { detectCrop } from './cropdetect';
import { detectScenesAndCrop } from './scene-crop-pass';

export interface Detected {
  /** Scene scores (at or above the floor), when --split scene needs them. */
  scores?: SceneScore[];
  /** The picture to encode, when cropped. */
  crop?: CropRect;
  /** What to keep in the manifest so a resume does not decode again. */
  detection: Detection;
}

/** `--crop W:H:X:Y` checked against the picture: inside it, even for 4:2:0. */
function explicitCrop(input: string, text: string, width: number, height: number): CropRect {
  const crop = parseCropOption(text, width, height);
  if (!crop) throw new UserError(`${input}: --crop ${text} is not a W:H:X:Y rectangle inside the ${width}x${height} picture`, input);
  if (crop.width % 2 || crop.height % 2 || crop.x % 2 || crop.y % 2)
    throw new UserError(`${input}: --crop ${text} needs even numbers (4:2:0 chroma)`, input);
  return crop;
}

/** A `--crop W:H:X:Y` that does not fit the picture, refused right after the probe (before a work directory is made). */
export function refuseExplicitCrop(input: string, options: Pick<EncodeOptions, 'crop'>, media: MediaInfo): void {
  if (options.crop !== 'none' && options.crop !== 'auto') explicitCrop(input, options.crop, media.video.width, media.video.height);
}

/**
 * The detection passes the plan and the encode need (scene scores for --split scene, the crop for
 * --crop auto), each taken from an earlier run's manifest when it has them for this very input.
 */
export async function detectForPlan(
  tools: Tools,
  input: string,
  options: EncodeOptions,
  media: MediaInfo,
  timeline: FrameTimeline,
  cached: Detection | undefined,
  log: JobLog,
  signal?: AbortSignal,
  /** Each detection pass's progress, as it runs (share 0..1): the progress line's planning step. */
  onStep?: (step: PlanningStep, share: number) => void,
): Promise<Detected> {
  const detection: Detection = { ...cached };
  const detected: Detected = { detection };
  const { width, height, index } = media.video;
  const cachedScenes = cached?.scenes?.floor === SCENE_SCORE_FLOOR ? cached.scenes : undefined;
  // Both needed and neither kept: one decode finds both (inspect/scene-crop-pass.ts).
  let both: Awaited<ReturnType<typeof detectScenesAndCrop>> | undefined;
  if (options.split === 'scene' && options.crop === 'auto' && !cachedScenes && !cached?.crop) {
    onStep?.('scene and crop detection', 0);
    both = await detectScenesAndCrop(
      tools,
      input,
      media.video,
      timeline,
      signal,
      onStep && ((share) => onStep('scene and crop detection', share)),
    );
  }
  if (both) log('debug', `scene and crop detection in one decode pass: ${both.seconds.toFixed(2)} s`);
  if (options.split === 'scene') {
    let scenes = cachedScenes;
    if (scenes) log('debug', 'scene scores from the manifest (no detection pass)');
    else {
      if (!both) onStep?.('scene detection', 0);
      const found =
        both ?? (await detectScenes(tools, input, index, timeline, signal, onStep && ((share) => onStep('scene detection', share))));
      scenes = {
        floor: SCENE_SCORE_FLOOR,
        frames: found.scores.map((s) => s.frame),
        scores: found.scores.map((s) => s.score),
        seconds: found.seconds,
      };
      log(
        'debug',
        `scene detection: ${found.scores.filter((s) => s.score >= options.sceneThreshold).length} frame(s) over ${options.sceneThreshold} in ${found.seconds.toFixed(2)} s`,
      );
    }
    detection.scenes = scenes;
    detected.scores = scenes.frames.map((frame, i) => ({ frame, score: scenes.scores[i]! }));
  }
  if (options.crop === 'none') return detected;
  if (options.crop !== 'auto') {
    detected.crop = explicitCrop(input, options.crop, width, height);
    return detected;
  }
  let decision = cached?.crop;
  if (decision) log('debug', 'crop decision from the manifest (no cropdetect pass)');
  else if (both) {
    decision = both.crop;
    log('debug', `cropdetect: ${decision.framesSeen} frame(s), ${decision.framesBlank} blank, in the scene pass`);
  } else {
    const start = timeline.pts[0] ?? 0;
    const end = (timeline.pts.at(-1) ?? 0) + timeline.lastFrameSeconds;
    decision = await detectCrop(
      tools,
      input,
      media.video,
      start,
      end - start,
      signal,
      onStep && ((share) => onStep('crop detection', share)),
    );
    log('debug', `cropdetect: ${decision.framesSeen} frame(s), ${decision.framesBlank} blank, in ${decision.seconds.toFixed(2)} s`);
  }
  detection.crop = decision;
  log('info', describeCrop(width, height, decision));
  if (decision.crop) detected.crop = decision.crop;
  return detected;
}
