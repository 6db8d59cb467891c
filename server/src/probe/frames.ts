import { TimestampFaultFinder, type TimestampFault } from './timestamp-fault';

/**
 * The source's frame timeline: every frame's presentation timestamp (seconds, source clock) and
 * whether it is a keyframe, in display order. Built from packet flags (`ffprobe -show_packets`,
 * no decoding); decoded frames (`-show_frames`) are the fallback for streams whose packets carry
 * no timestamps. Pure parsing here; keyframes.ts runs ffprobe.
 */
export interface FrameTimeline {
  /** Presentation time of each frame in display order, seconds on the source's clock. */
  pts: number[];
  /** Indices (into pts) of frames whose packet is flagged as a keyframe. */
  keyframes: number[];
  /** Duration of the last frame (its packet duration, else the nominal frame interval). */
  lastFrameSeconds: number;
  /** True when frame intervals vary by more than 1 % of the typical interval. */
  variableFrameRate: boolean;
  /**
   * The stream starts with packets flagged discard holding a keyframe (an MP4/MOV edit list that
   * starts mid-GOP): the first shown frames decode from them, so a segment copy must keep them
   * and their timestamps before zero, which only a MOV copy can (segment/segment.ts).
   */
  discardedLeadIn?: boolean;
}

export interface RawFrame {
  pts: number;
  key: boolean;
  duration?: number;
}

function toNumber(text: string | undefined): number | undefined {
  if (text === undefined || text === '' || text === 'N/A') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Lines of `ffprobe -show_entries packet=pts_time,dts_time,duration_time,flags -of csv=p=0`.
 * Packets flagged D (to be discarded, e.g. before an MP4 edit list start) are not frames.
 * Returns undefined when some packet has no timestamp at all (caller falls back to frames).
 * `keepDiscarded` keeps them with pts -Infinity (decoded, never shown): a segment copy's check
 * needs to see the keyframe its lead-in starts with.
 */
export function parsePacketLines(text: string, { keepDiscarded = false } = {}): RawFrame[] | undefined {
  const frames: RawFrame[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const [ptsText, , durationText, flags = ''] = trimmed.split(',');
    if (flags.includes('D') && !keepDiscarded) continue;
    const pts = flags.includes('D') ? -Infinity : toNumber(ptsText);
    if (pts === undefined) return undefined;
    frames.push({ pts, key: flags.includes('K'), duration: toNumber(durationText) });
  }
  return frames;
}

export interface StreamPackets {
  /** The video stream's frames, as parsePacketLines gives them (undefined: some had no timestamp). */
  frames: RawFrame[] | undefined;
  /** A discard-flagged keyframe of the video came before its first kept frame (see FrameTimeline). */
  discardedLeadIn: boolean;
  /** Bytes of every stream's packets, by stream index (what the mux will copy, measured). */
  bytesByStream: Map<number, number>;
  /** The first decode time that goes back or shown time that repeats (timestamp-fault.ts). */
  timestampFault?: TimestampFault;
}

/**
 * Lines of `ffprobe -show_entries packet=stream_index,pts_time,dts_time,duration_time,size,flags
 * -of csv=p=0` over every stream: the video stream's frames and each stream's packet bytes.
 */
export function parseStreamPacketLines(text: string, videoIndex: number): StreamPackets {
  const bytesByStream = new Map<number, number>();
  let frames: RawFrame[] | undefined = [];
  let discardedLeadIn = false;
  const faults = new TimestampFaultFinder();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const [indexText, ptsText, dtsText, durationText, sizeText, flags = ''] = trimmed.split(',');
    const index = toNumber(indexText);
    if (index === undefined) continue;
    bytesByStream.set(index, (bytesByStream.get(index) ?? 0) + (toNumber(sizeText) ?? 0));
    if (index !== videoIndex || !frames) continue;
    if (flags.includes('D')) {
      if (flags.includes('K') && !frames.length) discardedLeadIn = true;
      continue;
    }
    const pts = toNumber(ptsText);
    if (pts === undefined) frames = undefined;
    else {
      frames.push({ pts, key: flags.includes('K'), duration: toNumber(durationText) });
      faults.add(pts, toNumber(dtsText));
    }
  }
  const fault = frames ? faults.fault : undefined;
  return { frames, bytesByStream, discardedLeadIn, ...(fault ? { timestampFault: fault } : {}) };
}

/** Lines of `ffprobe -show_entries frame=best_effort_timestamp_time,duration_time,key_frame -of csv=p=0`. */
export function parseFrameLines(text: string): RawFrame[] {
  const frames: RawFrame[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    // ffprobe prints the fields in its own order (key_frame first), whatever the order asked.
    const [keyText, ptsText, durationText] = trimmed.split(',');
    const pts = toNumber(ptsText);
    if (pts === undefined) continue;
    frames.push({ pts, key: keyText === '1', duration: toNumber(durationText) });
  }
  return frames;
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * `raw` is in decode (file) order. Frames displayed before the first keyframe cannot be decoded
 * (a capture that starts mid-GOP, or leading pictures of an open GOP at the very start): the
 * decoder drops them, so they are not part of the timeline either.
 */
export function buildTimeline(raw: RawFrame[], nominalFrameRate: number, { discardedLeadIn = false } = {}): FrameTimeline {
  // After a discarded keyframe (an edit list starting mid-GOP) every kept frame decodes.
  const firstKey = discardedLeadIn ? undefined : raw.find((f) => f.key);
  const decodable = firstKey ? raw.filter((f) => f.pts >= firstKey.pts) : raw;
  const sorted = [...decodable].sort((a, b) => a.pts - b.pts);
  // Two packets with one timestamp would be one displayed frame to the muxers; keep the first.
  const frames = sorted.filter((frame, i) => i === 0 || frame.pts > sorted[i - 1]!.pts);
  const pts = frames.map((f) => f.pts);
  const keyframes = frames.flatMap((f, i) => (f.key ? [i] : []));
  const intervals = pts.slice(1).map((p, i) => p - pts[i]!);
  const typical = median(intervals) || (nominalFrameRate > 0 ? 1 / nominalFrameRate : 1 / 25);
  const variableFrameRate = intervals.some((d) => Math.abs(d - typical) > Math.max(0.01 * typical, 0.0011));
  const last = frames[frames.length - 1];
  const lastFrameSeconds = last?.duration && last.duration > 0 ? last.duration : typical;
  return { pts, keyframes, lastFrameSeconds, variableFrameRate, ...(discardedLeadIn ? { discardedLeadIn } : {}) };
}

/** Index of the frame whose presentation time (`pts`, ascending) is nearest `seconds`; a tie goes to the earlier frame. */
export function nearestFrame(pts: number[], seconds: number): number {
  let lo = 0;
  let hi = pts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pts[mid]! < seconds) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && seconds - pts[lo - 1]! <= pts[lo]! - seconds ? lo - 1 : lo;
}
