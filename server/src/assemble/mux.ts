import path from 'node:path';
import type { MediaInfo, StreamInfo } from '../probe';
import { seconds } from '../encode';
import { ffmpegFileUrl, ffmpegInput, ffmpegPreamble, inputRestrictions } from '../sys';

/**
 * The final step's arguments: the concatenated AV1 video (concat demuxer over segment_list.txt)
 * muxed with every other stream of the source: audio (copied or Opus), subtitles, attachments,
 * cover images, chapters, global and per-stream metadata and dispositions. Pure.
 */
export type Container = 'matroska' | 'mp4';

const MP4_AUDIO = new Set(['aac', 'mp3', 'mp2', 'ac3', 'eac3', 'opus', 'flac', 'alac']);
const MP4_SUBTITLES = new Set(['mov_text']);
/** Subtitle codecs Matroska can hold as they are. */
const MKV_SUBTITLES = new Set([
  'subrip',
  'srt',
  'ass',
  'ssa',
  'webvtt',
  'hdmv_pgs_subtitle',
  'dvd_subtitle',
  'dvb_subtitle',
  'text',
  'arib_caption',
]);

export interface MuxPlan {
  container: Container;
  /** Source streams carried over (non-video, plus cover images). */
  streams: StreamInfo[];
  /** Source streams that cannot be carried and why (logged). */
  dropped: { stream: StreamInfo; reason: string }[];
  /** Subtitle streams converted to a codec the container holds (e.g. mov_text → subrip in MKV). */
  converted: { stream: StreamInfo; to: string }[];
  /**
   * Cover images (attached pictures) that Matroska keeps as attachments: ffmpeg 5.1's Matroska
   * muxer would write them as one-frame video tracks, so they are extracted (coverExtractArgs) and
   * attached after the mapped streams.
   */
  covers: { stream: StreamInfo; fileName: string; mimeType: string; reencode: boolean }[];
}

const COVER_TYPES: Record<string, [string, string]> = {
  mjpeg: ['jpg', 'image/jpeg'],
  png: ['png', 'image/png'],
  bmp: ['bmp', 'image/bmp'],
  gif: ['gif', 'image/gif'],
  webp: ['webp', 'image/webp'],
};

/** Extracts one cover image from the source into `file` (copied when its codec is an image format). */
export function coverExtractArgs(source: string, cover: MuxPlan['covers'][number], file: string): string[] {
  return [
    ...ffmpegPreamble({ overwrite: true }),
    ...ffmpegInput(source),
    '-map',
    `0:${cover.stream.index}`,
    '-frames:v',
    '1',
    ...(cover.reencode ? ['-c:v', 'png'] : ['-c', 'copy']),
    '-f',
    'image2',
    '-update',
    '1',
    ffmpegFileUrl(file),
  ];
}

export class ContainerError extends Error {}

export function containerFor(output: string): Container {
  return path.extname(output).toLowerCase() === '.mp4' || path.extname(output).toLowerCase() === '.m4v' ? 'mp4' : 'matroska';
}

/** Opus bitrate by channel count: 1 ch 64k, 2 ch 128k, 6 ch 256k, 8 ch 384k (in between: the next lower layout). */
export function opusBitrate(channels: number | undefined): string {
  const ch = channels ?? 2;
  if (ch <= 1) return '64k';
  if (ch < 6) return '128k';
  if (ch < 8) return '256k';
  return '384k';
}

export function planMux(media: MediaInfo, container: Container, audioMode: 'copy' | 'opus'): MuxPlan {
  const plan: MuxPlan = { container, streams: [], dropped: [], converted: [], covers: [] };
  const refused: string[] = [];
  for (const stream of media.streams) {
    if (stream.index === media.video.index) continue;
    // A one-frame still beside the main video (a poster track) is copied as the source has it.
    if (stream.kind === 'video' && !stream.attachedPic && !stream.still) {
      plan.dropped.push({ stream, reason: 'only the main video stream is encoded' });
      continue;
    }
    if (container === 'mp4') {
      if (stream.kind === 'audio' && audioMode === 'copy' && !MP4_AUDIO.has(stream.codec))
        refused.push(`${stream.codec} audio (stream ${stream.index})`);
      else if (stream.kind === 'subtitle' && !MP4_SUBTITLES.has(stream.codec))
        refused.push(`${stream.codec} subtitles (stream ${stream.index})`);
      else if (stream.kind === 'attachment')
        refused.push(`an attachment (stream ${stream.index}${stream.tags.filename ? `, ${stream.tags.filename}` : ''})`);
      else if (stream.kind === 'data') plan.dropped.push({ stream, reason: 'data streams are not carried' });
      else plan.streams.push(stream);
      continue;
    }
    if (stream.kind === 'data') {
      plan.dropped.push({ stream, reason: `Matroska cannot hold ${stream.codec} data streams` });
      continue;
    }
    if (stream.attachedPic) {
      const [ext, mimeType] = COVER_TYPES[stream.codec] ?? ['png', 'image/png'];
      const n = plan.covers.length;
      const fileName = stream.tags.filename ?? `${n === 0 ? 'cover' : `cover_${n + 1}`}.${ext}`;
      plan.covers.push({ stream, fileName, mimeType, reencode: !COVER_TYPES[stream.codec] });
      continue;
    }
    if (stream.kind === 'subtitle' && !MKV_SUBTITLES.has(stream.codec)) {
      if (stream.codec === 'mov_text') plan.converted.push({ stream, to: 'subrip' });
      else {
        plan.dropped.push({ stream, reason: `Matroska cannot hold ${stream.codec} subtitles` });
        continue;
      }
    }
    plan.streams.push(stream);
  }
  if (refused.length) throw new ContainerError(`an MP4 file cannot hold ${refused.join(', ')} from the source; use a .mkv output name`);
  return plan;
}

