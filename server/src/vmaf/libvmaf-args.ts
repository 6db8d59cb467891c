import type { ModelChoice } from './models';

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
  return `path=${escapeLevel(model.path, "'=:")}`;
}

export interface LibvmafArgsOptions {
  reference: string;
  distorted: string;
  /** libvmaf 2+: a built-in version or a JSON file. libvmaf 1.x: the path of a `.pkl` model. */
  model: ModelChoice | { kind: 'legacy-pickle'; path: string };
  subsample: number;
  threads: number;
  logPath: string;
}

export function libvmafArgs(options: LibvmafArgsOptions): string[] {
  const model = options.model;
  const filterOptions = [
    model.kind === 'legacy-pickle'
      ? `model_path=${escapeFilterOptionValue(model.path)}`
      : `model=${escapeFilterOptionValue(libvmafModelOption(model))}`,
    `n_subsample=${Math.max(1, Math.floor(options.subsample))}`,
    `n_threads=${Math.max(1, Math.floor(options.threads))}`,
    'log_fmt=json',
    `log_path=${escapeFilterOptionValue(options.logPath)}`,
  ].join(':');
  const graph = `[0:v:0]setpts=PTS-STARTPTS[dis];[1:v:0]setpts=PTS-STARTPTS[ref];[dis][ref]libvmaf=${filterOptions}`;
  return [
    '-nostdin', '-hide_banner', '-loglevel', 'error',
    '-i', options.distorted,
    '-i', options.reference,
    '-filter_complex', graph,
    '-f', 'null', '-',
  ];
}

/** ffprobe arguments counting the video packets (= frames) of the first video stream, without decoding. */
export function countFramesArgs(input: string): string[] {
  return ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', input];
}
