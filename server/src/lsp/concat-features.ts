/**
 * Language features for ffconcat lists: document links to the listed files, a hover on a `file`
 * line with the segment's state (when the list belongs to a known job), and a warning on lines
 * whose file does not exist (except segments a job has not produced yet).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DiagnosticSeverity, MarkupKind, type Diagnostic, type DocumentLink, type Hover, type Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fileEntries, type ConcatFileEntry } from './ffconcat';
import { formatClock, probeTable, segmentListPath } from './job-diagnostics';
import type { JobSnapshot, SegmentSnapshot } from '../../../common/protocol';
import { segmentScoreText } from '../../../common/segment-score';

function documentPath(document: TextDocument): string | undefined {
  return document.uri.startsWith('file:') ? fileURLToPath(document.uri) : undefined;
}

function resolveEntry(document: TextDocument, entry: ConcatFileEntry): string | undefined {
  const listPath = documentPath(document);
  return listPath ? path.resolve(path.dirname(listPath), entry.path) : undefined;
}

export function jobForList(listPath: string, jobs: JobSnapshot[]): JobSnapshot | undefined {
  return jobs.find((job) => segmentListPath(job) === listPath);
}

export function segmentForEntry(job: JobSnapshot, entry: ConcatFileEntry, absolute: string | undefined): SegmentSnapshot | undefined {
  return (
    job.segments.find((s) => s.file && absolute && path.resolve(s.file) === absolute) ?? job.segments.find((s) => s.index === entry.ordinal)
  );
}

export function concatDocumentLinks(document: TextDocument): DocumentLink[] {
  return fileEntries(document.getText()).flatMap((entry) => {
    const target = resolveEntry(document, entry);
    if (!target) return [];
    return [
      {
        range: { start: { line: entry.line, character: entry.range.start }, end: { line: entry.line, character: entry.range.end } },
        target: pathToFileURL(target).href,
        tooltip: target,
      },
    ];
  });
}

export function describeSegment(segment: SegmentSnapshot, job?: Pick<JobSnapshot, 'target'>): string {
  const rows = [
    `**Segment ${segment.index}** — ${segment.state}`,
    `source ${formatClock(segment.startSeconds)}–${formatClock(segment.endSeconds)}`,
  ];
  if (segment.crf !== undefined) rows.push(`crf ${segment.crf}`);
  const score = segmentScoreText(job, segment);
  if (score) rows.push(score);
  if (segment.bytes !== undefined) rows.push(`${segment.bytes} bytes`);
  if (segment.probes.length) rows.push(`probes: ${probeTable(segment.probes)}`);
  if (segment.error) rows.push(`error: ${segment.error}`);
  if (segment.warning) rows.push(`warning: ${segment.warning}`);
  return rows.join('  \n');
}

export function concatHover(document: TextDocument, position: Position, jobs: JobSnapshot[]): Hover | null {
  const entry = fileEntries(document.getText()).find((e) => e.line === position.line);
  const listPath = documentPath(document);
  if (!entry || !listPath) return null;
  const absolute = resolveEntry(document, entry);
  const job = jobForList(listPath, jobs);
  const segment = job && segmentForEntry(job, entry, absolute);
  const value = segment ? describeSegment(segment, job) : `${absolute}${absolute && existsSync(absolute) ? '' : ' (missing)'}`;
  return {
    contents: { kind: MarkupKind.Markdown, value },
    range: { start: { line: entry.line, character: entry.range.start }, end: { line: entry.line, character: entry.range.end } },
  };
}

export function missingFileDiagnostics(document: TextDocument, jobs: JobSnapshot[]): Diagnostic[] {
  const listPath = documentPath(document);
  if (!listPath) return [];
  const job = jobForList(listPath, jobs);
  return fileEntries(document.getText()).flatMap((entry) => {
    const absolute = resolveEntry(document, entry);
    if (!absolute || existsSync(absolute)) return [];
    const segment = job && segmentForEntry(job, entry, absolute);
    // Not yet encoded, or already reported as failed: a missing file is expected there.
    if (segment && segment.state !== 'done') return [];
    return [
      {
        severity: DiagnosticSeverity.Warning,
        range: { start: { line: entry.line, character: entry.range.start }, end: { line: entry.line, character: entry.range.end } },
        message: `${entry.path}: file not found`,
        source: 'ffconcat',
      },
    ];
  });
}
