import { mkdtemp, readFile, rmdir, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * The peak resident set of an ffmpeg run, as the kernel counted it. Polling /proc/PID/status can
 * catch the pid before the wrappers (setpriv, taskset) exec ffmpeg, and a short encode can end
 * before the next poll, so a polled figure can be the wrapper's 2.6 MB. Instead ffmpeg reports
 * its own getrusage() ru_maxrss at exit (`-benchmark` prints `bench: maxrss=NkB`). That line is
 * logged at info level, which our `-loglevel error` hides, so it is read from ffmpeg's report
 * file (FFREPORT, level 32) written to a private temporary folder. ffmpeg prints the line only
 * when it succeeds; otherwise the peak is unknown and is omitted.
 */

/** `bench: maxrss=NkB` from ffmpeg's log, in bytes. */
export function parseBenchMaxRss(log: string): number | undefined {
  const match = /^bench: maxrss=(\d+)\s*kB/m.exec(log);
  return match && Number(match[1]) > 0 ? Number(match[1]) * 1024 : undefined;
}

/**
 * FFREPORT's value for a report at `file`, at info level. The value is a `:`-separated key=value
 * list read with av_get_token (backslash escapes any byte), and `%` in the file name is a
 * template character (`%%` is a literal one).
 */
export function ffreportValue(file: string): string {
  const escaped = file.replace(/%/g, '%%').replace(/[\\':\s]/g, (c) => `\\${c}`);
  return `file=${escaped}:level=32`;
}

export class FfmpegPeakRss {
  private constructor(
    private readonly dir: string,
    private readonly file: string,
  ) {}

  /** A report location of our own; undefined when no temporary folder can be made (the peak is then unknown). */
  static async create(): Promise<FfmpegPeakRss | undefined> {
    try {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'chunked-av1-rss-'));
      return new FfmpegPeakRss(dir, path.join(dir, 'ffmpeg-report.log'));
    } catch {
      return undefined;
    }
  }

  /** Global option to add to the ffmpeg command line. */
  readonly args: readonly string[] = ['-benchmark'];

  /** Environment for the ffmpeg process. */
  get env(): Record<string, string> {
    return { FFREPORT: ffreportValue(this.file) };
  }

  /** The peak in bytes, or undefined when ffmpeg did not report it. */
  async read(): Promise<number | undefined> {
    try {
      return parseBenchMaxRss(await readFile(this.file, 'utf8'));
    } catch {
      return undefined;
    }
  }

  /** Removes the report and the folder we made for it (by name; the folder only when empty). */
  async dispose(): Promise<void> {
    await unlink(this.file).catch(() => undefined);
    await rmdir(this.dir).catch(() => undefined);
  }
}
