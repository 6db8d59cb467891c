import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { QualityReport } from '../../../common/report';
import { UserError, errorMessage } from '../errors';
import { placeCreated, removeCreated, writeExclusiveTemp } from '../sys';
import { loadManifest, manifestSchema, type Manifest } from '../job';
import { writeFileAtomic } from '../sys';
import { QUALITY_CACHE_FILE, recordSchema } from '../crf';
import { workDirLayout } from '../workdir';
import { buildQualityReport, type QualityCacheRecord, type ReportFacts } from './model';
import { reportHtml, type ReportPageAssets } from './html';
import { measureSourceSegmentBytes } from './source-bytes';
import { MAX_STATE_FILE_BYTES, readRegularFile } from '../sys';

/**
 * The report's files: reading a job (its work directory, or the report data an encode kept beside
 * its output before removing the work directory) and writing the HTML and JSON without ever
 * replacing a file we did not make.
 */

/** Beside the output: what `encode --report` keeps of the work directory (manifest, cache, run facts). */
export function reportDataPath(output: string): string {
  return `${path.resolve(output)}.report.json`;
}

/** The HTML report's default place: beside the output. */
export function defaultReportPath(output: string): string {
  return `${path.resolve(output)}.report.html`;
}

const reportDataSchema = z.object({
  reportData: z.literal(1),
  manifest: manifestSchema,
  cache: z.array(z.unknown()),
  facts: z.object({
    outputBytes: z.number().optional(),
    wallSeconds: z.number().optional(),
    cpuSeconds: z.number().optional(),
    sourceSegmentBytes: z.array(z.number()).optional().catch(undefined),
  }),
});

/** The cache's records; torn or unknown lines are skipped as the cache itself does. */
export async function readQualityCacheRecords(file: string): Promise<QualityCacheRecord[]> {
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return parseCacheRecords(
    text.split('\n').flatMap((line) => {
      try {
        return line.trim() ? [JSON.parse(line) as unknown] : [];
      } catch {
        return [];
      }
    }),
  );
}

function parseCacheRecords(values: unknown[]): QualityCacheRecord[] {
  return values.flatMap((value) => {
    const parsed = recordSchema.safeParse(value);
    return parsed.success ? [parsed.data] : [];
  });
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The source's bytes per segment, when the source is still the file the job read (same size and
 * mtime); measuring reads every packet's header, so only the written reports ask for it, not the
 * editor's live panel.
 */
async function sourceFacts(manifest: Manifest): Promise<Pick<ReportFacts, 'sourceSegmentBytes'>> {
  try {
    const info = await stat(manifest.input.path);
    if (info.size !== manifest.input.size || info.mtimeMs !== manifest.input.mtimeMs) return {};
  } catch {
    return {};
  }
  const bytes = await measureSourceSegmentBytes(manifest);
  return bytes ? { sourceSegmentBytes: bytes } : {};
}

/**
 * The report of the job in workDir; when the encode finished and removed it, the data it kept
 * beside the output. `measureSource`: also measure the source's bitrate per segment.
 */
export async function loadJobReport(
  workDir: string,
  fallbackOutput?: string,
  options: { measureSource?: boolean } = {},
): Promise<QualityReport | undefined> {
  const layout = workDirLayout(workDir);
  const manifest = await loadManifest(layout.manifest);
  if (manifest) {
    const cache = await readQualityCacheRecords(path.join(layout.root, QUALITY_CACHE_FILE));
    const outputBytes = manifest.status === 'done' ? await sizeOf(manifest.output) : undefined;
    const facts: ReportFacts = {
      ...(outputBytes === undefined ? {} : { outputBytes }),
      ...(options.measureSource ? await sourceFacts(manifest) : {}),
    };
    return buildQualityReport(manifest, cache, facts);
  }
  return fallbackOutput === undefined ? undefined : loadReportData(reportDataPath(fallbackOutput));
}

/** The report from kept report data (OUTPUT.report.json, or the editor's copy); undefined when the file does not exist. */
export async function loadReportData(dataFile: string): Promise<QualityReport | undefined> {
  let text: string;
  try {
    text = await readRegularFile(dataFile, MAX_STATE_FILE_BYTES, 'report data');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (error instanceof UserError) throw error;
    throw new UserError(`${dataFile}: cannot read the report data: ${errorMessage(error)}`, dataFile);
  }
  let parsed;
  try {
    parsed = reportDataSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) throw new UserError(`${dataFile}: not chunked-av1 report data (unreadable or from another version)`, dataFile);
  return buildQualityReport(parsed.data.manifest, parseCacheRecords(parsed.data.cache), parsed.data.facts);
}

