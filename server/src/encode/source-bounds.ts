import { estimateWorkerMemoryBytes } from '../sys';

/**
 * Whether a source is within what one encode worker can take, decided from the container's
 * declared stream facts alone, before any frame is decoded: a small file can declare a picture
 * whose decode and encode buffers run to tens of GB. Pure.
 */

/**
 * SVT-AV1's frame size limits, as libsvtav1 1.4.1 itself states them when refusing
 * ("Source Width must be at least 64", "... less than or equal to 16384", height 8704);
 * measured with ffmpeg 5.1 on lavfi colour sources of 62/64 and 16384/16386 by 8704/8706.
 */
export const SVT_AV1_FRAME_LIMITS = { minWidth: 64, minHeight: 64, maxWidth: 16384, maxHeight: 8704 } as const;

export interface SourceShape {
  width: number;
  height: number;
  chroma: 400 | 420 | 422 | 444;
}

/** The size the encoder sees: odd dimensions are cropped to even ones (see segmentFilter). */
function encodedSize(shape: SourceShape): { width: number; height: number } {
  return { width: shape.width - (shape.width % 2), height: shape.height - (shape.height % 2) };
}

function gigabytes(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}

/** Why this source cannot be encoded here, naming the limit it hit, or undefined. */
export function sourceBoundsProblem(shape: SourceShape, bitDepth: number, availableMemoryBytes: number): string | undefined {
  const { width, height } = encodedSize(shape);
  const limits = SVT_AV1_FRAME_LIMITS;
  if (width > limits.maxWidth || height > limits.maxHeight) {
    return `the video is ${shape.width}x${shape.height}, larger than SVT-AV1's maximum frame of ${limits.maxWidth}x${limits.maxHeight}`;
  }
  if (width < limits.minWidth || height < limits.minHeight) {
    return `the video is ${shape.width}x${shape.height}, smaller than SVT-AV1's minimum frame of ${limits.minWidth}x${limits.minHeight}`;
  }
  // One worker at one thread is the least any encode needs; more workers are capped to fit.
  const perWorker = estimateWorkerMemoryBytes({ width, height, bitDepth, chroma: shape.chroma === 400 ? 420 : shape.chroma });
  if (perWorker > availableMemoryBytes) {
    return `one encode worker for ${shape.width}x${shape.height} at ${bitDepth} bits needs about ${gigabytes(perWorker)} of memory and ${gigabytes(availableMemoryBytes)} is available`;
  }
  return undefined;
}
