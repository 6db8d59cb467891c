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
}
export interface RawFrame {
    pts: number;
    key: boolean;
    duration?: number;
}
/**
 * Lines of `ffprobe -show_entries packet=pts_time,dts_time,duration_time,flags -of csv=p=0`.
 * Packets flagged D (to be discarded, e.g. before an MP4 edit list start) are not frames.
 * Returns undefined when some packet has no timestamp at all (caller falls back to frames).
 */
export declare function parsePacketLines(text: string): RawFrame[] | undefined;
/** Lines of `ffprobe -show_entries frame=best_effort_timestamp_time,duration_time,key_frame -of csv=p=0`. */
export declare function parseFrameLines(text: string): RawFrame[];
/**
 * `raw` is in decode (file) order. Frames displayed before the first keyframe cannot be decoded
 * (a capture that starts mid-GOP, or leading pictures of an open GOP at the very start): the
 * decoder drops them, so they are not part of the timeline either.
 */
export declare function buildTimeline(raw: RawFrame[], nominalFrameRate: number): FrameTimeline;
