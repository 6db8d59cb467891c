import type { FrameTimeline } from '../probe/frames';
/**
 * The segment plan: where the source is cut. Pure (no I/O), unit-tested on literal timelines.
 *
 * Cuts prefer keyframes near each multiple of the segment length; when there is no keyframe
 * within half a segment length of the target, the cut falls on the frame nearest the target
 * (the worker decodes from the GOP's keyframe anyway, so any frame is a valid cut). Every
 * segment carries the timestamps its worker needs to keep exactly its frames, identified by
 * source timestamps rather than by position, so leading pictures of open GOPs and reordered
 * B-frames land in the right segment.
 */
export interface PlannedSegment {
    index: number;
    startFrame: number;
    frames: number;
    /** Presentation time of the first frame (source clock). */
    startSeconds: number;
    /** Presentation time of the next segment's first frame, or the end of the last frame. */
    endSeconds: number;
    /**
     * Where the stream copy starts: half a frame before the keyframe that opens this segment's GOP
     * (the last keyframe displayed at or before its first frame), so rounding of the printed
     * timestamp can never skip that keyframe; the copy's first packet is that keyframe.
     */
    seekSeconds: number;
    /** Where the stream copy may stop (decode order), past the leading pictures of the next GOP; undefined: to the end. */
    copyEndSeconds?: number;
    /** Frames with a timestamp in [keepFromSeconds, keepToSeconds) belong to this segment (midpoints between frames). */
    keepFromSeconds: number;
    keepToSeconds: number;
}
export interface SegmentPlan {
    segments: PlannedSegment[];
    frames: number;
    /** Source clock time of the first frame. */
    startSeconds: number;
    /** End of the last frame (source clock). */
    endSeconds: number;
    durationSeconds: number;
}
export interface PlanOptions {
    segmentSeconds: number;
    /** Extra time copied past a segment's end so the next GOP's leading pictures are included (seconds). */
    copyMarginSeconds?: number;
}
/** First frames of each segment after the first (frame indices, increasing). */
export declare function chooseCuts(timeline: FrameTimeline, segmentSeconds: number): number[];
/**
 * Where a copy that must start at the keyframe `keyIndex` (display order) starts: half way to the
 * frame displayed before it. ffmpeg's stream copy begins at the first keyframe at or after -ss,
 * so the midpoint is as good as the keyframe's own time and immune to its rounding.
 *
 * Decoding from the segment's own GOP keyframe is enough even for open GOPs: the pictures that
 * need the GOP before (HEVC RASL, H.264 open-GOP B-frames) are that keyframe's leading pictures,
 * displayed before it, so they belong to the previous segment, whose copy runs past this
 * keyframe. Every picture displayed at or after a CRA/recovery point decodes from it.
 */
export declare function copyStartSeconds(timeline: FrameTimeline, keyIndex: number): number;
export declare function planSegments(timeline: FrameTimeline, options: PlanOptions): SegmentPlan;
