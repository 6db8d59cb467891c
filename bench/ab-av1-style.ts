import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { EncodeOptionsInput } from '../common/options';
import { ffmpegSync } from '../test/helpers/clips';
import { planSamples, sampleSelectExpression } from '../server/src/crf/samples';
import { timedEncode } from './timed-encode';
import { takeToolCpu, type ToolWrappers } from './cpu-accounting';

/**
 * ab-av1's answer through our own engine: its samples (max(5, duration / 12 min) of min(20 s, half
 * the clip / samples), spread evenly) cut into one lossless file, our search run on that file as
 * one full-pass segment (mean pool: the samples' mean reaches T), then one plain ffmpeg SVT-AV1
 * encode of the whole file at that CRF, unverified as ab-av1 does. Timed from the sample cut to the output.
 */
export async function abAv1StyleRun(
  wrappers: ToolWrappers,
  common: EncodeOptionsInput,
  input: string,
  dir: string,
  target: number,
  fps: number,
  encodeSettings: PlainEncodeSettings,
) {
  const started = performance.now();
  const duration = durationOf(input);
  const samples = Math.max(5, Math.round(duration / 720));
  const sampleSeconds = Math.min(20, Math.max(1, duration / 2 / samples));
  const plan = planSamples({ segmentFrames: Math.round(duration * fps), frameRate: fps, samples, sampleSeconds, fullPassShare: 1.01 });
  const sampleFile = path.join(dir, 'ab-samples.mkv');
  ffmpegSync([
    '-i',
    `file:${input}`,
    '-vf',
    `select='${sampleSelectExpression(plan.ranges)}',setpts=N/(${fps}*TB)`,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-qp',
    '0',
    '-g',
    String(fps),
    `file:${sampleFile}`,
  ]);
  // One segment over the whole sample file (not the film: the catalogue caps a segment at 600 s).
  const whole = Math.ceil(durationOf(sampleFile)) + 1;
  const search = await timedEncode(wrappers, {
    ...common,
    input: sampleFile,
    output: path.join(dir, 'ab-search.mkv'),
    workDir: path.join(dir, 'work-ab-search'),
    targetVmaf: target,
    vmafPool: 'mean',
    segmentSeconds: whole,
    // One full pass over the sample file: --sample-duration stops at 60 s, so several that cover it.
    samples: Math.ceil(whole / 60),
    sampleSeconds: Math.min(60, whole),
  });
  const crf = search.done.segments[0]!.crf!;
  const output = path.join(dir, `ab-crf${crf}.mkv`);
  const final = plainSvtEncode(wrappers, { ...encodeSettings, input, output, crf });
  return {
    samples,
    sampleSeconds,
    crf,
    seconds: (performance.now() - started) / 1000,
    bytes: statSync(output).size,
    cpuSeconds: Math.round((search.cpu.all + final.cpuSeconds) * 100) / 100,
    searchProbes: search.probesPerSegment,
    output,
  };
}

export interface PlainEncodeSettings {
  preset: number;
  pixelFormat: string;
  /** Frames between keyframes (the product's --keyint-seconds x fps). */
  keyintFrames: number;
}

/** One plain `ffmpeg -c:v libsvtav1` encode of the whole file, as ab-av1 (or a user) runs it, through the timing wrapper. */
export function plainSvtEncode(wrappers: ToolWrappers, settings: PlainEncodeSettings & { input: string; output: string; crf: number }) {
  takeToolCpu(wrappers);
  const started = performance.now();
  execFileSync(wrappers.ffmpeg, [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-i',
    `file:${settings.input}`,
    '-map',
    '0:v:0',
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
    `file:${settings.output}`,
  ]);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: takeToolCpu(wrappers).total };
}

function durationOf(file: string): number {
  return Number(
    execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', `file:${file}`])
      .toString()
      .trim(),
  );
}
