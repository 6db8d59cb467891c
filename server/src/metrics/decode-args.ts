import { ffmpegInput, ffmpegPreamble, videoStreamOnly } from '../sys';

/**
 * ffmpeg arguments that decode a video's first video stream to raw frames on stdout, every
 * decoded frame in order (no frame-rate conversion), for the built-in SSIMULACRA2 and XPSNR.
 */

/**
 * R'G'B' for SSIMULACRA2, exactly as the reference corpus made it (../shared/metric-reference):
 * Y'CbCr read as BT.709 limited range, written as full-range R'G'B' by swscale with bicubic
 * chroma upsampling. The matrix must be the *input* matrix: `out_color_matrix` does nothing for
 * RGB output and silently gives BT.601.
 */
export function rgbFilter(bitDepth: number): string {
  return `scale=in_color_matrix=bt709:in_range=limited:out_range=full:flags=bicubic+accurate_rnd+bitexact+full_chroma_int,format=${rgbPixelFormat(bitDepth)}`;
}

/** Interleaved 8-bit RGB for 8-bit sources; 16-bit little-endian RGB above. */
export function rgbPixelFormat(bitDepth: number): 'rgb24' | 'rgb48le' {
  return bitDepth > 8 ? 'rgb48le' : 'rgb24';
}

/**
 * The planar Y'CbCr format XPSNR reads: the source's own when the filter takes it as is, else
 * 4:2:0 at 8 or 10 bits. Both inputs are decoded to the reference's format.
 */
export function planarYuvFormat(pixFmt: string, bitDepth: number): string {
  if (/^yuv(420|422|444)p(9|10|12|14|16)?(le)?$/.test(pixFmt) && (bitDepth <= 8 || pixFmt.endsWith('le'))) return pixFmt;
  if (/^yuvj(420|422|444)p$/.test(pixFmt)) return pixFmt.replace('yuvj', 'yuv');
  return bitDepth > 8 ? 'yuv420p10le' : 'yuv420p';
}

/** Chroma plane size of a planar format (4:2:0 rounds up, as ffmpeg does). */
export function chromaSize(pixFmt: string, width: number, height: number): { width: number; height: number } {
  if (pixFmt.startsWith('yuv444')) return { width, height };
  if (pixFmt.startsWith('yuv422')) return { width: Math.ceil(width / 2), height };
  return { width: Math.ceil(width / 2), height: Math.ceil(height / 2) };
}

/** `stream`: the input's stream index (MetricInput.stream); absent: its first video stream. */
export function rawDecodeArgs(input: string, filter: string, stream?: number): string[] {
  return [
    ...ffmpegPreamble(),
    '-threads',
    '1',
    ...ffmpegInput(input),
    ...videoStreamOnly(stream),
    '-vf',
    filter,
    '-fps_mode',
    'passthrough',
    '-f',
    'rawvideo',
    'pipe:1',
  ];
}
