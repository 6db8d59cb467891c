import type { ColourProperties, ContentLight, DisplayTurn, MasteringDisplay, MediaInfo } from '../probe';
import { turnFilters } from '../probe';
import type { PlannedSegment } from '../plan';
import type { CropRect } from '../plan';
import { parseSvtParams } from '../../../common/options';
import { FIRST_VIDEO_ONLY, ffmpegFileUrl, ffmpegInput, ffmpegPreamble } from '../sys';

/**
 * ffmpeg argument builders for the per-segment steps: the stream copy of a segment and its
 * AV1 encode. Pure functions (no process I/O); processes are started by segment.ts and encode.ts.
 */

/** Seconds printed with enough digits for any container clock (microseconds). */
export function seconds(value: number): string {
  return value.toFixed(6);
}

/**
 * The segment copy's container. Matroska, except for a source whose first shown frames decode
 * from discarded packets before zero (an MP4 edit list starting mid-GOP): Matroska cannot store
 * negative timestamps (ffmpeg writes them untimed, the decoder then numbers them from zero and the
 * encode keeps the wrong pictures), MOV keeps them behind an edit list as the source did.
 */
export type SegmentCopyContainer = 'matroska' | 'mov';

/**
 * Stream copy of one segment's video, keeping the source timestamps (-copyts, no negative-ts
 * shift) so the worker can keep exactly the planned frames by timestamp. It starts at the
 * keyframe of the segment's own GOP (the first keyframe at or after -ss: a stream copy never
 * starts on anything else) and runs past its end to take in leading pictures.
 */
export function segmentCopyArgs(
  source: string,
  videoIndex: number,
  segment: PlannedSegment,
  output: string,
  container: SegmentCopyContainer = 'matroska',
): string[] {
  const args = [...ffmpegPreamble({ overwrite: true }), '-copyts'];
  // -seek_timestamp: -ss is a source timestamp, not an offset from the container's start time
  // (MPEG-TS starts at 1.4 s or anywhere); without it -ss and -to disagree and nothing is copied.
  if (segment.startFrame > 0) args.push('-seek_timestamp', '1', '-ss', seconds(segment.seekSeconds));
  args.push(...ffmpegInput(source), '-map', `0:${videoIndex}`, '-c', 'copy', '-avoid_negative_ts', 'disabled');
  if (segment.copyEndSeconds !== undefined) args.push('-to', seconds(segment.copyEndSeconds));
  // A MOV copy would keep the source's display matrix, and the decoder's autorotate would then turn
  // the picture a second time after segmentFilter's turn: the copy's matrix is reset to none.
  if (container === 'mov') args.push('-metadata:s:v:0', 'rotate=0');
  args.push('-f', container, ffmpegFileUrl(output));
  return args;
}

export interface VideoEncodeSettings {
  crf: number;
  preset: number;
  /** User's SVT-AV1 parameters (k=v:k=v), already validated by options.ts. */
  svtParams: string;
  keyintFrames: number;
  pixelFormat: string;
  /** SVT-AV1 `lp` (threads per worker); undefined leaves SVT-AV1's default. */
  threads?: number;
  colour: ColourProperties;
  mastering?: MasteringDisplay;
  contentLight?: ContentLight;
  /** Crop to even dimensions (4:2:0 needs them). */
  evenCrop: boolean;
  /** The picture kept (black bars cut off, --crop): even, the same for every segment. */
  crop?: CropRect;
  /** The source's display-matrix turn, applied first: crop and size are in upright coordinates. */
  turn?: DisplayTurn;
}

export function keyintFrames(keyintSeconds: number, frameRate: number): number {
  return Math.max(1, Math.round(keyintSeconds * (frameRate > 0 ? frameRate : 25)));
}

function xy([x, y]: [number, number]): string {
  return `${x.toFixed(4)},${y.toFixed(4)}`;
}

/** SVT-AV1's `mastering-display` value: G(x,y)B(x,y)R(x,y)WP(x,y)L(max,min). */
export function masteringDisplayParam(md: MasteringDisplay): string {
  return `G(${xy(md.green)})B(${xy(md.blue)})R(${xy(md.red)})WP(${xy(md.whitePoint)})L(${md.maxLuminance.toFixed(4)},${md.minLuminance.toFixed(4)})`;
}

/** The `-svtav1-params` value: HDR10 metadata and threads first, the user's own keys win. */
export function svtParamsArg(settings: VideoEncodeSettings): string {
  const params: Record<string, string> = {};
  if (settings.threads !== undefined) params.lp = String(settings.threads);
  if (settings.mastering) params['mastering-display'] = masteringDisplayParam(settings.mastering);
  if (settings.contentLight)
    params['content-light'] = `${Math.round(settings.contentLight.maxCll)},${Math.round(settings.contentLight.maxFall)}`;
  Object.assign(params, parseSvtParams(settings.svtParams));
  return Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(':');
}

