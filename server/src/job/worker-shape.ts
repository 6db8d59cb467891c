import os from 'node:os';
import type { EncodeOptions } from '../../../common/options';
import type { MediaInfo } from '../probe';
import { availableMemoryBytes, estimateWorkerMemoryBytes } from '../sys';
import { planWorkers, type WorkerPlan } from './workers';
import { encodeBitDepth } from '../encode';

/** The even picture size SVT-AV1 encodes (4:2:0 needs even dimensions; an odd edge is cropped). */
export function encodedSize(media: MediaInfo): { width: number; height: number } {
  return { width: media.video.width - (media.video.width % 2), height: media.video.height - (media.video.height % 2) };
}

/** How many segments run at once here, from this machine's cores and free memory (planWorkers decides). */
export async function chooseWorkers(
  options: EncodeOptions,
  media: MediaInfo,
  segments: number,
): Promise<WorkerPlan & { memoryPerWorkerBytes: number }> {
  const { width, height } = encodedSize(media);
  const threadsHint = options.workers === undefined ? undefined : Math.max(1, Math.floor(os.availableParallelism() / options.workers));
  const memoryPerWorkerBytes = estimateWorkerMemoryBytes({
    width,
    height,
    bitDepth: encodeBitDepth(options.pixelFormat),
    chroma: media.video.chroma === 400 ? 420 : media.video.chroma,
    threads: threadsHint,
  });
  const plan = planWorkers({
    cores: os.availableParallelism(),
    availableMemoryBytes: await availableMemoryBytes(),
    memoryPerWorkerBytes,
    segments,
    requested: options.workers,
  });
  return { ...plan, memoryPerWorkerBytes };
}
