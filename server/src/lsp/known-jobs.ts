/**
 * The jobs the server has seen, kept in the extension's storage folder so a restarted server (or a
 * reloaded window) can show them again, re-publish their diagnostics and offer to resume.
 * The file is parsed with zod; a damaged file is set aside rather than trusted.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { JobSnapshot } from '../../../common/protocol';
import { SEGMENT_REASONS } from '../../../common/events';
import { metricScoresSchema, qualityTargetSchema } from '../../../common/quality-target-schema';

const MAX_JOBS = 50;

const probeSchema = z.object({ crf: z.number(), vmaf: z.number(), bytes: z.number(), seconds: z.number() });
const segmentSchema = z.object({
  index: z.number().int(),
  state: z.enum(['queued', 'searching', 'encoding', 'validating', 'done', 'failed', 'skipped']),
  startSeconds: z.number(),
  endSeconds: z.number(),
  /** Why it starts there: a restored job's cuts at scene changes are the zones file's snap points. */
  reason: z.enum(SEGMENT_REASONS).optional(),
  crf: z.number().optional(),
  vmaf: z.number().optional(),
  scores: metricScoresSchema.optional(),
  bytes: z.number().optional(),
  error: z.string().optional(),
  warning: z.string().optional(),
  probes: z.array(probeSchema),
  file: z.string().optional(),
});
const jobSchema = z.object({
  jobId: z.string(),
  input: z.string(),
  output: z.string().optional(),
  workDir: z.string().optional(),
  preset: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted']),
  segments: z.array(segmentSchema),
  segmentsDone: z.number(),
  segmentsTotal: z.number(),
  framesDone: z.number(),
  framesTotal: z.number(),
  etaSeconds: z.number().nullable(),
  elapsedSeconds: z.number(),
  sourceBytes: z.number().optional(),
  outputBytes: z.number().optional(),
  error: z.string().optional(),
  startedAt: z.number().optional(),
  finishedAt: z.number().optional(),
  createdAt: z.number().optional(),
  targetVmaf: z.number().optional(),
  maxCrf: z.number().optional(),
  target: qualityTargetSchema.optional(),
  /** What the job was started with, so a restored job can be resumed. */
  options: z.record(z.string(), z.unknown()).optional(),
});
const fileSchema = z.object({ version: z.literal(1), jobs: z.array(jobSchema) });

export type StoredJob = z.infer<typeof jobSchema>;

export class KnownJobs {
  private readonly file: string;

  constructor(storagePath: string) {
    this.file = path.join(storagePath, 'jobs.json');
  }

  load(): StoredJob[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const parsed = fileSchema.safeParse(
      (() => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return undefined;
        }
      })(),
    );
    if (!parsed.success) {
      renameSync(this.file, `${this.file}.damaged`);
      return [];
    }
    return parsed.data.jobs;
  }

  save(jobs: { snapshot: JobSnapshot; options?: object }[]): void {
    const kept = jobs
      .slice(-MAX_JOBS)
      .map(({ snapshot, options }) => ({ ...snapshot, options: options as Record<string, unknown> | undefined }));
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ version: 1, jobs: kept }));
    renameSync(temp, this.file);
  }
}
