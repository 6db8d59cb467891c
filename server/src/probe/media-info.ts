import { z } from 'zod';
import { chooseMainVideo } from './main-video';
import { displayTurn, type DisplayTurn } from './rotation';

/**
 * What the pipeline knows about an input, parsed from ffprobe's JSON with zod. Pure: no process
 * I/O here (probe.ts runs ffprobe), so the parsing is unit-tested on literal JSON.
 */

const tagsSchema = z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).optional();
const dispositionSchema = z.record(z.string(), z.number()).optional();

const sideDataSchema = z.object({ side_data_type: z.string().optional() }).passthrough();

const streamSchema = z
  .object({
    index: z.number().int(),
    codec_type: z.string().optional(),
    codec_name: z.string().optional(),
    width: z.number().int().optional(),
    height: z.number().int().optional(),
    pix_fmt: z.string().optional(),
    bits_per_raw_sample: z.string().optional(),
    color_range: z.string().optional(),
    color_space: z.string().optional(),
    color_transfer: z.string().optional(),
    color_primaries: z.string().optional(),
    chroma_location: z.string().optional(),
    field_order: z.string().optional(),
    r_frame_rate: z.string().optional(),
    avg_frame_rate: z.string().optional(),
    time_base: z.string().optional(),
    start_time: z.string().optional(),
    duration: z.string().optional(),
    nb_frames: z.string().optional(),
    channels: z.number().int().optional(),
    channel_layout: z.string().optional(),
    sample_rate: z.string().optional(),
    extradata_size: z.number().int().optional(),
    tags: tagsSchema,
    disposition: dispositionSchema,
    side_data_list: z.array(sideDataSchema).optional(),
  })
  .passthrough();

const chapterSchema = z
  .object({
    id: z.number().optional(),
    start_time: z.string(),
    end_time: z.string(),
    tags: tagsSchema,
  })
  .passthrough();

const formatSchema = z
  .object({
    filename: z.string().optional(),
    format_name: z.string(),
    duration: z.string().optional(),
    size: z.string().optional(),
    bit_rate: z.string().optional(),
    start_time: z.string().optional(),
    tags: tagsSchema,
  })
  .passthrough();

export const ffprobeOutputSchema = z.object({
  streams: z.array(streamSchema).default([]),
  chapters: z.array(chapterSchema).default([]),
  format: formatSchema.optional(),
});

export type FfprobeStream = z.infer<typeof streamSchema>;

export type StreamKind = 'video' | 'audio' | 'subtitle' | 'attachment' | 'data';

export interface StreamInfo {
  index: number;
  kind: StreamKind;
  codec: string;
  /** A cover image stored as a video stream; copied, never encoded. */
  attachedPic: boolean;
  /** A one-frame video stream beside the main video (a poster): carried as it is, never encoded. */
  still?: boolean;
  channels?: number;
  /** Codec private data; an attachment (a font, say) is nothing else, and has no packets. */
  extradataBytes?: number;
  tags: Record<string, string>;
  disposition: Record<string, number>;
}

export interface MasteringDisplay {
  /** CIE 1931 xy chromaticities, as fractions. */
  red: [number, number];
  green: [number, number];
  blue: [number, number];
  whitePoint: [number, number];
  /** cd/m². */
  maxLuminance: number;
  minLuminance: number;
}

export interface ContentLight {
  maxCll: number;
  maxFall: number;
}

export interface DolbyVision {
  profile?: number;
  level?: number;
  blPresent?: boolean;
}

export interface ColourProperties {
  primaries?: string;
  transfer?: string;
  matrix?: string;
  range?: string;
}

export interface VideoInfo {
  index: number;
  codec: string;
  /** The picture as displayed and encoded: after the display matrix's turn (rotation.ts). */
  width: number;
  height: number;
  /** Clockwise turn applied to the coded picture before anything else (display matrix), when not 0. */
  turn?: DisplayTurn;
  pixFmt: string;
  bitDepth: number;
  chroma: 420 | 422 | 444 | 400;
  /** What the container announces for the video stream (stream duration or Matroska DURATION tag). */
  durationSeconds?: number;
  /** Nominal rate (r_frame_rate); VFR detection uses the frame timestamps (see frames.ts). */
  frameRate: number;
  colour: ColourProperties;
  dolbyVision?: DolbyVision;
  mastering?: MasteringDisplay;
  contentLight?: ContentLight;
  tags: Record<string, string>;
  disposition: Record<string, number>;
}

