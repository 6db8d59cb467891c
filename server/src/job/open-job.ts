import { mkdir } from 'node:fs/promises';
import { qualityTargetOf, type EncodeOptions } from '../../../common/options';
import type { Tools } from '../sys';
import type { MediaInfo } from '../probe';
import { DiskFullError, freeBytes, upfrontSpaceNeeded } from '../sys';
import { markWorkDir } from './ownership';
import { requireOwnEntries } from '../workdir';
import { workDirLayout, type WorkDirLayout } from '../workdir';
import { JobGuard } from './guard';
import { ladderFor } from '../crf';
import type { JobLog } from './job-state';

/** Free-space reading for the up-front check. CHUNKED_AV1_FAKE_FREE_BYTES is a FAKE used by one test. */
async function freeSpace(dir: string): Promise<number> {
  const fake = process.env.CHUNKED_AV1_FAKE_FREE_BYTES;
  return fake !== undefined && fake !== '' ? Number(fake) : freeBytes(dir);
}

/**
 * Makes (or reopens) the job's work directory and takes its lock. The space check comes before
 * anything is written, so a full disk leaves no work directory behind; the guard reaps children
 * that a killed run left, if they are provably ours.
 */
export async function openWorkDir(
  root: string,
  output: string,
  media: MediaInfo,
  options: EncodeOptions,
  tools: Tools,
  log: JobLog,
): Promise<{ layout: WorkDirLayout; guard: JobGuard }> {
  const layout = workDirLayout(root);
  const needed = upfrontSpaceNeeded({ sourceBytes: media.sizeBytes });
  const free = await freeSpace(layout.root);
  if (free < needed) throw new DiskFullError(layout.root, free, needed, 'checked before starting');
  await requireOwnEntries(layout.root);
  await markWorkDir(layout.root, output);
  await mkdir(layout.segmentsDir, { recursive: true });
  await mkdir(layout.encodedDir, { recursive: true });
  const guard = JobGuard.open({
    workDir: layout.root,
    ladder: ladderFor({ targetQuality: qualityTargetOf(options) !== undefined }),
    failFast: options.failFast,
    pinWorkers: options.pinWorkers,
    log,
    tools,
  });
  return { layout, guard };
}