function dispositionValue(disposition: Record<string, number>): string {
  const set = Object.entries(disposition)
    .filter(([, v]) => v === 1)
    .map(([k]) => k);
  return set.length ? set.join('+') : '0';
}

export interface MuxArgsInput {
  segmentList: string;
  source: string;
  media: MediaInfo;
  plan: MuxPlan;
  audioMode: 'copy' | 'opus';
  /** Source clock time of the first video frame; the concatenated video starts there. */
  videoStartSeconds: number;
  output: string;
  /** Extracted cover files, in plan.covers order. */
  coverFiles?: string[];
}

/**
 * The concat demuxer resolves each relative entry against the list's own URL with a URL parser,
 * which cuts at `#` and `?` (a work directory named `C# projects` then joined `C` + `encoded/...`,
 * or whatever video lay there). Opened by its bare name from inside the work directory (see
 * muxWorkingDirectory), the list's URL holds no byte of the work directory's path, so its entries
 * (`encoded/segment_NNN.mkv`, names we chose) resolve inside it whatever that path contains,
 * newlines included, which no `file` line could quote. Only our segments may be read through it.
 */
export function concatListInput(segmentList: string): string[] {
  return ['-f', 'concat', '-safe', '0', ...inputRestrictions(['concat', 'matroska']), '-i', `file:${path.basename(segmentList)}`];
}

/** Where the mux must run: the segment list's folder (see concatListInput). */
export function muxWorkingDirectory(input: Pick<MuxArgsInput, 'segmentList'>): string {
  return path.dirname(path.resolve(input.segmentList));
}

export function muxArgs(input: MuxArgsInput): string[] {
  const { media, plan } = input;
  // ffmpeg rebases each input on its own start; the concatenated video must sit where the
  // source's first video frame sat relative to the source's start.
  const offset = input.videoStartSeconds - media.startSeconds;
  const args = ffmpegPreamble({ overwrite: true });
  if (Math.abs(offset) > 1e-6) args.push('-itsoffset', seconds(offset));
  args.push(...concatListInput(input.segmentList), ...ffmpegInput(input.source), '-map', '0:v:0');
  for (const stream of plan.streams) args.push('-map', `1:${stream.index}`);
  args.push('-c', 'copy', '-map_metadata', '1', '-map_chapters', '1');
  args.push('-map_metadata:s:0', `1:s:${media.video.index}`, '-disposition:0', dispositionValue(media.video.disposition));
  plan.streams.forEach((stream, i) => {
    const out = i + 1;
    if (stream.kind === 'audio' && input.audioMode === 'opus') {
      args.push(`-c:${out}`, 'libopus', `-b:${out}`, opusBitrate(stream.channels));
    }
    const conversion = plan.converted.find((c) => c.stream.index === stream.index);
    if (conversion) args.push(`-c:${out}`, conversion.to);
    // Naming any stream's metadata source turns off ffmpeg's automatic per-stream copy, so every
    // stream is named (attachments need their filename and mimetype tags).
    args.push(`-map_metadata:s:${out}`, `1:s:${stream.index}`, `-disposition:${out}`, dispositionValue(stream.disposition));
  });
  plan.covers.forEach((cover, k) => {
    const file = input.coverFiles?.[k];
    if (!file) return;
    const out = plan.streams.length + 1 + k;
    args.push(
      '-attach',
      ffmpegFileUrl(file),
      `-metadata:s:${out}`,
      `mimetype=${cover.mimeType}`,
      `-metadata:s:${out}`,
      `filename=${cover.fileName}`,
    );
  });
  // Sparse subtitle streams must not hold back (or reorder) the interleaving.
  args.push('-max_interleave_delta', '0');
  if (plan.container === 'mp4') args.push('-movflags', '+faststart', '-f', 'mp4');
  else args.push('-f', 'matroska');
  args.push(ffmpegFileUrl(input.output));
  return args;
}
