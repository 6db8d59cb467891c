/**
 * On a server (re)start, a known job's truth is its work directory's manifest (written by the
 * pipeline), not the server's last snapshot: the job may have been resumed from the CLI, or the
 * server may have died mid-segment. This folds the manifest into the snapshot.
 */
import { loadManifest, type Manifest } from '../job';
import { workDirLayout } from '../workdir';
import type { JobSnapshot, SegmentSnapshot } from '../../../common/protocol';

export function applyManifest(job: JobSnapshot, manifest: Manifest): void {
  const previous = new Map(job.segments.map((s) => [s.index, s]));
  job.segments = manifest.segments.map((record): SegmentSnapshot => {
    const planned = manifest.plan.segments.find((s) => s.index === record.index);
    const known = previous.get(record.index);
    const segment: SegmentSnapshot = {
      index: record.index,
      state: record.state === 'pending' ? 'queued' : record.state,
      startSeconds: planned?.startSeconds ?? known?.startSeconds ?? 0,
      endSeconds: planned?.endSeconds ?? known?.endSeconds ?? 0,
      probes: known?.probes ?? [],
      file: known?.file,
    };
    if (record.crf !== undefined) segment.crf = record.crf;
    if (record.vmaf !== undefined) segment.vmaf = record.vmaf;
    if (record.scores) segment.scores = { ...record.scores };
    if (record.bytes !== undefined) segment.bytes = record.bytes;
    // Who made it, with hosts (the same field status --json reads); kept across a reload.
    const host = typeof record.extra?.host === 'string' ? record.extra.host : known?.host;
    if (host !== undefined) segment.host = host;
    if (record.state === 'failed') segment.error = record.lastError ?? known?.error ?? 'failed';
    else if (known?.warning && record.state === 'done') segment.warning = known.warning;
    return segment;
  });
  // The job's target (issue 25) as the manifest keeps it: a job resumed from the CLI may have none in the snapshot.
  if (manifest.settings.target) job.target = manifest.settings.target;
  job.segmentsTotal = job.segments.length;
  job.segmentsDone = job.segments.filter((s) => s.state === 'done').length;
  job.framesTotal = manifest.plan.frames;
  // 'running' in the manifest with no process behind it (we are just starting) means interrupted.
  if (manifest.status === 'running') job.status = 'interrupted';
  else if (job.status !== 'done' || manifest.status === 'done') job.status = manifest.status;
  if (manifest.lastError && job.status === 'failed') job.error = manifest.lastError;
}

/** Reads the job's manifest, if its work directory still has one, and applies it. */
export async function refreshFromManifest(job: JobSnapshot): Promise<boolean> {
  if (!job.workDir) return false;
  const manifest = await loadManifest(workDirLayout(job.workDir).manifest).catch(() => undefined);
  if (!manifest) return false;
  applyManifest(job, manifest);
  return true;
}