export interface Chapter {
  startSeconds: number;
  endSeconds: number;
  title?: string;
}

export interface MediaInfo {
  file: string;
  formatName: string;
  durationSeconds: number;
  /** The container's start time (the clock origin ffmpeg subtracts from every stream). */
  startSeconds: number;
  sizeBytes: number;
  video: VideoInfo;
  /** Which video stream was chosen and why, when the input has more than one (main-video.ts). */
  videoChoice?: string;
  /** Every stream of the input, in index order, including the encoded video stream. */
  streams: StreamInfo[];
  chapters: Chapter[];
  tags: Record<string, string>;
}

/** A description of why an input cannot be used, without the file name (the caller adds it). */
export class MediaProblem extends Error {}

export function parseRational(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const [num, den] = text.split('/').map(Number);
  if (num === undefined || !Number.isFinite(num)) return undefined;
  if (den === undefined) return num;
  return den ? num / den : undefined;
}

/** "12.5" or Matroska's "00:00:12.500000000". */
export function parseDuration(text: string | undefined): number | undefined {
  if (!text || text === 'N/A') return undefined;
  const clock = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(text);
  const value = clock ? Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]) : Number(text);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export function bitDepthOf(pixFmt: string, bitsPerRawSample?: string): number {
  const match = /p(9|10|12|14|16)(le|be)?$/.exec(pixFmt) ?? /(9|10|12|14|16)(le|be)$/.exec(pixFmt);
  if (match) return Number(match[1]);
  const raw = Number(bitsPerRawSample);
  return Number.isFinite(raw) && raw > 0 ? raw : 8;
}

export function chromaOf(pixFmt: string): VideoInfo['chroma'] {
  if (/^(gray|y400)/.test(pixFmt)) return 400;
  if (/^(yuvj?444|yuva444|gbr|rgb|bgr|argb|abgr|rgba|bgra|x2rgb|x2bgr|0rgb|rgb0|ayuv|vuya|xv3|y410)/.test(pixFmt)) return 444;
  if (/^(yuvj?422|yuva422|nv16|nv20|yuyv|uyvy|y210|p210|p216)/.test(pixFmt)) return 422;
  return 420;
}

function kindOf(type: string | undefined): StreamKind {
  switch (type) {
    case 'video':
      return 'video';
    case 'audio':
      return 'audio';
    case 'subtitle':
      return 'subtitle';
    case 'attachment':
      return 'attachment';
    default:
      return 'data';
  }
}

function sideData(list: FfprobeStream['side_data_list'], type: RegExp): Record<string, unknown> | undefined {
  return list?.find((entry) => type.test(entry.side_data_type ?? ''));
}

function numberField(record: Record<string, unknown>, key: string): number | undefined {
  const value = record[key];
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return parseRational(value);
  return undefined;
}

/** Mastering display and content light level from a frame's (or stream's) side data list. */
export function parseHdrSideData(list: FfprobeStream['side_data_list']): { mastering?: MasteringDisplay; contentLight?: ContentLight } {
  const result: { mastering?: MasteringDisplay; contentLight?: ContentLight } = {};
  const md = sideData(list, /^Mastering display metadata$/i);
  if (md) {
    const get = (key: string) => numberField(md, key);
    const values = [
      'red_x',
      'red_y',
      'green_x',
      'green_y',
      'blue_x',
      'blue_y',
      'white_point_x',
      'white_point_y',
      'max_luminance',
      'min_luminance',
    ].map(get);
    if (values.every((v) => v !== undefined)) {
      const [rx, ry, gx, gy, bx, by, wx, wy, maxL, minL] = values;
      result.mastering = {
        red: [rx!, ry!],
        green: [gx!, gy!],
        blue: [bx!, by!],
        whitePoint: [wx!, wy!],
        maxLuminance: maxL!,
        minLuminance: minL!,
      };
    }
  }
  const cll = sideData(list, /^Content light level metadata$/i);
  if (cll) {
    const maxCll = numberField(cll, 'max_content');
    const maxFall = numberField(cll, 'max_average');
    if (maxCll !== undefined && maxFall !== undefined) result.contentLight = { maxCll, maxFall };
  }
  return result;
}

