import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { ResponseError, type Connection } from 'vscode-languageserver/node';
import { JobReport } from '../../../common/protocol';
import { errorMessage } from '../errors';
import { defaultOutputPath, defaultWorkDir } from '../workdir';
import { loadJobReport, loadReportData } from '../report';
import type { JobRegistry } from './jobs';

/** Job ids are our own UUIDs; anything else (a damaged jobs.json) never becomes a path. */
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Where the server keeps a finished job's report data (manifest, quality cache, run facts) in the
 * extension's storage, since a successful job removes its work directory. Undefined without storage.
 */
export function keptReportDataFile(storagePath: string | undefined, jobId: string): string | undefined {
  return storagePath !== undefined && JOB_ID.test(jobId) ? path.join(storagePath, 'reports', `${jobId}.json`) : undefined;
}

/** Removes the report data kept for a job the user removed (a file of our own storage, named by the job's id). */
export async function forgetKeptReportData(storagePath: string | undefined, jobId: string): Promise<void> {
  const file = keptReportDataFile(storagePath, jobId);
  if (file) await unlink(file).catch(() => undefined);
}

/**
 * chunkedAv1/jobReport: the quality report of a job the server knows, built from its manifest while
 * the work directory exists, else from the data the server kept when the job finished, else from
 * the data `encode --report` kept beside the output.
 */
export function registerReportRequest(connection: Connection, registry: JobRegistry, storagePath: () => string | undefined): void {
  connection.onRequest(JobReport, async ({ jobId }) => {
    const job = registry.get(jobId);
    if (!job) throw new ResponseError(1, `no job ${jobId}`);
    const output = path.resolve(job.output ?? defaultOutputPath(job.input));
    const kept = keptReportDataFile(storagePath(), jobId);
    try {
      return (
        (await loadJobReport(job.workDir ?? defaultWorkDir(output))) ??
        (kept === undefined ? undefined : await loadReportData(kept)) ??
        (await loadJobReport(job.workDir ?? defaultWorkDir(output), output)) ??
        null
      );
    } catch (error) {
      throw new ResponseError(1, errorMessage(error));
    }
  });
}
