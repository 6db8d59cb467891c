import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Test clips are generated with ffmpeg's lavfi sources at run time; nothing binary is committed.
 * Every helper here uses an argument array.
 */
export function ffmpegSync(args: string[]): void {
  execFileSync('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** The parts of ffprobe's JSON the tests read. Every entry is optional: each call asks ffprobe for different ones. */
export interface ProbedStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  start_time?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  color_primaries?: string;
  color_transfer?: string;
  color_space?: string;
  channels?: number;
  nb_read_frames?: string;
  nb_read_packets?: string;
  tags?: Record<string, string>;
  disposition?: Record<string, number>;
}

/** One entry of a frame's side_data_list: its type plus fields that depend on it (strings such as "1000/1", or numbers). */
export interface ProbedSideData {
  side_data_type: string;
  [field: string]: string | number;
}

export interface ProbedJson {
  streams: ProbedStream[];
  frames?: { side_data_list?: ProbedSideData[] }[];
  chapters?: { tags?: Record<string, string> }[];
  format?: { format_name?: string; tags?: Record<string, string> };
}

export function ffprobeJson(file: string, args: string[]): ProbedJson {
  const out = execFileSync('ffprobe', ['-v', 'error', '-of', 'json', ...args, file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const parsed = JSON.parse(out) as Partial<ProbedJson>;
  return { ...parsed, streams: parsed.streams ?? [] };
}

/** A temp directory removed by the returned cleanup (skipped when KEEP_TEST_DIRS is set). */
export function tempDir(prefix = 'chunked-av1-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return {
    dir,
    cleanup: () => {
      if (!process.env.KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface BasicClipOptions {
  seconds?: number;
  size?: string;
  fps?: number;
  /** lavfi video source graph; defaults to testsrc2. */
  source?: string;
  codec?: 'libx264' | 'libx265' | 'ffv1' | 'mpeg4';
  gopFrames?: number;
  audio?: boolean;
}

/** A small H.264 (by default) clip with a fixed GOP, optionally with a stereo sine audio track. */
export function basicClip(file: string, options: BasicClipOptions = {}): string {
  const seconds = options.seconds ?? 6;
  const size = options.size ?? '320x240';
  const fps = options.fps ?? 24;
  const source = options.source ?? `testsrc2=s=${size}:r=${fps}`;
  const gop = options.gopFrames ?? fps * 2;
  const args = ['-f', 'lavfi', '-i', `${source},format=yuv420p`];
  if (options.audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000,aformat=channel_layouts=stereo`);
  args.push('-t', String(seconds), '-c:v', options.codec ?? 'libx264');
  if ((options.codec ?? 'libx264') === 'libx264') args.push('-preset', 'ultrafast', '-g', String(gop), '-keyint_min', String(gop));
  else args.push('-g', String(gop));
  if (options.audio) args.push('-c:a', 'aac', '-shortest');
  args.push(file);
  ffmpegSync(args);
  return file;
}

/** Frames a decoder actually outputs (slower than counting packets, but what a viewer gets). */
export function decodedFrameCount(file: string): number {
  const data = ffprobeJson(file, ['-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames']);
  return Number(data.streams[0]?.nb_read_frames);
}

export function countFrames(file: string): number {
  const data = ffprobeJson(file, ['-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=nb_read_packets']);
  return Number(data.streams[0]?.nb_read_packets);
}
