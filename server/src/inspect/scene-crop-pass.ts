import { runProcess } from '../sys';
import type { Tools } from '../sys';
import { ffmpegPreamble } from '../sys';
import { decideCrop, parseCropdetect } from '../plan';
import { SCENE_SCORE_FILTER, parseSceneScores, sceneDecodeInput, type FrameTimeline, type SceneScore } from '../probe';
import { CROPDETECT_FILTER, cropSampleRanges, cropSampleSelect, cropWindowStarts, type CropDetection } from './cropdetect';

/**
 * Scene scores and the crop from ONE decode of the source, for a job that needs both (the
 * defaults: --split scene, --crop auto). The scene pass decodes every frame anyway; cropdetect
 * then looks at the frames the crop windows would have decoded (the same starts, the same
 * number of frames) at full size, instead of 20 more ffmpeg starts that each seek accurately,
 * i.e. decode up to a GOP of the source again (docs/notes/sched22.md: on a 20 s 1080p clip with 2 s
 * GOPs the windows cost 15.8 CPU s, 72 % of the scene pass; now nothing measurable).
 */

/** The pass's arguments (pure): one decode split in two, each branch to its own null output. */
export function sceneAndCropArgs(input: string, videoIndex: number, cropSelect: string): string[] {
  const graph = [
    `[0:${videoIndex}]split=2[scene][crop]`,
    `[scene]${SCENE_SCORE_FILTER}[scored]`,
    `[crop]select='${cropSelect}',${CROPDETECT_FILTER}[boxed]`,
  ].join(';');
  const nullOutput = ['-fps_mode', 'passthrough', '-f', 'null', '-'];
  // info: cropdetect logs each frame's box at that level (stderr); the scores go to stdout.
  return [
    ...ffmpegPreamble({ loglevel: 'info' }),
    ...sceneDecodeInput(input),
    '-filter_complex',
    graph,
    '-map',
    '[scored]',
    ...nullOutput,
    '-map',
    '[boxed]',
    ...nullOutput,
  ];
}

export interface SceneAndCrop {
  scores: SceneScore[];
  crop: CropDetection;
  /** Wall-clock seconds of the one pass (both results share it). */
  seconds: number;
}

/** Runs the one pass over the input's video stream. */
export async function detectScenesAndCrop(
  tools: Tools,
  input: string,
  video: { index: number; width: number; height: number },
  timeline: FrameTimeline,
  signal?: AbortSignal,
  onProgress?: (share: number) => void,
): Promise<SceneAndCrop> {
  const started = performance.now();
  const { pts } = timeline;
  const start = pts[0] ?? 0;
  const duration = (pts.at(-1) ?? 0) + timeline.lastFrameSeconds - start;
  const ranges = cropSampleRanges(pts, cropWindowStarts(start, duration));
  const frameSeconds = pts.length > 1 ? (pts.at(-1)! - start) / (pts.length - 1) : timeline.lastFrameSeconds;
  const lines: string[] = [];
  const scoreLines: string[] = [];
  let frames = 0;
  await runProcess(tools.ffmpeg, sceneAndCropArgs(input, video.index, cropSampleSelect(ranges, frameSeconds)), {
    signal,
    onStderrLine: (line) => lines.push(line),
    // One `frame:N pts:P pts_time:T` line per scored frame (direct=1): the progress of the pass.
    onStdoutLine: (line) => {
      scoreLines.push(line);
      if (onProgress && line.startsWith('frame:')) onProgress(Math.min(1, ++frames / Math.max(1, pts.length)));
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const crop = decideCrop(video.width, video.height, parseCropdetect(lines.join('\n')));
  return { scores: parseSceneScores(scoreLines.join('\n'), timeline), crop: { ...crop, seconds }, seconds };
}
