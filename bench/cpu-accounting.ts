import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * CPU seconds per kind of work for bench/target-quality. The product starts every ffmpeg and
 * ffprobe through one configurable path (--ffmpeg/--ffprobe), so the bench points them at a small
 * wrapper that runs the real tool and appends its user+sys CPU (bash `times`, the waited-for
 * child's rusage: all of ffmpeg's threads) and its argument list to a log. Wall times are noisy
 * on a shared machine; these are not. The Node process's own CPU (VMAF features in worker
 * threads, JavaScript) comes from process.resourceUsage().
 */

export interface ToolWrappers {
  ffmpeg: string;
  ffprobe: string;
  /** The wrapped --vmaf-ffmpeg, when one was given. */
  vmafFfmpeg?: string;
  log: string;
}

function wrapperScript(real: string, log: string): string {
  // `times` prints two lines: the shell's own times, then its waited-for children's.
  return `#!/bin/bash
start=$(date +%s.%N)
tmp=$(mktemp)
"${real}" "$@"
rc=$?
end=$(date +%s.%N)
times > "$tmp"
child=$(tail -n 1 "$tmp")
rm -f "$tmp"
printf '%s\\t%s\\t%s\\t%s\\t%s\\0' "$child" "$start" "$end" "$(basename "$0")" "$*" >> "${log}"
exit $rc
`;
}

export function installToolWrappers(dir: string, vmafFfmpeg?: string): ToolWrappers {
  const log = path.join(dir, 'tool-cpu.log');
  writeFileSync(log, '');
  const wrap = (name: string, real: string) => {
    const file = path.join(dir, `${name}-timed`);
    writeFileSync(file, wrapperScript(path.resolve(real), log));
    chmodSync(file, 0o755);
    return file;
  };
  return {
    ffmpeg: wrap('ffmpeg', '/usr/bin/ffmpeg'),
    ffprobe: wrap('ffprobe', '/usr/bin/ffprobe'),
    ...(vmafFfmpeg ? { vmafFfmpeg: wrap('vmaf-ffmpeg', vmafFfmpeg) } : {}),
    log,
  };
}

function bashSeconds(text: string): number {
  const match = /^(\d+)m([\d.]+)s$/.exec(text.trim());
  return match ? Number(match[1]) * 60 + Number(match[2]) : 0;
}

/** What a logged command was, from its arguments (the product's own file names and flags). */
export function categorise(args: string): string {
  const input = /-i (\S+)/.exec(args)?.[1] ?? '';
  if (!args.includes('-i ')) return 'tools (version, capabilities)';
  // The content fingerprint (crf/content-window.ts): one run cuts the window and encodes it tiny.
  if (args.includes('window-encode.mkv')) return 'content window (cut + tiny encode)';
  if (/window-(reference|encode)\.mkv/.test(input)) return 'VMAF decode: content window';
  if (args.includes('libsvtav1')) {
    if (input.endsWith('samples-reference.mkv')) return 'probe encode (samples)';
    if (/probe-crf[\d.]+\.mkv/.test(args)) return 'probe encode (full pass)';
    return 'final encode';
  }
  if (args.includes('-c:v ffvhuff') || args.includes('-c:v ffv1'))
    return args.includes('samples-reference.mkv') ? 'sample cut' : 'whole-segment reference cut';
  if (args.includes('rawvideo') && args.includes('pipe:1')) {
    if (/(samples|segment)-reference\.mkv/.test(input)) return 'VMAF decode: reference';
    // The segment copy decoded through the segment's filter (target-quality.ts, no lossless cut).
    if (args.includes('-copyts')) return 'VMAF decode: reference (segment copy, filtered)';
    if (/probe-crf/.test(input)) return 'VMAF decode: probe';
    return 'VMAF decode: final encode (verify)';
  }
  if (args.includes('-c copy')) return 'segment copy / mux';
  return 'other ffmpeg';
}

export interface ToolCpu {
  /** Category → CPU seconds (user + sys). */
  cpu: Record<string, number>;
  /** Category → number of processes. */
  count: Record<string, number>;
  total: number;
  /** SVT-AV1 runs per segment (probes, finals, retries), keyed by the segment number in their file names. */
  svtRunsBySegment: Record<number, number>;
}

/** The segment an ffmpeg run worked on: the product names every segment's files segment_NNN. */
function segmentOf(args: string): number | undefined {
  const match = /segment_(\d{3,})/.exec(args);
  return match ? Number(match[1]) : undefined;
}

/** Reads and empties the log: the CPU of every tool run since the last call. */
export function takeToolCpu(wrappers: ToolWrappers): ToolCpu {
  const text = existsSync(wrappers.log) ? readFileSync(wrappers.log, 'utf8') : '';
  writeFileSync(wrappers.log, '');
  const cpu: Record<string, number> = {};
  const count: Record<string, number> = {};
  const svtRunsBySegment: Record<number, number> = {};
  let total = 0;
  for (const record of text.split('\0')) {
    if (!record.trim()) continue;
    const [times = '', , , tool = '', args = ''] = record.split('\t');
    const [user = '', sys = ''] = times.trim().split(/\s+/);
    const seconds = bashSeconds(user) + bashSeconds(sys);
    const kind = tool.startsWith('ffprobe')
      ? 'ffprobe'
      : tool.startsWith('vmaf-ffmpeg') && args.includes('-i ')
        ? 'libvmaf (VMAF ffmpeg)'
        : categorise(args);
    // The content window's tiny encode is not one of the segment's encodes (its CPU is counted apart).
    const segment = args.includes('libsvtav1') && !args.includes('window-encode.mkv') ? segmentOf(args) : undefined;
    if (segment !== undefined) svtRunsBySegment[segment] = (svtRunsBySegment[segment] ?? 0) + 1;
    cpu[kind] = (cpu[kind] ?? 0) + seconds;
    count[kind] = (count[kind] ?? 0) + 1;
    total += seconds;
  }
  for (const key of Object.keys(cpu)) cpu[key] = Math.round(cpu[key]! * 100) / 100;
  return { cpu, count, total: Math.round(total * 100) / 100, svtRunsBySegment };
}

/** This process's own CPU seconds so far (all threads, so the VMAF feature workers too). */
export function ownCpuSeconds(): number {
  const usage = process.resourceUsage();
  return (usage.userCPUTime + usage.systemCPUTime) / 1e6;
}
