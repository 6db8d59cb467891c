import path from 'node:path';
import type { ModelChoice } from './models';
import { ffmpegInput, ffmpegPreamble } from '../sys';
import { formatFilter } from './inputs';

/**
 * Arguments for ffmpeg's libvmaf filter (pure; the runner is libvmaf.ts). The distorted video is
 * the filter's first input and the reference its second, both with timestamps reset so frames
 * pair from the first one. Per-frame scores go to a JSON log we pool ourselves.
 */

/** Backslash-escapes the characters special at one level of ffmpeg's option/graph syntax. */
export function escapeLevel(value: string, specials: string): string {
  let out = '';
  for (const ch of value) out += specials.includes(ch) || ch === '\\' ? `\\${ch}` : ch;
  return out;
}

/** A value inside a filter option, itself inside a filter graph. */
export function escapeFilterOptionValue(value: string): string {
  return escapeLevel(escapeLevel(value, "':"), "'[],;");
}

export function libvmafModelOption(model: ModelChoice): string {
  if (model.kind === 'builtin') return `version=${model.name === '4k' ? 'vmaf_4k_v0.6.1' : 'vmaf_v0.6.1'}`;
  // The model option is parsed once more by libvmaf's dictionary parser (key=value:key=value).
  // libvmaf opens the model with fopen (no ffmpeg protocol): absolute, so no cwd changes it.
  return `path=${escapeLevel(path.resolve(model.path), "'=:")}`;
}

export interface LibvmafArgsOptions {
  reference: string;
  distorted: string;
  /** libvmaf 2+: a built-in version or a JSON file. libvmaf 1.x: the path of a `.pkl` model. */
  model: ModelChoice | { kind: 'legacy-pickle'; path: string };
  subsample: number;
  threads: number;
  logPath: string;
  /** Converts the reference into this pixel format first, through ffmpeg's format filter (the VMAF convention, inputs.ts). */
  referencePixelFormat?: string;
  /** Each input's stream index (VmafInput.stream); absent: its first video stream. */
  referenceStream?: number;
  distortedStream?: number;
}

export function libvmafArgs(options: LibvmafArgsOptions): string[] {
  const model = options.model;
  const filterOptions = [
    model.kind === 'legacy-pickle'
      ? `model_path=${escapeFilterOptionValue(path.resolve(model.path))}`
      : `model=${escapeFilterOptionValue(libvmafModelOption(model))}`,
    `n_subsample=${Math.max(1, Math.floor(options.subsample))}`,
    `n_threads=${Math.max(1, Math.floor(options.threads))}`,
    'log_fmt=json',
    `log_path=${escapeFilterOptionValue(path.resolve(options.logPath))}`,
  ].join(':');
  const convert = options.referencePixelFormat ? `${formatFilter(options.referencePixelFormat)},` : '';
  const pad = (input: number, stream: number | undefined) => `[${input}:${stream ?? 'v:0'}]`;
  const graph = `${pad(0, options.distortedStream)}setpts=PTS-STARTPTS[dis];${pad(1, options.referenceStream)}${convert}setpts=PTS-STARTPTS[ref];[dis][ref]libvmaf=${filterOptions}`;
  return [
    ...ffmpegPreamble(),
    ...ffmpegInput(options.distorted),
    ...ffmpegInput(options.reference),
    '-filter_complex',
    graph,
    '-f',
    'null',
    '-',
  ];
}