export function parseDolbyVision(list: FfprobeStream['side_data_list']): DolbyVision | undefined {
  const dovi = sideData(list, /DOVI configuration record/i);
  if (!dovi) return undefined;
  return {
    profile: numberField(dovi, 'dv_profile'),
    level: numberField(dovi, 'dv_level'),
    blPresent: numberField(dovi, 'bl_present_flag') === 1,
  };
}

function cleanColour(value: string | undefined): string | undefined {
  return value && value !== 'unknown' && value !== 'unspecified' && value !== 'reserved' ? value : undefined;
}

/**
 * Builds a MediaInfo from `ffprobe -show_format -show_streams -show_chapters -of json` output,
 * plus the first video frame's side data (HDR10 metadata usually travels with frames, not
 * streams). Throws MediaProblem for inputs the pipeline cannot encode.
 */
export function parseMediaInfo(file: string, json: unknown, firstFrameSideData?: FfprobeStream['side_data_list']): MediaInfo {
  const parsed = ffprobeOutputSchema.safeParse(json);
  if (!parsed.success) throw new MediaProblem('ffprobe output was not understood');
  const { streams, chapters, format } = parsed.data;
  if (!format) throw new MediaProblem('not a media file ffprobe can read');
  const choice = chooseMainVideo(streams);
  const videoStream = choice && streams.find((s) => s.index === choice.index);
  if (!choice || !videoStream) {
    const kinds = [...new Set(streams.map((s) => s.codec_type ?? 'unknown'))];
    throw new MediaProblem(kinds.length ? `has no video stream (only ${kinds.join(', ')})` : 'has no streams');
  }
  if (!videoStream.width || !videoStream.height || !videoStream.pix_fmt) {
    throw new MediaProblem('the video stream has no size or pixel format (damaged or truncated?)');
  }
  const hdr = { ...parseHdrSideData(videoStream.side_data_list), ...parseHdrSideData(firstFrameSideData) };
  const dolbyVision = parseDolbyVision(videoStream.side_data_list) ?? parseDolbyVision(firstFrameSideData);
  const turn = displayTurn(videoStream.side_data_list);
  const sideways = turn === 90 || turn === 270;
  const video: VideoInfo = {
    index: videoStream.index,
    codec: videoStream.codec_name ?? 'unknown',
    width: sideways ? videoStream.height : videoStream.width,
    height: sideways ? videoStream.width : videoStream.height,
    ...(turn ? { turn } : {}),
    pixFmt: videoStream.pix_fmt,
    bitDepth: bitDepthOf(videoStream.pix_fmt, videoStream.bits_per_raw_sample),
    chroma: chromaOf(videoStream.pix_fmt),
    durationSeconds: parseDuration(videoStream.duration) ?? parseDuration(videoStream.tags?.DURATION),
    frameRate: parseRational(videoStream.r_frame_rate) ?? parseRational(videoStream.avg_frame_rate) ?? 0,
    colour: {
      primaries: cleanColour(videoStream.color_primaries),
      transfer: cleanColour(videoStream.color_transfer),
      matrix: cleanColour(videoStream.color_space),
      range: cleanColour(videoStream.color_range),
    },
    tags: videoStream.tags ?? {},
    disposition: videoStream.disposition ?? {},
    ...hdr,
  };
  if (dolbyVision) video.dolbyVision = dolbyVision;
  return {
    file,
    formatName: format.format_name,
    durationSeconds: Number(format.duration ?? videoStream.duration ?? 0) || 0,
    startSeconds: Number(format.start_time ?? 0) || 0,
    sizeBytes: Number(format.size ?? 0) || 0,
    video,
    ...(choice.reason ? { videoChoice: choice.reason } : {}),
    streams: streams.map((s) => ({
      index: s.index,
      kind: kindOf(s.codec_type),
      codec: s.codec_name ?? 'unknown',
      attachedPic: Boolean(s.disposition?.attached_pic),
      ...(choice.stills.includes(s.index) ? { still: true } : {}),
      channels: s.channels,
      ...(s.extradata_size !== undefined ? { extradataBytes: s.extradata_size } : {}),
      tags: s.tags ?? {},
      disposition: s.disposition ?? {},
    })),
    chapters: chapters.map((c) => ({
      startSeconds: Number(c.start_time),
      endSeconds: Number(c.end_time),
      title: c.tags?.title,
    })),
    tags: format.tags ?? {},
  };
}
