import path from 'node:path';
import { ResponseError, type Connection } from 'vscode-languageserver/node';
import { JobReport } from '../../../common/protocol';
import { errorMessage } from '../errors';
import { defaultOutputPath, defaultWorkDir } from '../job';
import { loadJobReport } from '../report';
import type { JobRegistry } from './jobs';

/**
 * chunkedAv1/jobReport: the quality report of a job the server knows, built from its manifest
 * (or, after a successful job removed its work directory, from the data `--report` kept).
 */
export function registerReportRequest(connection: Connection, registry: JobRegistry): void {
  connection.onRequest(JobReport, async ({ jobId }) => {
    const job = registry.get(jobId);
    if (!job) throw new ResponseError(1, `no job ${jobId}`);
    const output = path.resolve(job.output ?? defaultOutputPath(job.input));
    try {
      return (await loadJobReport(job.workDir ?? defaultWorkDir(output), output)) ?? null;
    } catch (error) {
      throw new ResponseError(1, errorMessage(error));
    }
  });
}
