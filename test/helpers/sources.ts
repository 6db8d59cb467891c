import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ffmpegSync } from './clips';

/**
 * Generators for the awkward sources the pipeline must encode frame-exactly, all from lavfi at
 * run time (nothing binary is committed). Kept tiny: 160x120-ish, 2-4 s.
 *
 * The picture is testsrc2 with a hue that turns every frame, so that any two neighbouring frames
 * differ all over the picture: a one-frame shift at a segment boundary drops the PSNR far below
 * what the AV1 encode gives.
 */
export function movingSource(size: string, fps: number | string): string {
  return `testsrc2=s=${size}:r=${fps},hue=H=2*PI*t*0.9:s=1.3`;
}

/** HEVC with open GOPs (CRA + leading pictures) and B-frames, a keyframe every second, in MKV. */
export function openGopHevc(file: string, seconds = 3): string {
  ffmpegSync([
    '-f',
    'lavfi',
    '-i',
    movingSource('160x120', 24),
    '-t',
    String(seconds),
    '-pix_fmt',
    'yuv420p',
    '-c:v',
    'libx265',
    '-preset',
    'ultrafast',
    '-x265-params',
    'log-level=error:keyint=24:min-keyint=24:open-gop=1:bframes=4:b-adapt=0:scenecut=0',
    file,
  ]);
  return file;
}

/** H.264 in MP4 with B-frames and one GOP longer than the clip (no keyframe at any cut). */
export function longGopH264Mp4(file: string, seconds = 3): string {
  ffmpegSync([
    '-f',
    'lavfi',
    '-i',
    movingSource('160x120', 30),
    '-t',
    String(seconds),
    '-pix_fmt',
    'yuv420p',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-bf',
    '3',
    '-g',
    '600',
    '-keyint_min',
    '600',
    '-sc_threshold',
    '0',
    '-movflags',
    '+faststart',
    file,
  ]);
  return file;
}

/** Variable frame rate: frames dropped in an irregular pattern, timestamps kept (MKV). */
export function variableFrameRate(file: string, seconds = 3): string {
  ffmpegSync([
    '-f',
    'lavfi',
    '-i',
    `${movingSource('160x120', 30)},select='not(between(mod(n,11),3,5))*not(eq(mod(n,7),2))'`,
    '-t',
    String(seconds),
    '-fps_mode',
    'vfr',
    '-pix_fmt',
    'yuv420p',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-bf',
    '2',
    '-g',
    '20',
    file,
  ]);
  return file;
}

export const HDR10_MASTER = 'G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,50)';

/** 10-bit HEVC, BT.2020 PQ, with HDR10 mastering display and content light level metadata. */
export function hdr10Hevc(file: string, seconds = 2): string {
  ffmpegSync([
    '-f',
    'lavfi',
    '-i',
    movingSource('160x120', 24),
    '-t',
    String(seconds),
    '-pix_fmt',
    'yuv420p10le',
    '-color_primaries',
    'bt2020',
    '-color_trc',
    'smpte2084',
    '-colorspace',
    'bt2020nc',
    '-color_range',
    'tv',
    '-c:v',
    'libx265',
    '-preset',
    'ultrafast',
    '-x265-params',
    `log-level=error:keyint=24:min-keyint=24:hdr10=1:repeat-headers=1:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc:master-display=${HDR10_MASTER}:max-cll=1000,400`,
    file,
  ]);
  return file;
}

/** Odd dimensions and 4:4:4 chroma (H.264 High 4:4:4 allows both). */
export function oddDimensions444(file: string, seconds = 2): string {
  // testsrc2 rounds its size to even numbers; the scale makes it odd.
  ffmpegSync([
    '-f',
    'lavfi',
    '-i',
    `${movingSource('160x120', 24)},scale=161:121`,
    '-t',
    String(seconds),
    '-pix_fmt',
    'yuv444p',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-g',
    '24',
    file,
  ]);
  return file;
}