export function colourArgs(colour: ColourProperties): string[] {
  const args: string[] = [];
  if (colour.primaries) args.push('-color_primaries', colour.primaries);
  if (colour.transfer) args.push('-color_trc', colour.transfer);
  if (colour.matrix) args.push('-colorspace', colour.matrix);
  if (colour.range) args.push('-color_range', colour.range);
  return args;
}

/** The filter chain of a segment encode: keep the planned frames, restart the clock at 0, convert. */
export function segmentFilter(
  segment: PlannedSegment,
  settings: Pick<VideoEncodeSettings, 'evenCrop' | 'pixelFormat' | 'crop' | 'turn'>,
): string {
  const filters = [`select='gte(t,${seconds(segment.keepFromSeconds)})*lt(t,${seconds(segment.keepToSeconds)})'`, 'setpts=PTS-STARTPTS'];
  // The segment copy (Matroska) has lost the display matrix: turn the picture upright here.
  filters.push(...turnFilters(settings.turn ?? 0));
  // The VMAF reference is cut or decoded through this same chain (crf/samples.ts, target-quality.ts),
  // so quality is measured on the cropped picture the encode sees, never on the bars.
  if (settings.crop) filters.push(`crop=${settings.crop.width}:${settings.crop.height}:${settings.crop.x}:${settings.crop.y}:exact=1`);
  else if (settings.evenCrop) filters.push('crop=trunc(iw/2)*2:trunc(ih/2)*2:0:0');
  filters.push(`format=${settings.pixelFormat}`);
  return filters.join(',');
}

/**
 * Encode one segment copy to AV1. -copyts keeps the source clock on the decoded frames so the
 * select filter sees source timestamps; -fps_mode passthrough keeps variable frame rates.
 * -frames:v ends the run once the segment's last frame is in: the copy's tail past the segment
 * (there for the next GOP's leading pictures in decode order) is then never decoded. More frames
 * than planned cannot pass the select (the copy check counts the window's packets), and fewer
 * fail validation. Progress goes to stdout as key=value lines (-progress pipe:1).
 */
export function segmentEncodeArgs(input: string, segment: PlannedSegment, settings: VideoEncodeSettings, output: string): string[] {
  return [
    ...ffmpegPreamble({ overwrite: true }),
    '-progress',
    'pipe:1',
    '-copyts',
    ...ffmpegInput(input),
    ...FIRST_VIDEO_ONLY,
    '-vf',
    segmentFilter(segment, settings),
    '-fps_mode',
    'passthrough',
    '-frames:v',
    String(segment.frames),
    ...svtav1EncoderArgs(settings),
    '-f',
    'matroska',
    ffmpegFileUrl(output),
  ];
}

/** The libsvtav1 encoder, its rate control, GOP, pixel format, SVT parameters and colour tags:
 * shared by segment encodes and target-quality sample probes so both encode alike. */
export function svtav1EncoderArgs(settings: VideoEncodeSettings): string[] {
  const svt = svtParamsArg(settings);
  return [
    '-c:v',
    'libsvtav1',
    '-crf',
    String(settings.crf),
    '-preset',
    String(settings.preset),
    '-g',
    String(settings.keyintFrames),
    '-pix_fmt',
    settings.pixelFormat,
    ...(svt ? ['-svtav1-params', svt] : []),
    ...colourArgs(settings.colour),
  ];
}

/** What the encoder will be asked to do with this source (logged once per job). */
export function conversionNotes(media: MediaInfo, pixelFormat: string): string[] {
  const notes: string[] = [];
  const { width, height, chroma, pixFmt } = media.video;
  if (width % 2 || height % 2)
    notes.push(
      `odd dimensions ${width}x${height} cropped to ${width - (width % 2)}x${height - (height % 2)} (4:2:0 needs even dimensions)`,
    );
  if (chroma !== 420)
    notes.push(
      `${pixFmt} (${chroma === 400 ? 'greyscale' : `4:${String(chroma).slice(1, 2)}:${String(chroma).slice(2)}`}) converted to ${pixelFormat} (4:2:0)`,
    );
  if (media.video.bitDepth > 8 && pixelFormat === 'yuv420p')
    notes.push(`${media.video.bitDepth}-bit source encoded at 8 bits (--pixel-format yuv420p)`);
  return notes;
}
