/**
 * How every ffmpeg we start begins, written once: no stdin (a job in the background must never
 * stop on a terminal read, and a stray `q` must not end an encode), no banner, no progress lines,
 * only the log level the caller reads. `overwrite` adds -y for commands that write a file: every
 * file we write is a name of ours (a temporary name, renamed once ffmpeg succeeded), never the
 * user's output, which placeOutput (workdir/output-target.ts) guards.
 */
export function ffmpegPreamble(options: { loglevel?: 'error' | 'info'; overwrite?: boolean } = {}): string[] {
  const args = ['-nostdin', '-hide_banner', '-loglevel', options.loglevel ?? 'error', '-nostats'];
  if (options.overwrite) args.push('-y');
  return args;
}
