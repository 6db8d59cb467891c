/**
 * Which video stream of an input is "the video": the one ffmpeg itself would pick by default
 * (the largest picture), among the streams that are real video. Pure: decided from ffprobe's
 * stream facts, unit-tested on literals.
 *
 * Never chosen while a real video exists: an attached picture (a cover) or a one-frame still (an
 * MJPEG/PNG poster stored as a plain video track, which ffmpeg's own choice by area alone would
 * also skip when it is smaller, but not when a large poster sits beside a small video).
 */

/** The stream facts the choice reads (a subset of ffprobe's `-show_streams`). */
export interface VideoStreamFacts {
  index: number;
  codec_type?: string;
  width?: number;
  height?: number;
  nb_frames?: string;
  duration?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  tags?: Record<string, string>;
  disposition?: Record<string, number>;
}

export interface MainVideoChoice {
  index: number;
  /** Why: one phrase for the log, set only when the input has more than one video stream. */
  reason?: string;
  /** The other video streams that are stills (one frame): carried as they are, never encoded. */
  stills: number[];
}

/** Seconds from `12.5` or Matroska's `HH:MM:SS.fraction`, or undefined. */
function durationOf(text: string | undefined): number | undefined {
  if (!text || text === 'N/A') return undefined;
  const hms = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text);
  const value = hms ? Number(hms[1]) * 3600 + Number(hms[2]) * 60 + Number(hms[3]) : Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function rateOf(text: string | undefined): number | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text ?? '');
  if (!m || Number(m[2]) === 0 || Number(m[1]) === 0) return undefined;
  return Number(m[1]) / Number(m[2]);
}

/**
 * A stream that holds one picture: ffprobe counts one frame, or the stream lasts no longer than
 * two frames at its own rate, or (rate unknown) under 0.1 s.
 */
export function isStill(stream: VideoStreamFacts): boolean {
  if (stream.nb_frames !== undefined && Number(stream.nb_frames) === 1) return true;
  const seconds = durationOf(stream.duration) ?? durationOf(stream.tags?.DURATION);
  if (seconds === undefined) return false;
  const rate = rateOf(stream.avg_frame_rate) ?? rateOf(stream.r_frame_rate);
  return rate !== undefined && rate < 1000 ? seconds * rate < 2 : seconds < 0.1;
}

/** The main video stream, or undefined when the input has no video that is not a cover. */
export function chooseMainVideo(streams: readonly VideoStreamFacts[]): MainVideoChoice | undefined {
  const videos = streams.filter((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!videos.length) return undefined;
  const moving = videos.filter((s) => !isStill(s));
  const candidates = moving.length ? moving : videos;
  const area = (s: VideoStreamFacts) => (s.width ?? 0) * (s.height ?? 0);
  // The largest picture; on a tie the first, as ffmpeg does.
  const chosen = candidates.reduce((best, s) => (area(s) > area(best) ? s : best));
  const stills = videos.filter((s) => s !== chosen && isStill(s)).map((s) => s.index);
  if (videos.length === 1) return { index: chosen.index, stills };
  const size = `${chosen.width ?? '?'}x${chosen.height ?? '?'}`;
  const skipped = stills.length
    ? `; stream${stills.length > 1 ? 's' : ''} ${stills.join(', ')} ${stills.length > 1 ? 'are' : 'is a'} one-frame still${stills.length > 1 ? 's' : ''}, carried as-is`
    : '';
  return {
    index: chosen.index,
    reason: `video stream ${chosen.index} (${size}) is encoded, the largest of ${videos.length} video streams${skipped}`,
    stills,
  };
}
