import { stat } from 'node:fs/promises';
import { runProcess, ProcessError, requireWorkingFfprobe } from '../sys';
import type { Tools } from '../sys';
import { UserError } from '../errors';
import { MediaProblem, parseMediaInfo, type MediaInfo } from './media-info';
import { readTimeline } from './keyframes';
import { firstFramesArgs, mediaInfoArgs } from './ffprobe-args';
import { refusedContainerMessage, refusedDemuxer } from './containers';
import type { FrameTimeline } from './frames';
import { timestampFaultMessage } from './timestamp-fault';

/**
 * Runs ffprobe on an input and turns every way it can be unusable into one UserError line
 * that names the file: missing, empty, not media, no video, truncated.
 */
export interface ProbedInput {
  media: MediaInfo;
  timeline: FrameTimeline;
  timelineMethod: 'packets' | 'frames';
  timelineSeconds: number;
  /** Bytes of each stream's packets, by stream index (from the timeline's packet read). */
  bytesByStream: Map<number, number>;
}

function firstUsefulLine(error: unknown): string {
  if (error instanceof ProcessError) {
    const line =
      error.stderrTail
        .map((l) => l.trim())
        .filter(Boolean)
        .pop() ?? error.message;
    // ffprobe prefixes its message with the file name, which we print ourselves.
    const colon = line.lastIndexOf(': ');
    return colon >= 0 ? line.slice(colon + 2) : line;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Why a caller will not take this input, judged on the declared stream facts before any frame is
 * decoded (a tiny file can declare a picture that takes GBs to decode), or undefined.
 */
export type RefuseBeforeDecoding = (video: MediaInfo['video']) => string | undefined;

export async function probeMedia(tools: Tools, file: string, signal?: AbortSignal, refuse?: RefuseBeforeDecoding): Promise<MediaInfo> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UserError(`${file}: not a regular file`, file);
    size = info.size;
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      `${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`,
      file,
    );
  }
  if (size === 0) throw new UserError(`${file}: the file is empty`, file);
  let json: unknown;
  let frameJson: unknown;
  try {
    const out = await runProcess(tools.ffprobe, mediaInfoArgs(file), { signal });
    json = JSON.parse(out.stdout);
  } catch (error) {
    if (error instanceof ProcessError) {
      const demuxer = refusedDemuxer(error.stderrTail);
      if (demuxer) throw new UserError(`${file}: ${refusedContainerMessage(demuxer)}`, file);
      // The input is blamed only once ffprobe itself is known to run.
      await requireWorkingFfprobe(tools);
      throw new UserError(`${file}: not a media file ffmpeg can read (${firstUsefulLine(error)})`, file);
    }
    if (error instanceof SyntaxError) {
      // ffprobe exited 0 without its JSON: the tool is wrong, whatever the input is.
      await requireWorkingFfprobe(tools);
      throw new UserError(`${tools.ffprobe}: its answer about ${file} is not ffprobe's JSON (${error.message})`, tools.ffprobe);
    }
    throw error;
  }
  let media: MediaInfo;
  try {
    media = parseMediaInfo(file, json);
  } catch (error) {
    if (error instanceof MediaProblem) throw new UserError(`${file}: ${error.message}`, file);
    throw error;
  }
  const refusal = refuse?.(media.video);
  if (refusal) throw new UserError(`${file}: ${refusal}`, file);
  // HDR10 mastering metadata travels with the frames; read it from the first decodable one. A
  // capture that starts mid-GOP has undecodable packets first, hence the longer second try.
  let firstFrame: { side_data_list?: unknown[] } | undefined;
  for (const packets of [1, 300]) {
    try {
      const out = await runProcess(tools.ffprobe, firstFramesArgs(file, media.video.index, packets), { signal });
      frameJson = JSON.parse(out.stdout);
    } catch (error) {
      if (error instanceof ProcessError) throw new UserError(`${file}: the video cannot be decoded (${firstUsefulLine(error)})`, file);
      throw error;
    }
    firstFrame = (frameJson as { frames?: { side_data_list?: unknown[] }[] }).frames?.[0];
    if (firstFrame) break;
  }
  if (!firstFrame) throw new UserError(`${file}: the video stream has no decodable frame (damaged or truncated?)`, file);
  return parseMediaInfo(file, json, firstFrame.side_data_list as never);
}

export async function probeInput(tools: Tools, file: string, signal?: AbortSignal, refuse?: RefuseBeforeDecoding): Promise<ProbedInput> {
  const media = await probeMedia(tools, file, signal, refuse);
  const timeline = await readTimeline(tools, file, media.video.index, media.video.frameRate, signal).catch((error: unknown) => {
    if (error instanceof ProcessError) throw new UserError(`${file}: the video's packets cannot be read (${firstUsefulLine(error)})`, file);
    throw error;
  });
  if (!timeline.pts.length) throw new UserError(`${file}: the video stream has no frames`, file);
  if (timeline.timestampFault) throw new UserError(`${file}: ${timestampFaultMessage(timeline.timestampFault, media.formatName)}`, file);
  const end = timeline.pts[timeline.pts.length - 1]! + timeline.lastFrameSeconds;
  const covered = end - timeline.pts[0]!;
  // A container that announces more video than its packets hold was cut short.
  const announced = media.video.durationSeconds ?? media.durationSeconds;
  if (announced > 0 && announced - covered > Math.max(1, 0.05 * announced)) {
    throw new UserError(
      `${file}: the file is truncated (it announces ${announced.toFixed(2)} s of video, the frames stop after ${covered.toFixed(2)} s)`,
      file,
    );
  }
  return { media, timeline, timelineMethod: timeline.method, timelineSeconds: timeline.seconds, bytesByStream: timeline.bytesByStream };
}
