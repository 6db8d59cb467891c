/**
 * Which input containers are accepted, and the one line a refused one gets. Pure. ffmpeg itself
 * enforces the allow-list (`-format_whitelist`, see sys/media-paths.ts) before a demuxer reads
 * anything, so a playlist is refused before it can open the files it names; this module only
 * reads which demuxer ffmpeg detected from the line it refuses it with.
 */

export const ACCEPTED_CONTAINERS = 'Matroska/WebM, MP4/MOV, MPEG-TS/M2TS, MPEG-PS, AVI, FLV, IVF, raw H.264/HEVC/AV1 or y4m';

/** Demuxers users meet that open further files or are not a video container, by what they are. */
const KNOWN_REFUSALS: Record<string, string> = {
  hls: 'an HLS playlist, which opens the files it lists',
  applehttp: 'an HLS playlist, which opens the files it lists',
  dash: 'a DASH manifest, which opens the files it lists',
  concat: 'a concat list, which opens the files it lists',
  image2: 'an image sequence, which opens every file its name pattern matches',
  tee: 'a tee list, which opens further files',
  sdp: 'an SDP session description, which opens network streams',
  rtsp: 'an RTSP session, which opens network streams',
};

/**
 * The demuxer ffmpeg refused for not being on the allow-list, from its stderr
 * (`[hls @ 0x55d…] Format not on whitelist '…'`; ffmpeg 4.1 writes `[hls,applehttp @ …]`).
 */
export function refusedDemuxer(stderrLines: readonly string[]): string | undefined {
  for (const line of stderrLines) {
    const match = /^\[([\w,.-]+) @ (?:0x)?[0-9a-f]+\] Format not on whitelist/.exec(line.trim());
    if (match) return match[1]!;
  }
  return undefined;
}

/** The refusal, after the file name: names the detected format and what is accepted. */
export function refusedContainerMessage(demuxer: string): string {
  const primary = demuxer.split(',')[0]!;
  const what =
    KNOWN_REFUSALS[primary] ??
    (primary.endsWith('_pipe') || primary.startsWith('image') ? 'an image, not a video container' : 'not an accepted video container');
  return `detected format "${primary}" (${what}) is refused; accepted containers: ${ACCEPTED_CONTAINERS}`;
}
