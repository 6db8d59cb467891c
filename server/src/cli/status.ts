import { statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';
import { lockOwner } from '../job';
import { parseJobTarget, type JobTarget } from './job-target';
import { formatJobStatus, jobStatus } from '../job';
import { loadManifest, unloadableManifestReason } from '../job';
import { workDirLayout } from '../workdir';
import { readFinishedRecord, type FinishedRecord } from '../job';
import { summaryText } from './summary';
import { isSearchedManifest, localTime, searchedText } from './search-handoff';

/** `status` of the work directory a search left. */
function searchedStatusText(status: ReturnType<typeof jobStatus>): string {
  return [
    `${status.workDir}: ${searchedText(status.segmentsTotal)}`,
    `  input:    ${status.input}`,
    `  output:   ${status.output}`,
    `  searched: ${localTime(status.updatedAt)} (${status.framesTotal} frames)`,
  ].join('\n');
}

const HELP = `usage: chunked-av1 status WORK_DIR|INPUT|OUTPUT [-o OUTPUT] [--work-dir DIR] [--json]

Prints a job's state from its manifest without running anything. Given an INPUT, the work
directory is found the way "encode" places it (next to the output); pass the same -o or
--work-dir the encode used if you changed them. After a successful run (its work directory
removed), the finished-job record beside the output answers: give the INPUT or the OUTPUT.
--json: one JSON object: state, counts, and every segment (index, state, attempts, crf, bytes, error, file, host)
Exit 0 when a job was found, 1 when there is none.`;

/** The record of a finished job the target names: the output's own, or the one the input's output has. */
async function finishedRecordFor(job: JobTarget): Promise<FinishedRecord | undefined> {
  const target = path.resolve(job.target);
  const isFile = (() => {
    try {
      return statSync(target).isFile();
    } catch {
      return false;
    }
  })();
  const own = isFile ? await readFinishedRecord(target) : undefined;
  if (own) return own;
  return job.output ? readFinishedRecord(job.output) : undefined;
}

/** status --json for a finished job: the JobStatus fields that still mean something, plus the summary. */
function finishedStatusJson(record: FinishedRecord) {
  const { done } = record;
  return {
    state: 'done' as const,
    input: record.input,
    output: done.output,
    updatedAt: record.finishedAt,
    segmentsTotal: done.segments.length,
    segmentsDone: done.segments.length,
    segmentsFailed: 0,
    segmentsPending: 0,
    framesTotal: done.frames,
    framesDone: done.frames,
    encodedBytes: done.segments.reduce((sum, s) => sum + s.bytes, 0),
    segments: done.segments.map((s) => {
      const zone = record.zones?.find((z) => z.index === s.index)?.zone;
      return { ...s, state: 'done' as const, ...(zone ? { zone } : {}) };
    }),
    ...(done.qualityTarget ? { target: done.qualityTarget } : {}),
    done,
  };
}

export async function runStatusCommand(argv: string[]): Promise<number> {
  const job = parseJobTarget(argv, 'status', HELP, true);
  if (!job) return 0;
  const { target, workDir } = job;
  const layout = workDirLayout(workDir);
  const manifest = await loadManifest(layout.manifest);
  if (!manifest) {
    const record = await finishedRecordFor(job);
    // A manifest that is there but does not load is named with its failing field, not "no job found".
    const unloadable = record ? undefined : await unloadableManifestReason(layout.manifest);
    if (unloadable) throw new UserError(`${layout.manifest}: not a manifest this version can read (${unloadable})`, layout.manifest);
    if (!record)
      throw new UserError(
        `${target}: no chunked-av1 job found (no readable ${layout.manifest}, no finished-job record beside the output)`,
        target,
      );
    const text = `${record.done.output}: finished ${record.finishedAt} (work directory removed)\n  input:    ${record.input}\n${summaryText(record.done).split('\n').slice(1).join('\n')}`;
    process.stdout.write(job.json ? `${JSON.stringify(finishedStatusJson(record))}\n` : `${text}\n`);
    return 0;
  }
  const status = jobStatus(manifest, layout.root, (index) => layout.encoded(index), lockOwner(layout.root)?.pid);
  // A search's work directory is no cancelled encode: it holds the CRFs the encode will use.
  const searched = !status.runningPid && isSearchedManifest(manifest);
  if (job.json) process.stdout.write(`${JSON.stringify(searched ? { ...status, searched: true } : status)}\n`);
  else process.stdout.write(`${searched ? searchedStatusText(status) : formatJobStatus(status)}\n`);
  return 0;
}
