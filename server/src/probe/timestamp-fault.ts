/**
 * Video timestamps that cannot be a frame timeline: a decode time that goes back (two recordings
 * joined end to end, `cat a.ts b.ts`) or two frames shown at one time. The timeline would hold
 * each time once while the decoder shows every packet, so every segment copy would hold more
 * frames than its range (issue 24: "holds 96 of the segment's 48 frames"). Found while the
 * packets are read (frames.ts); refused with one line that says what is wrong and whether a remux
 * would fix it. Pure.
 */
export type TimestampFault =
  /** Packet `packet` (1-based, video packets in file order) decodes before the one ahead of it. */
  | { kind: 'backwards'; packet: number; previousSeconds: number; seconds: number }
  /** Packet `packet` is shown at the time packet `firstPacket` already has. */
  | { kind: 'repeated'; packet: number; firstPacket: number; seconds: number };

/**
 * Finds the first fault while packets arrive in file order. Decode times that are unknown are
 * skipped; discarded packets (before an edit list's start) are never given.
 */
export class TimestampFaultFinder {
  private packets = 0;
  private lastDts: number | undefined;
  private readonly shownAt = new Map<number, number>();
  fault: TimestampFault | undefined;

  add(pts: number, dts: number | undefined): void {
    const packet = ++this.packets;
    if (this.fault) return;
    if (dts !== undefined && this.lastDts !== undefined && dts < this.lastDts) {
      this.fault = { kind: 'backwards', packet, previousSeconds: this.lastDts, seconds: dts };
      return;
    }
    if (dts !== undefined) this.lastDts = dts;
    const firstPacket = this.shownAt.get(pts);
    if (firstPacket !== undefined) this.fault = { kind: 'repeated', packet, firstPacket, seconds: pts };
    else this.shownAt.set(pts, packet);
  }
}

/**
 * ffmpeg reads a jump back of more than 0.1 s in an MPEG transport or program stream as a
 * discontinuity and shifts what follows, so a remux (`-c copy`) makes the timeline whole (measured:
 * two 2 s MPEG-TS clips joined with cat, 96 frames over 4 s after `ffmpeg -i joined.ts -c copy
 * fixed.mkv`). Every other container's timestamps are copied as they are.
 */
const DISCONTINUOUS_FORMATS = new Set(['mpegts', 'mpeg', 'mpegtsraw']);
const DISCONTINUITY_SECONDS = 0.1;

export function remuxFixes(fault: TimestampFault, formatName: string): boolean {
  return (
    fault.kind === 'backwards' &&
    fault.previousSeconds - fault.seconds > DISCONTINUITY_SECONDS &&
    formatName.split(',').some((name) => DISCONTINUOUS_FORMATS.has(name))
  );
}

const seconds = (value: number) => `${value.toFixed(3)} s`;

/** The cause, for a line that starts with the file's name. */
export function timestampFaultMessage(fault: TimestampFault, formatName: string): string {
  const what =
    fault.kind === 'backwards'
      ? `its video timestamps go back at packet ${fault.packet} (decode time ${seconds(fault.seconds)} after ${seconds(fault.previousSeconds)}), as in two recordings joined end to end`
      : `video packets ${fault.firstPacket} and ${fault.packet} have the same time (${seconds(fault.seconds)}), so its frames cannot be told apart by time`;
  const remedy = remuxFixes(fault, formatName)
    ? 'a remux fixes it (ffmpeg -i FILE -map 0 -c copy fixed.mkv: ffmpeg joins the parts of an MPEG stream whose timestamps jump), then encode fixed.mkv'
    : 'a remux (-c copy) keeps these timestamps and would not fix it: re-encode it with new ones (ffmpeg -i FILE -vf setpts=N/FRAME_RATE/TB …) or cut it where they go wrong';
  return `${what}; ${remedy}`;
}
