/**
 * Which Problems-panel entries a job produces: one per failed or questionable segment, on that
 * segment's `file` line of the job's segment_list.txt. Pure: the caller reads the list and publishes.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { fileEntries, type ConcatFileEntry } from './ffconcat';
import type { JobSnapshot, SegmentSnapshot } from '../../../common/protocol';
import { probeTable, timeRange } from '../../../common/text';
import { formatMetricScore } from '../../../common/quality-metric';
import { jobMetric, segmentScore, targetValueText } from '../../../common/segment-score';

export { formatClock, probeTable, timeRange } from '../../../common/text';

export const JOB_SOURCE = 'chunked-av1';
export const SEGMENT_LIST = 'segment_list.txt';

export function segmentListPath(job: JobSnapshot): string | undefined {
  return job.workDir ? path.join(job.workDir, SEGMENT_LIST) : undefined;
}

/** Finds the list line of a segment: by its file name when known, else by position. */
export function entryForSegment(entries: ConcatFileEntry[], segment: SegmentSnapshot, listDir: string): ConcatFileEntry | undefined {
  if (segment.file) {
    const byFile = entries.find((e) => path.resolve(listDir, e.path) === path.resolve(segment.file!));
    if (byFile) return byFile;
  }
  return entries[segment.index];
}

function lastLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines[lines.length - 1] ?? text;
}

type CeilingFacts = Pick<JobSnapshot, 'targetVmaf' | 'maxCrf' | 'target'>;

/** The job's target value in its metric (`target`, or `targetVmaf` for jobs that predate it). */
function targetValue(job: CeilingFacts): number | undefined {
  return job.target?.value ?? job.targetVmaf;
}

/** The search stopped at the CRF ceiling while the quality was still above the target: bits spent for nothing. */
export function hitCrfCeiling(job: CeilingFacts, segment: SegmentSnapshot): boolean {
  const target = targetValue(job);
  const score = segmentScore(segment, jobMetric(job));
  return (
    segment.state === 'done' &&
    target !== undefined &&
    job.maxCrf !== undefined &&
    segment.crf !== undefined &&
    segment.crf >= job.maxCrf &&
    score !== undefined &&
    score > target
  );
}

export function segmentMessage(
  segment: SegmentSnapshot,
  job?: CeilingFacts,
): { severity: DiagnosticSeverity; message: string } | undefined {
  const label = `segment ${segment.index} (${timeRange(segment)})`;
  if (segment.state === 'failed') {
    return { severity: DiagnosticSeverity.Error, message: `${label} failed: ${lastLine(segment.error ?? 'unknown error')}` };
  }
  if (job && hitCrfCeiling(job, segment)) {
    const metric = jobMetric(job);
    const score = formatMetricScore(metric, segmentScore(segment, metric)!);
    return {
      severity: DiagnosticSeverity.Warning,
      message: `${label}: CRF reached maxCrf ${job.maxCrf} at ${score}, above the target ${targetValueText(metric, targetValue(job)!)}; raise maxCrf or lower the target to save space`,
    };
  }
  if (segment.warning) {
    const probes = segment.probes.length && /target/i.test(segment.warning) ? ` [${probeTable(segment.probes)}]` : '';
    return { severity: DiagnosticSeverity.Warning, message: `${label}: ${lastLine(segment.warning)}${probes}` };
  }
  return undefined;
}

export function jobDiagnostics(job: JobSnapshot, listText: string, listPath: string): Diagnostic[] {
  const entries = fileEntries(listText);
  const listDir = path.dirname(listPath);
  const lines = listText.split(/\r?\n/);
  const diagnostics: Diagnostic[] = [];
  for (const segment of job.segments) {
    const problem = segmentMessage(segment, job);
    if (!problem) continue;
    const entry = entryForSegment(entries, segment, listDir);
    const line = entry?.line ?? 0;
    const range = entry
      ? { start: { line, character: entry.range.start }, end: { line, character: entry.range.end } }
      : { start: { line: 0, character: 0 }, end: { line: 0, character: lines[0]?.length ?? 0 } };
    const segmentFile = segment.file ?? (entry ? path.resolve(listDir, entry.path) : undefined);
    diagnostics.push({
      severity: problem.severity,
      range,
      message: problem.message,
      source: JOB_SOURCE,
      code: `segment-${segment.index}`,
      relatedInformation: segmentFile
        ? [
            {
              location: {
                uri: pathToFileURL(segmentFile).href,
                range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
              },
              message: `segment file, source ${timeRange(segment)}`,
            },
          ]
        : undefined,
    });
  }
  return diagnostics;
}

/**
 * A finished job's diagnostics once its work directory is gone: on the output video's first line,
 * without the segment files (removed with the work directory) as related information.
 */
export function outputDiagnostics(job: JobSnapshot, output: string): Diagnostic[] {
  return jobDiagnostics(job, '', output).map(({ relatedInformation: _removed, ...diagnostic }) => diagnostic);
}
