/**
 * The floor under every stage: processes (started from argument arrays, their children recorded,
 * killed only after proving they are ours), disk and memory, CPU affinity, the tools and what
 * they can do, and how a path reaches ffmpeg.
 */
export { cpuCount, cpuSetForWorker, findTaskset } from './affinity';
export { ChildRegistry, parseStatStartTime } from './children';
export {
  DiskFullError,
  DiskGuard,
  formatBytes,
  freeBytes,
  isNoSpaceError,
  lowSpaceThreshold,
  requireFreeSpace,
  upfrontSpaceNeeded,
} from './disk';
export { createExclusive, fileId, placeCreated, removeCreated, sameFile, writeExclusiveTemp } from './exclusive-file';
export type { CreatedFile } from './exclusive-file';
export { writeFileAtomic } from './atomic-write';
export { isInside } from './path-inside';
export { FfmpegPeakRss } from './ffmpeg-peak-rss';
export { ffmpegPreamble } from './ffmpeg-preamble';
export { FIRST_VIDEO_ONLY, videoStreamOnly, ffmpegFileUrl, ffmpegInput, ffprobeInput, inputRestrictions } from './media-paths';
export { availableMemoryBytes, estimateWorkerMemoryBytes } from './memory';
export { nearestName } from './nearest-name';
export { printable } from './printable';
export { isUtf8, nonUtf8ArgumentRefusal, nonUtf8FileRefusal } from './argv-bytes';
export { ProcessError, findSetpriv, killGroup, observeCommands, runProcess, stopAllProcesses } from './processes';
export { MAX_SMALL_FILE_BYTES, MAX_STATE_FILE_BYTES, readRegularFile, readRegularFileSync, regularFileProblem } from './regular-file';
export { libvmafTools, requireEncoder, requireVmafFfmpeg, requireWorkingFfprobe, resolveTools, toolCapabilities } from './tools';
export type { LibvmafApi, Tools } from './tools';
