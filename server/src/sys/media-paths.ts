import path from 'node:path';

/**
 * How a path reaches ffmpeg and ffprobe, written once for every argument builder. A bare path is
 * open to three parsers: the option parser (`-report`), the protocol chooser (`concat:a|b`,
 * `http://`) and, in demuxers that resolve names against their own URL (concat, HLS), a URL
 * parser that cuts at `#` and `?`. An absolute path behind the `file:` protocol prefix reaches
 * none of them: ffmpeg's file protocol strips the prefix and opens the rest byte for byte.
 */

/** The protocols ffmpeg may open while reading media: local files, and pipes for progress. */
export const PROTOCOL_WHITELIST = 'file,pipe';

/**
 * The demuxers we read media with (ffmpeg's own names; a demuxer whose name lists several, like
 * `mov,mp4,m4a,...`, matches on any of them). Playlists, concat lists and image sequences are left
 * out: they open further files. See probe/containers.ts for the refusal users see.
 */
export const MEDIA_DEMUXERS = [
  'matroska',
  'webm',
  'mov',
  'mp4',
  'mpegts',
  'mpeg',
  'avi',
  'flv',
  'h264',
  'hevc',
  'av1',
  'obu',
  'ivf',
  'yuv4mpegpipe',
] as const;

/** `file:` + the absolute path: a name no ffmpeg parser can read as anything but a file. */
export function ffmpegFileUrl(file: string): string {
  return `file:${path.resolve(file)}`;
}

/** Input options allowing only local files and the given demuxers (nested opens inherit them). */
export function inputRestrictions(demuxers: readonly string[] = MEDIA_DEMUXERS): string[] {
  return ['-protocol_whitelist', PROTOCOL_WHITELIST, '-format_whitelist', demuxers.join(',')];
}

/** The arguments opening one media input: only local files, only media demuxers. */
export function ffmpegInput(file: string, demuxers: readonly string[] = MEDIA_DEMUXERS): string[] {
  return [...inputRestrictions(demuxers), '-i', ffmpegFileUrl(file)];
}

/** The input's first video stream and nothing else: no audio, subtitle or data stream follows it. */
export const FIRST_VIDEO_ONLY = ['-map', '0:v:0', '-an', '-sn', '-dn'] as const;

/** One video stream of the input by its index (a user's file: the main video, probe/main-video.ts), else the first. */
export function videoStreamOnly(stream?: number): string[] {
  return stream === undefined ? [...FIRST_VIDEO_ONLY] : ['-map', `0:${stream}`, '-an', '-sn', '-dn'];
}

/** The same restrictions for ffprobe, which takes the file as its input. */
export function ffprobeInput(file: string): string[] {
  return ffmpegInput(file);
}
