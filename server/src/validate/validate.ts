import { runProcess, ProcessError } from '../sys';
import type { Tools } from '../sys';
import { decodedSegmentArgs, firstFrameFormatArgs, mediaInfoArgs, packetListArgs } from '../probe';
import { ffprobeOutputSchema, parseHdrSideData, parseDuration, type ColourProperties, type MediaInfo, type StreamInfo } from '../probe';
import { parsePacketLines } from '../probe';
import type { MuxPlan } from '../assemble';

/**
 * Checks of what the encoder and the muxer produced: each encoded segment before it is renamed
 * into place, and the final output before it is renamed to its name. Each check returns the list
 * of problems (empty: valid) so the caller can report them in one line.
 */
export interface SegmentExpectation {
  frames: number;
  durationSeconds: number;
  /** Tolerance for the duration: one frame interval of this segment. */
  frameSeconds: number;
  width: number;
  height: number;
  pixelFormat: string;
  colour: ColourProperties;
}

export interface SegmentFacts {
  frames: number;
  durationSeconds: number;
  codec: string;
  width: number;
  height: number;
  pixFmt: string;
  colour: ColourProperties;
  decodeErrors: string[];
}

/** The facts of a segment that gave no video to read: nothing but why. */
function unreadableSegment(decodeErrors: string[]): SegmentFacts {
  return { frames: 0, durationSeconds: 0, codec: 'none', width: 0, height: 0, pixFmt: 'none', colour: {}, decodeErrors };
}

export async function probeSegment(tools: Tools, file: string, signal?: AbortSignal): Promise<SegmentFacts> {
  let result;
  try {
    result = await runProcess(tools.ffprobe, decodedSegmentArgs(file), { signal });
  } catch (error) {
    if (error instanceof ProcessError) return unreadableSegment([error.message]);
    throw error;
  }
  const parsed = ffprobeOutputSchema.parse(JSON.parse(result.stdout));
  const stream = parsed.streams[0];
  const decodeErrors = result.stderrTail.map((l) => l.trim()).filter(Boolean);
  if (!stream) return unreadableSegment([...decodeErrors, 'no video stream']);
  const framesRead = Number((stream as Record<string, unknown>).nb_read_frames ?? 0);
  return {
    frames: framesRead,
    durationSeconds: parseDuration(stream.duration) ?? parseDuration(stream.tags?.DURATION) ?? parseDuration(parsed.format?.duration) ?? 0,
    codec: stream.codec_name ?? 'unknown',
    width: stream.width ?? 0,
    height: stream.height ?? 0,
    pixFmt: stream.pix_fmt ?? 'unknown',
    colour: { primaries: stream.color_primaries, transfer: stream.color_transfer, matrix: stream.color_space, range: stream.color_range },
    decodeErrors,
  };
}

/** Problems of an encoded segment against the plan (pure). */
export function segmentProblems(facts: SegmentFacts, expected: SegmentExpectation): string[] {
  const problems: string[] = [];
  if (facts.decodeErrors.length) problems.push(`does not decode cleanly: ${facts.decodeErrors.slice(-2).join(' | ')}`);
  if (facts.codec !== 'av1') problems.push(`codec is ${facts.codec}, not av1`);
  if (facts.frames !== expected.frames) problems.push(`has ${facts.frames} frames, the plan has ${expected.frames}`);
  if (Math.abs(facts.durationSeconds - expected.durationSeconds) > expected.frameSeconds + 0.0015) {
    problems.push(`lasts ${facts.durationSeconds.toFixed(3)} s, the plan ${expected.durationSeconds.toFixed(3)} s`);
  }
  if (facts.width !== expected.width || facts.height !== expected.height)
    problems.push(`is ${facts.width}x${facts.height}, not ${expected.width}x${expected.height}`);
  if (facts.pixFmt !== expected.pixelFormat) problems.push(`pixel format is ${facts.pixFmt}, not ${expected.pixelFormat}`);
  for (const key of ['primaries', 'transfer', 'matrix', 'range'] as const) {
    const want = expected.colour[key];
    if (want && facts.colour[key] !== want) problems.push(`colour ${key} is ${facts.colour[key] ?? 'unset'}, not ${want}`);
  }
  return problems;
}

