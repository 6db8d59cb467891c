// What other stages may use (scripts/stage-barrels.mjs keeps this list; edit the code, not it).
export { cpuCount, cpuSetForWorker, findTaskset } from './affinity';
export { ChildRegistry, parseStatStartTime } from './children';
export { DiskFullError, DiskGuard, freeBytes, isNoSpaceError, lowSpaceThreshold, requireFreeSpace, upfrontSpaceNeeded } from './disk';
export { createExclusive, fileId, placeCreated, removeCreated, sameFile, writeExclusiveTemp } from './exclusive-file';
export type { CreatedFile } from './exclusive-file';
export { FfmpegPeakRss } from './ffmpeg-peak-rss';
export { FIRST_VIDEO_ONLY, ffmpegFileUrl, ffmpegInput, ffprobeInput, inputRestrictions } from './media-paths';
export { availableMemoryBytes, estimateWorkerMemoryBytes } from './memory';
export { printable } from './printable';
export { ProcessError, findSetpriv, killGroup, observeCommands, runProcess, stopAllProcesses } from './processes';
export { MAX_SMALL_FILE_BYTES, MAX_STATE_FILE_BYTES, readRegularFile, readRegularFileSync } from './regular-file';
export { libvmafTools, requireEncoder, requireVmafFfmpeg, resolveTools, toolCapabilities } from './tools';
export type { LibvmafApi, Tools } from './tools';
