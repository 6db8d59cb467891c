import { ffprobeInput } from '../sys';

/**
 * Every ffprobe argument list, written once. Pure: the callers run them. Each one opens its file
 * through ffprobeInput (absolute `file:` path, local files only, media demuxers only).
 */

/** Container, streams and chapters as JSON (parsed by media-info.ts). */
export function mediaInfoArgs(file: string): string[] {
  return ['-v', 'error', '-show_format', '-show_streams', '-show_chapters', '-of', 'json', ...ffprobeInput(file)];
}

/**
 * Colour properties and side data (HDR10 mastering metadata) of the first decodable frames of
 * one stream, reading at most `packets` packets.
 */
export function firstFramesArgs(file: string, streamIndex: number, packets: number): string[] {
  return [
    '-v',
    'quiet',
    '-select_streams',
    String(streamIndex),
    '-read_intervals',
    `%+#${packets}`,
    '-show_frames',
    '-show_entries',
    'frame=color_primaries,color_transfer,color_space,color_range:frame_side_data',
    '-of',
    'json',
    ...ffprobeInput(file),
  ];
}

/** Pixel format and side data of the first frame of the first video stream (final-output check). */
export function firstFrameFormatArgs(file: string): string[] {
  return [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-read_intervals',
    '%+#1',
    '-show_frames',
    '-show_entries',
    'frame=pix_fmt:frame_side_data',
    '-of',
    'json',
    ...ffprobeInput(file),
  ];
}

/**
 * One line per packet (`pts,dts,duration,flags`) of a video stream, no decoding (frames.ts parses
 * them). `stream` is an index or a specifier such as `v:0`.
 */
export function packetListArgs(file: string, stream: number | string = 'v:0'): string[] {
  return [
    '-v',
    'error',
    '-select_streams',
    String(stream),
    '-show_entries',
    'packet=pts_time,dts_time,duration_time,flags',
    '-of',
    'csv=p=0',
    ...ffprobeInput(file),
  ];
}

/**
 * One line per packet of every stream (`stream_index,pts,dts,duration,size,flags`, ffprobe's own
 * field order), no decoding: the video's frame timeline and each stream's bytes from one read of
 * the file (frames.ts parseStreamPacketLines).
 */
export function timelinePacketArgs(file: string): string[] {
  return [
    '-v',
    'error',
    '-show_entries',
    'packet=stream_index,pts_time,dts_time,duration_time,size,flags',
    '-of',
    'csv=p=0',
    ...ffprobeInput(file),
  ];
}

/** One line per decoded frame, for streams whose packets carry no timestamps. */
export function frameListArgs(file: string, streamIndex: number): string[] {
  return [
    '-v',
    'error',
    '-select_streams',
    String(streamIndex),
    '-show_entries',
    'frame=key_frame,best_effort_timestamp_time,pkt_duration_time',
    '-of',
    'csv=p=0',
    ...ffprobeInput(file),
  ];
}

/**
 * A segment's facts after encoding, counting decoded frames. One decoder thread: a worker
 * validates while the other workers encode, and libdav1d's frame threads cost 40 % more CPU for
 * the same frames for almost no gain in wall time (96 frames of 1080p 10-bit, quiet 2-core
 * machine: 1.81 CPU s in 1.20 s against 1.30 in 1.31 s).
 */
export function decodedSegmentArgs(file: string): string[] {
  return [
    '-v',
    'error',
    '-threads',
    '1',
    '-count_frames',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=index,codec_name,width,height,pix_fmt,color_primaries,color_transfer,color_space,color_range,nb_read_frames,duration:stream_tags=DURATION:format=duration,format_name',
    '-of',
    'json',
    ...ffprobeInput(file),
  ];
}

/** The video packets (= frames) of a stream (by index; default the first video stream), counted without decoding. */
export function countFramesArgs(file: string, stream: number | 'v:0' = 'v:0'): string[] {
  return [
    '-v',
    'error',
    '-select_streams',
    String(stream),
    '-count_packets',
    '-show_entries',
    'stream=nb_read_packets',
    '-of',
    'csv=p=0',
    ...ffprobeInput(file),
  ];
}

/**
 * A VMAF/metric input's video streams, whole (size, pixel format, and the frame count, duration,
 * rates and disposition main-video.ts chooses the main video by), as JSON.
 */
export function videoStreamArgs(file: string): string[] {
  return ['-v', 'error', '-of', 'json', '-select_streams', 'v', '-show_streams', ...ffprobeInput(file)];
}