export interface FinalExpectation {
  /** Source frame timestamps rebased to the first frame (seconds). */
  relativePts: number[];
  durationSeconds: number;
  frameSeconds: number;
  source: MediaInfo;
  mux: MuxPlan;
  pixelFormat: string;
  width: number;
  height: number;
  colour: ColourProperties;
  hdr10: boolean;
}

/** Checks the muxed output; returns its problems (empty: valid). */
export async function finalOutputProblems(tools: Tools, file: string, expected: FinalExpectation, signal?: AbortSignal): Promise<string[]> {
  const problems: string[] = [];
  const [info, packets, frame] = await Promise.all([
    runProcess(tools.ffprobe, mediaInfoArgs(file), { signal }),
    runProcess(tools.ffprobe, packetListArgs(file), { signal }),
    runProcess(tools.ffprobe, firstFrameFormatArgs(file), { signal }),
  ]);
  const parsed = ffprobeOutputSchema.parse(JSON.parse(info.stdout));
  const video = parsed.streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!video) return ['has no video stream'];
  if (video.codec_name !== 'av1') problems.push(`video codec is ${video.codec_name}, not av1`);
  if (video.pix_fmt !== expected.pixelFormat) problems.push(`pixel format is ${video.pix_fmt}, not ${expected.pixelFormat}`);
  if (video.width !== expected.width || video.height !== expected.height)
    problems.push(`is ${video.width}x${video.height}, not ${expected.width}x${expected.height}`);
  const pts = (parsePacketLines(packets.stdout) ?? []).map((p) => p.pts).sort((a, b) => a - b);
  if (pts.length !== expected.relativePts.length) {
    problems.push(`has ${pts.length} video frames, the source has ${expected.relativePts.length}`);
  } else {
    const first = pts[0] ?? 0;
    const worst = pts.reduce((max, p, i) => Math.max(max, Math.abs(p - first - expected.relativePts[i]!)), 0);
    // Matroska keeps milliseconds; anything beyond rounding means the timing changed.
    if (worst > 0.0015) problems.push(`video timestamps differ from the source's by up to ${worst.toFixed(4)} s`);
  }
  const lastPts = pts.length ? pts[pts.length - 1]! - (pts[0] ?? 0) : 0;
  if (Math.abs(lastPts + expected.frameSeconds - expected.durationSeconds) > expected.frameSeconds + 0.0015) {
    problems.push(`video lasts ${(lastPts + expected.frameSeconds).toFixed(3)} s, the source ${expected.durationSeconds.toFixed(3)} s`);
  }
  for (const key of ['primaries', 'transfer', 'matrix', 'range'] as const) {
    const want = expected.colour[key];
    const got = { primaries: video.color_primaries, transfer: video.color_transfer, matrix: video.color_space, range: video.color_range }[
      key
    ];
    if (want && got !== want) problems.push(`colour ${key} is ${got ?? 'unset'}, not ${want}`);
  }
  if (expected.hdr10) {
    const sideData = (JSON.parse(frame.stdout) as { frames?: { side_data_list?: never }[] }).frames?.[0]?.side_data_list;
    const hdr = parseHdrSideData(sideData);
    if (!hdr.mastering) problems.push('the HDR10 mastering display metadata is missing from the AV1 stream');
  }
  const others = parsed.streams.filter((s) => s !== video);
  const wanted: StreamInfo[] = [
    ...expected.mux.streams,
    ...expected.mux.covers.map((c) => ({ ...c.stream, kind: 'attachment' as const, tags: {} })),
  ];
  if (others.length !== wanted.length) {
    problems.push(`has ${others.length} streams besides the video, expected ${wanted.length}`);
  } else {
    wanted.forEach((want, i) => {
      const got = others[i]!;
      const kind = got.codec_type === 'attachment' ? 'attachment' : got.codec_type;
      if (kind !== want.kind && !(want.attachedPic && kind === 'video')) problems.push(`stream ${i + 1} is ${kind}, expected ${want.kind}`);
      for (const tag of ['language', 'title']) {
        const source = want.tags[tag];
        // "und" (undetermined) is Matroska's default and is not written as a tag.
        if (source && !(tag === 'language' && source === 'und') && got.tags?.[tag] !== source)
          problems.push(`stream ${i + 1} lost its ${tag} "${source}"`);
      }
    });
  }
  if (expected.source.chapters.length && parsed.chapters.length !== expected.source.chapters.length) {
    problems.push(`has ${parsed.chapters.length} chapters, the source ${expected.source.chapters.length}`);
  }
  return problems;
}
