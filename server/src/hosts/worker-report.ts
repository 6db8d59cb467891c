import type { SegmentState } from '../../../common/events';

/**
 * What a remote segment worker tells this machine while it runs, one line each on its stdout,
 * which GNU parallel passes back over ssh as it comes (--line-buffer) with the job id in front
 * (--tag): the frames its encoder has made, its state, and that it is still alive. The frames move
 * the progress line and the tree during a remote encode; the lines together are the heartbeat a
 * hung worker stops sending (see hosts-runner.ts). Formatting and parsing are pure.
 */
const MARK = 'chunked-av1-worker';

/** How often a worker says it is alive when nothing else happens. */
export const HEARTBEAT_MS = 10_000;

export type WorkerReport =
  | { kind: 'frames'; frames: number }
  | { kind: 'state'; state: SegmentState; crf?: number }
  | { kind: 'alive' }
  /** The worker has written its result; what follows is GNU parallel bringing it back. */
  | { kind: 'end' };

const STATES: readonly SegmentState[] = ['searching', 'encoding', 'validating'];

export function formatWorkerReport(report: WorkerReport): string {
  switch (report.kind) {
    case 'frames':
      return `${MARK} frames ${report.frames}`;
    case 'state':
      return `${MARK} state ${report.state}${report.crf === undefined ? '' : ` ${report.crf}`}`;
    case 'alive':
      return `${MARK} alive`;
    case 'end':
      return `${MARK} end`;
  }
}

/** A worker's line as GNU parallel passes it (`JOBID<TAB>line`, or the line alone), or undefined. */
export function parseWorkerReport(line: string): WorkerReport | undefined {
  const text = line.slice(line.indexOf('\t') + 1);
  const words = text.trim().split(' ');
  if (words[0] !== MARK) return undefined;
  const number = (word: string | undefined) => (word !== undefined && /^\d+(\.\d+)?$/.test(word) ? Number(word) : undefined);
  switch (words[1]) {
    case 'frames': {
      const frames = number(words[2]);
      return frames === undefined || !Number.isInteger(frames) ? undefined : { kind: 'frames', frames };
    }
    case 'state': {
      const state = STATES.find((s) => s === words[2]);
      if (!state) return undefined;
      const crf = number(words[3]);
      return crf === undefined ? { kind: 'state', state } : { kind: 'state', state, crf };
    }
    case 'alive':
      return { kind: 'alive' };
    case 'end':
      return { kind: 'end' };
    default:
      return undefined;
  }
}
