import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The number of frames a decode counted, from ffmpeg's -progress report (key=value lines, one
 * block per report, the last one ending `progress=end`): the last block's `frame=`, the first
 * video output's count. Undefined unless the report was finished (ffmpeg did not get to its end).
 */
export function decodedFramesOfProgress(report: string): number | undefined {
  const end = report.lastIndexOf('progress=end');
  if (end < 0) return undefined;
  const block = report.slice(report.lastIndexOf('progress=continue', end) + 1, end);
  const frames = [...block.matchAll(/^frame=(\d+)\s*$/gm)].pop()?.[1];
  return frames === undefined ? undefined : Number(frames);
}

/**
 * A file of ours that an ffmpeg writes its -progress report to through its fd 3
 * (`scoredLumaDecodeArgs`). It is unlinked as soon as it is open, so nothing is left behind
 * however the measurement ends and only our descriptor (handed to the child) reaches it.
 */
export class ProgressFile {
  readonly fd: number;

  constructor() {
    const dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-vmaf-progress-'));
    const file = path.join(dir, 'progress');
    try {
      this.fd = openSync(file, 'wx+', 0o600);
      unlinkSync(file);
    } finally {
      rmdirSync(dir);
    }
  }

  /** The frames the decode counted, once it has exited (see decodedFramesOfProgress). */
  decodedFrames(): number | undefined {
    const bytes = Buffer.alloc(fstatSync(this.fd).size);
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(this.fd, bytes, done, bytes.length - done, done);
      if (n === 0) break;
      done += n;
    }
    return decodedFramesOfProgress(bytes.subarray(0, done).toString('utf8'));
  }

  close(): void {
    closeSync(this.fd);
  }
}
