import { runProcess } from '../sys';
import { FfmpegPeakRss } from '../sys';
import type { Tools } from '../sys';
import type { PlannedSegment } from '../plan';
import { segmentEncodeArgs, type VideoEncodeSettings } from './encode-args';

/**
 * Runs one AV1 encode of a segment copy. Progress (frames encoded so far) is read from ffmpeg's
 * `-progress pipe:1` lines.
 */
export interface EncodeRunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  onFrames?: (framesDone: number) => void;
  log?: (argv: readonly string[]) => void;
  onSpawn?: (pid: number) => void;
  onExit?: (pid: number) => void;
  cpus?: readonly number[];
}

export interface EncodeRunResult {
  seconds: number;
  peakRssBytes?: number;
}

export async function encodeSegment(
  tools: Tools,
  input: string,
  segment: PlannedSegment,
  settings: VideoEncodeSettings,
  output: string,
  options: EncodeRunOptions = {},
): Promise<EncodeRunResult> {
  // The encoder's own peak, counted by the kernel (see ffmpeg-peak-rss.ts); omitted when unknown.
  const peak = await FfmpegPeakRss.create();
  try {
    const result = await runProcess(tools.ffmpeg, [...(peak?.args ?? []), ...segmentEncodeArgs(input, segment, settings, output)], {
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      stdout: options.onFrames ? 'stream' : 'ignore',
      onStdoutLine: options.onFrames
        ? (line) => {
            const match = /^frame=(\d+)/.exec(line);
            if (match) options.onFrames?.(Number(match[1]));
          }
        : undefined,
      log: options.log,
      onSpawn: options.onSpawn,
      onExit: options.onExit,
      cpus: options.cpus,
      env: peak?.env,
    });
    const peakRssBytes = await peak?.read();
    return peakRssBytes === undefined ? { seconds: result.seconds } : { seconds: result.seconds, peakRssBytes };
  } finally {
    await peak?.dispose();
  }
}
