import type { EncodeOptions } from '../../../common/options';
import type { MediaInfo } from '../probe';
import { keyintFrames, type VideoEncodeSettings } from './encode-args';
import type { CropRect } from '../plan';

/** Every segment's encoder settings but its CRF (which the CRF strategy chooses per segment). */
export function segmentVideoSettings(
  options: EncodeOptions,
  media: MediaInfo,
  threads: number,
  size: { width: number; height: number },
  crop?: CropRect,
): Omit<VideoEncodeSettings, 'crf'> {
  return {
    ...(crop ? { crop } : {}),
    ...(media.video.turn ? { turn: media.video.turn } : {}),
    preset: options.preset,
    svtParams: options.svtParams,
    keyintFrames: keyintFrames(options.keyintSeconds, media.video.frameRate),
    pixelFormat: options.pixelFormat,
    threads,
    colour: media.video.colour,
    mastering: media.video.mastering,
    contentLight: media.video.contentLight,
    evenCrop: size.width !== media.video.width || size.height !== media.video.height,
  };
}

/** Bits per sample of the encoded picture. */
export function encodeBitDepth(pixelFormat: string): number {
  return pixelFormat === 'yuv420p10le' ? 10 : 8;
}
