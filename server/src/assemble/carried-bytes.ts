import { opusBitrate, type MuxPlan } from './mux';

/**
 * What the streams the mux carries besides the encoded video add to the output: their bytes in
 * the source (packets counted while the frame timeline was read; an attachment is its codec
 * private data), or, for audio made Opus (--audio opus), its bitrate × the duration. Known
 * before any encode, so the size estimate adds them to the video's. Pure.
 */
export interface CarriedBytes {
  bytes: number;
  /** The kinds of stream counted, in a fixed order, for the progress line to name. */
  kinds: CarriedKind[];
}

export type CarriedKind = 'audio' | 'subtitles' | 'attachments';

const KIND_ORDER: readonly CarriedKind[] = ['audio', 'subtitles', 'attachments'];

/** "128k" → 128000 bits per second. */
function bitsPerSecond(rate: string): number {
  const match = /^(\d+(?:\.\d+)?)([kM]?)$/.exec(rate);
  if (!match) return 0;
  return Number(match[1]) * (match[2] === 'M' ? 1e6 : match[2] === 'k' ? 1e3 : 1);
}

export function carriedStreamBytes(
  plan: MuxPlan,
  bytesByStream: ReadonlyMap<number, number>,
  durationSeconds: number,
  audioMode: 'copy' | 'opus',
): CarriedBytes {
  let bytes = 0;
  const kinds = new Set<CarriedKind>();
  for (const stream of plan.streams) {
    if (stream.kind === 'audio') {
      kinds.add('audio');
      bytes +=
        audioMode === 'opus' ? (bitsPerSecond(opusBitrate(stream.channels)) * durationSeconds) / 8 : (bytesByStream.get(stream.index) ?? 0);
    } else if (stream.kind === 'attachment') {
      kinds.add('attachments');
      bytes += stream.extradataBytes ?? bytesByStream.get(stream.index) ?? 0;
    } else {
      // Subtitles (a converted one keeps about its size) and MP4 cover pictures mapped as streams.
      kinds.add(stream.kind === 'subtitle' ? 'subtitles' : 'attachments');
      bytes += bytesByStream.get(stream.index) ?? 0;
    }
  }
  // Matroska cover images: extracted from their one packet and attached.
  for (const cover of plan.covers) {
    kinds.add('attachments');
    bytes += bytesByStream.get(cover.stream.index) ?? 0;
  }
  return { bytes: Math.round(bytes), kinds: KIND_ORDER.filter((k) => kinds.has(k)) };
}