function fontFile(dir: string): string {
  for (const candidate of ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/dejavu/DejaVuSans.ttf']) {
    if (existsSync(candidate)) return candidate;
  }
  // No system font: a stand-in file with a font's name and MIME type (the muxers never parse it).
  const fake = path.join(dir, 'StandIn.ttf');
  writeFileSync(fake, Buffer.from('00010000000000000000', 'hex'));
  return fake;
}

/**
 * MKV with video, two audio tracks (different languages, titles and channel counts), SRT
 * subtitles, two chapters, a font attachment and global metadata.
 */
export function richMkv(file: string, seconds = 3): string {
  const dir = path.dirname(file);
  const srt = path.join(dir, 'subs.srt');
  writeFileSync(srt, '1\n00:00:00,200 --> 00:00:01,000\nHello\n\n2\n00:00:01,500 --> 00:00:02,500\nWorld\n');
  const chapters = path.join(dir, 'chapters.txt');
  writeFileSync(
    chapters,
    `;FFMETADATA1\ntitle=Rich sample\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\ntitle=Opening\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=1500\nEND=${seconds * 1000}\ntitle=Ending\n`,
  );
  ffmpegSync([
    '-f',
    'lavfi',
    '-i',
    movingSource('160x120', 24),
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=660:sample_rate=48000',
    '-i',
    srt,
    '-i',
    chapters,
    '-attach',
    fontFile(dir),
    '-metadata:s:t:0',
    'mimetype=application/x-truetype-font',
    '-map',
    '0:v',
    '-map',
    '1:a',
    '-map',
    '2:a',
    '-map',
    '3:s',
    '-map_metadata',
    '4',
    '-map_chapters',
    '4',
    '-t',
    String(seconds),
    '-pix_fmt',
    'yuv420p',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-g',
    '24',
    '-c:a:0',
    'aac',
    '-ac:a:0',
    '2',
    '-c:a:1',
    'libopus',
    '-ac:a:1',
    '1',
    '-c:s',
    'srt',
    '-metadata:s:a:0',
    'language=eng',
    '-metadata:s:a:0',
    'title=English stereo',
    '-metadata:s:a:1',
    'language=fra',
    '-metadata:s:a:1',
    'title=Français mono',
    '-metadata:s:s:0',
    'language=deu',
    '-metadata:s:s:0',
    'title=Deutsch',
    '-disposition:a:1',
    '0',
    '-disposition:s:0',
    'forced',
    file,
  ]);
  return file;
}

/** A hostile but legal file name: quotes, spaces, $, ;, backslash-free non-ASCII. */
export const HOSTILE_NAME = `it's a "test" $HOME; ünïcode 名前 & (1).mkv`;

/**
 * Per-frame PSNR (dB) of `output` against `source`, frames paired by their index (timestamps are
 * replaced by the frame number on both sides): a missing, extra or shifted frame anywhere makes
 * every later pair compare neighbouring pictures. Timestamps are checked separately (videoPts).
 */
export function perFramePsnr(
  output: string,
  source: string,
  statsFile: string,
  options: { crop?: string; pixelFormat?: string } = {},
): number[] {
  const format = options.pixelFormat ?? 'yuv420p10le';
  const crop = options.crop ? `,crop=${options.crop}:0:0` : '';
  execFileSync(
    'ffmpeg',
    [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      output,
      '-i',
      source,
      '-lavfi',
      `[0:v]settb=1/1000,setpts=N*40,format=${format}[a];[1:v]settb=1/1000,setpts=N*40${crop},format=${format}[b];[a][b]psnr=stats_file=${statsFile}`,
      '-f',
      'null',
      '-',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return readFileSync(statsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const match = /psnr_y:(inf|[\d.]+)/.exec(line);
      return match ? (match[1] === 'inf' ? 100 : Number(match[1])) : NaN;
    });
}

/** Presentation timestamps (seconds, sorted) of the first video stream's packets. */
export function videoPts(file: string): number[] {
  const out = execFileSync(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file],
    { encoding: 'utf8' },
  );
  return out
    .split('\n')
    .map((l) => l.split(',')[0]!.trim())
    .filter((l) => l && l !== 'N/A')
    .map(Number)
    .sort((a, b) => a - b);
}
