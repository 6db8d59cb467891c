import { z } from 'zod';
import { UserError } from '../errors';
import { ProcessError, regularFileProblem, runProcess } from '../sys';
import type { Tools } from '../sys';
import { bitDepthOfPixelFormat } from './builtin/decode-args';
import { chooseMainVideo, videoStreamArgs } from '../probe';
import { refusedContainerMessage, refusedDemuxer } from '../probe';
import type { VmafInputInfo } from './types';

/** What VMAF needs to know about an input before decoding it. */
export interface VmafInput {
  path: string;
  role: 'reference' | 'distorted';
  width: number;
  height: number;
  pixFmt: string;
  bitDepth: number;
  through?: VmafInputInfo['through'];
  /** The stream measured: the main video as the encode chooses it (probe/main-video.ts); absent: the first video stream. */
  stream?: number;
}

const probeSchema = z.object({
  streams: z
    .array(
      z.object({
        index: z.number().int(),
        codec_type: z.string().optional(),
        width: z.number().int().positive().optional(),
        height: z.number().int().positive().optional(),
        pix_fmt: z.string().optional(),
        nb_frames: z.string().optional(),
        duration: z.string().optional(),
        r_frame_rate: z.string().optional(),
        avg_frame_rate: z.string().optional(),
        tags: z.record(z.string(), z.string()).optional(),
        disposition: z.record(z.string(), z.number()).optional(),
      }),
    )
    .default([]),
});

// A FIFO would be drained by the probe before the decode reads it; a device or a folder is no
// video. Each gets its own cause (before: "no such file" for all three).
function requireFile(path: string, role: VmafInput['role']): void {
  const problem = regularFileProblem(path);
  if (problem)
    throw new UserError(`${role} ${path}: ${problem}${problem === 'no such file' ? '' : `; the ${role} video must be a file`}`, path);
}

/** An input described by the caller (a file it made itself): no ffprobe, the existence check stays. */
export function knownVmafInput(path: string, role: VmafInput['role'], info: VmafInputInfo): VmafInput {
  requireFile(path, role);
  return {
    path,
    role,
    width: info.width,
    height: info.height,
    pixFmt: info.pixFmt,
    bitDepth: bitDepthOfPixelFormat(info.pixFmt),
    ...(info.through ? { through: info.through } : {}),
  };
}

/** An input resolved from the caller's description when given, else probed with ffprobe. */
export function resolveVmafInput(
  tools: Tools,
  path: string,
  role: VmafInput['role'],
  info: VmafInputInfo | undefined,
  signal?: AbortSignal,
): Promise<VmafInput> {
  return info ? Promise.resolve().then(() => knownVmafInput(path, role, info)) : probeVmafInput(tools, path, role, signal);
}

export async function probeVmafInput(tools: Tools, path: string, role: VmafInput['role'], signal?: AbortSignal): Promise<VmafInput> {
  requireFile(path, role);
  let stdout: string;
  try {
    ({ stdout } = await runProcess(tools.ffprobe, videoStreamArgs(path), { signal }));
  } catch (error) {
    if (error instanceof ProcessError) {
      const demuxer = refusedDemuxer(error.stderrTail);
      if (demuxer) throw new UserError(`${role} ${path}: ${refusedContainerMessage(demuxer)}`, path);
      const why = error.stderrTail.filter((l) => l.trim()).slice(-1)[0] ?? error.message;
      throw new UserError(`${role} ${path}: not a readable video (${why.replace(/^.*?:\s*/, '')})`, path);
    }
    throw error;
  }
  let parsed: z.infer<typeof probeSchema>;
  try {
    parsed = probeSchema.parse(JSON.parse(stdout));
  } catch {
    throw new UserError(`${role} ${path}: ffprobe output could not be read`, path);
  }
  // The video the encode would take (not a cover, not a one-frame still ahead of it), not v:0.
  const chosen = chooseMainVideo(parsed.streams);
  const stream = chosen && parsed.streams.find((s) => s.index === chosen.index);
  if (!stream?.width || !stream.height || !stream.pix_fmt) throw new UserError(`${role} ${path}: not a video file (no video stream)`, path);
  return {
    path,
    role,
    width: stream.width,
    height: stream.height,
    pixFmt: stream.pix_fmt,
    bitDepth: bitDepthOfPixelFormat(stream.pix_fmt),
    stream: stream.index,
  };
}

/**
 * The one VMAF convention, for the probes, the verification, `chunked-av1 vmaf`, the report and
 * `search` alike: both sides are measured in the distorted video's pixel format (the encode's,
 * which is what the encoder itself was fed), the reference converted through ffmpeg's format
 * filter exactly as the segment encode converts the source (encode/encode-args.ts segmentFilter).
 * An 8-bit source against a 10-bit encode thus scores as the 10-bit source the encoder saw.
 * Returns the reference unchanged when it already is in that format.
 */
export function inMeasuredPixelFormat(reference: VmafInput, distorted: VmafInput): VmafInput {
  if (reference.pixFmt === distorted.pixFmt) return reference;
  const filter = [reference.through?.filter, formatFilter(distorted.pixFmt)].filter(Boolean).join(',');
  return {
    ...reference,
    pixFmt: distorted.pixFmt,
    bitDepth: distorted.bitDepth,
    through: { inputOptions: reference.through?.inputOptions ?? [], filter },
  };
}

/** ffmpeg's format filter into `pixFmt`: the conversion the encoder's own input goes through. */
export function formatFilter(pixFmt: string): string {
  return `format=${pixFmt}`;
}

/** VMAF compares frames pixel by pixel: sizes must match, we never rescale silently. */
export function requireSameSize(reference: VmafInput, distorted: VmafInput): void {
  if (reference.width !== distorted.width || reference.height !== distorted.height) {
    throw new UserError(
      `different resolutions: reference ${reference.path} is ${reference.width}x${reference.height}, distorted ${distorted.path} is ${distorted.width}x${distorted.height} (scale one to the other first)`,
      distorted.path,
    );
  }
  if (reference.width <= 32 || reference.height <= 32) {
    throw new UserError(
      `${reference.path}: ${reference.width}x${reference.height} is too small for VMAF (width and height must be over 32)`,
      reference.path,
    );
  }
}

export function frameCountMismatch(
  reference: VmafInput,
  referenceFrames: number,
  distorted: VmafInput,
  distortedFrames: number,
): UserError {
  return new UserError(
    `frame counts differ: reference ${reference.path} has ${referenceFrames} frames, distorted ${distorted.path} has ${distortedFrames}`,
    distorted.path,
  );
}