/** What a finished job keeps of its work directory for its report: the manifest, the quality cache, the run's facts. */
export interface FinishedJobData {
  manifest: Manifest;
  /** The work directory's quality-cache.jsonl (missing for fixed-CRF jobs: no records). */
  cacheFile: string;
  facts: ReportFacts;
}

async function reportDataText(job: FinishedJobData): Promise<{ text: string; cache: QualityCacheRecord[]; facts: ReportFacts }> {
  const cache = await readQualityCacheRecords(job.cacheFile);
  // Measured while the source is surely there: the kept data outlives the work directory.
  const facts = job.facts.sourceSegmentBytes ? job.facts : { ...job.facts, ...(await sourceFacts(job.manifest)) };
  return { text: `${JSON.stringify({ reportData: 1, manifest: job.manifest, cache, facts })}\n`, cache, facts };
}

/**
 * Keeps a finished job's report data in a file of the caller's own (the editor's job storage),
 * replacing an earlier copy of the same job; run before the work directory is removed.
 */
export async function keepReportData(file: string, job: FinishedJobData): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, (await reportDataText(job)).text);
}

/** dist/report-webview.js and .css, beside the running bundle (or in dist/ when run from source). */
export async function reportPageAssets(): Promise<ReportPageAssets> {
  const places = [__dirname, path.resolve(__dirname, '../../../dist')];
  for (const dir of places) {
    try {
      const [script, style] = await Promise.all([
        readFile(path.join(dir, 'report-webview.js'), 'utf8'),
        readFile(path.join(dir, 'report-webview.css'), 'utf8'),
      ]);
      return { script, style };
    } catch {
      /* try the next place */
    }
  }
  throw new UserError(`report-webview.js: the report page script is missing beside ${__dirname}; rebuild with node scripts/build.mjs`);
}

async function sameFile(a: string, b: string): Promise<boolean> {
  try {
    const [x, y] = await Promise.all([stat(a), stat(b)]);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * Writes a report file atomically. Without `overwrite` an existing file is never replaced (the
 * temp file is hard-linked into place, which fails if the name exists); with it, the job's input
 * and output (compared by device and inode) are still refused.
 */
export async function writeReportFile(file: string, content: string, options: { overwrite: boolean; protect: string[] }): Promise<void> {
  const target = path.resolve(file);
  for (const other of options.protect) {
    if (await sameFile(target, other))
      throw new UserError(`${target}: this is the job's input or output video; choose another report path`, target);
  }
  // A new file of ours under a random name, put in place by rename (--overwrite) or by link, which
  // never replaces what is there; only that file is removed if anything fails.
  const temp = await writeExclusiveTemp(target, content);
  try {
    await placeCreated(temp, target, options.overwrite);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new UserError(`${target}: already exists; pass --overwrite to replace it`, target);
    throw new UserError(`${target}: cannot write the report: ${errorMessage(error)}`, target);
  } finally {
    await removeCreated(temp);
  }
}

export async function writeHtmlReport(
  file: string,
  report: QualityReport,
  options: { overwrite: boolean; protect: string[] },
): Promise<void> {
  await writeReportFile(file, reportHtml(report, await reportPageAssets()), options);
}

export interface EncodeReportRequest extends FinishedJobData {
  /** Where the HTML goes (`encode --report PATH`; default beside the output). */
  htmlPath?: string;
  overwrite: boolean;
}

/**
 * `encode --report`: run after the output is in place and before the work directory is removed.
 * Keeps the report data beside the output (OUTPUT.report.json, so `chunked-av1 report INPUT` works
 * after clean-up) and writes the HTML report. Returns both paths.
 */
export async function writeEncodeReport(request: EncodeReportRequest): Promise<{ data: string; html: string }> {
  const { manifest } = request;
  const { text, cache, facts } = await reportDataText(request);
  const data = reportDataPath(manifest.output);
  const html = path.resolve(request.htmlPath ?? defaultReportPath(manifest.output));
  const protect = [manifest.input.path, manifest.output];
  await writeReportFile(data, text, { overwrite: request.overwrite, protect });
  await writeHtmlReport(html, buildQualityReport(manifest, cache, facts), { overwrite: request.overwrite, protect });
  return { data, html };
}
