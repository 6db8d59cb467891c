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

export function ffprobeJson(file: string, args: string[]): any {
  const out = execFileSync('ffprobe', ['-v', 'error', '-of', 'json', ...args, file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out);
}

/** A temp directory removed by the returned cleanup (skipped when KEEP_TEST_DIRS is set). */
export function tempDir(prefix = 'chunked-av1-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => { if (!process.env.KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true }); } };
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
  return Number(data.streams[0].nb_read_frames);
}

export function countFrames(file: string): number {
  const data = ffprobeJson(file, ['-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=nb_read_packets']);
  return Number(data.streams[0].nb_read_packets);
}
