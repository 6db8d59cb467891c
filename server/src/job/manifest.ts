import { createHash } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import { z } from 'zod';
import { crfSchema, metricNameSchema, presetNumberSchema, targetVmafSchema } from '../../../common/option-values';
import { writeFileAtomic } from '../sys';
import { qualityTargetSchema } from './quality-target-schema';
import type { PlannedSegment, SegmentPlan } from '../plan';
import { inputChange, inputIdentitySchema } from '../probe';
import { MAX_STATE_FILE_BYTES, readRegularFile } from '../sys';
import { plannedSegmentSchema, segmentTaskSchema, type SegmentTask } from './segment-task';

/**
 * The manifest: the single source of truth about a job, in the work directory. It records the
 * input's identity, the settings that shape the segments, the plan and each segment's state.
 * Writes are atomic (temp file, fsync, rename, fsync of the directory), so a kill at any
 * instant leaves the old or the new manifest, never a torn one. A resumed job never trusts a
 * "done" record alone: the encoded file must still have the recorded size and hash.
 */
export const MANIFEST_VERSION = 1;
const MIB = 1024 * 1024;

/** Settings that change what an encoded segment contains. Audio and output name do not. */
// The ranges are the options' own (common/option-values.ts): a hand-edited CRF of 999 makes the
// manifest unreadable (the job starts over) instead of reaching an encode or the summary.
export const segmentSettingsSchema = z.object({
  crf: crfSchema.optional(),
  targetVmaf: targetVmafSchema.optional(),
  minCrf: crfSchema.optional(),
  maxCrf: crfSchema.optional(),
  vmafPool: z.string().optional(),
  samples: z.number().optional(),
  sampleSeconds: z.number().optional(),
  preset: presetNumberSchema,
  svtParams: z.string(),
  keyintSeconds: z.number(),
  pixelFormat: z.string(),
  segmentSeconds: z.number(),
  /** The picture kept, `W:H:X:Y` (--crop); absent: uncropped. */
  crop: z.string().optional(),
  /**
   * The job's quality target (issue 25: common/quality-target.ts), every target job. A VMAF
   * target is keyed by targetVmaf and vmafPool as before, so it is left out of settingsKey there.
   */
  target: qualityTargetSchema.optional(),
  /** --also-score: metrics scored at verification only (recorded, not part of the segment's bytes). */
  alsoScore: z.array(metricNameSchema).optional(),
});
export type SegmentSettings = z.infer<typeof segmentSettingsSchema>;

/** Settings that key the segments' bytes: a VMAF target is keyed by targetVmaf and vmafPool (as before issue 25). */
function keyed(key: string, settings: SegmentSettings): boolean {
  if (key === 'alsoScore') return false;
  return key !== 'target' || settings.target?.metric !== 'vmaf';
}

export const segmentRecordSchema = z.object({
  index: z.number().int(),
  startFrame: z.number().int(),
  frames: z.number().int(),
  state: z.enum(['pending', 'done', 'failed']),
  attempts: z.number().int().default(0),
  /** Key of the settings the encoded file was made with (settingsKey). */
  settingsKey: z.string().optional(),
  crf: crfSchema.optional(),
  vmaf: z.number().optional(),
  /** Every metric measured at verification (another target metric, or --also-score; issue 25). */
  scores: z.partialRecord(metricNameSchema, z.number()).optional(),
  bytes: z.number().optional(),
  encodedFrames: z.number().optional(),
  /** sha256 of the encoded file. */
  hash: z.string().optional(),
  lastError: z.string().optional(),
  /** Extra per-segment facts other modules keep (search probes, peak RSS...). */
  extra: z.record(z.string(), z.unknown()).optional(),
});
export type SegmentRecord = z.infer<typeof segmentRecordSchema>;

const cropRectSchema = z.object({ width: z.number().int(), height: z.number().int(), x: z.number().int(), y: z.number().int() });

/**
 * What the detection passes found in this input, kept so a resume never decodes for them again
 * (valid while the input identity is unchanged). Scene scores at or above the detection floor only.
 */
export const detectionSchema = z.object({
  scenes: z.object({ floor: z.number(), frames: z.array(z.number().int()), scores: z.array(z.number()), seconds: z.number() }).optional(),
  crop: z
    .object({
      crop: cropRectSchema.optional(),
      bars: z.object({ top: z.number(), bottom: z.number(), left: z.number(), right: z.number() }),
      framesSeen: z.number(),
      framesBlank: z.number(),
      seconds: z.number(),
    })
    .optional(),
});
export type Detection = z.infer<typeof detectionSchema>;

export const manifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  input: inputIdentitySchema,
  output: z.string(),
  settings: segmentSettingsSchema,
  settingsKey: z.string(),
  plan: z.object({
    frames: z.number(),
    startSeconds: z.number(),
    endSeconds: z.number(),
    durationSeconds: z.number(),
    segments: z.array(plannedSegmentSchema),
  }),
  segments: z.array(segmentRecordSchema),
  /**
   * Each segment's task (segment-task.ts), in plan order: what this run gives each segment, here or
   * on a host. Built with the plan at every start; absent in a manifest written before tasks existed.
   */
  tasks: z.array(segmentTaskSchema).optional(),
  detection: detectionSchema.optional(),
  /** The source's stream index that is encoded (probe/main-video.ts); absent in older manifests: its first video stream. */
  videoStream: z.number().int().nonnegative().optional(),
  /** 'running' while a process works on it; 'failed', 'cancelled' or 'done' after. */
  status: z.enum(['running', 'failed', 'cancelled', 'done']),
  updatedAt: z.string(),
  lastError: z.string().optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** Hash of the settings that change an encoded segment's bytes. The segment length is not one of
 * them: it moves the cuts, and a segment whose frame range is unchanged is still valid. */
export function settingsKey(settings: SegmentSettings): string {
  const ordered = Object.fromEntries(
    Object.entries(settings)
      .filter(([k, v]) => v !== undefined && k !== 'segmentSeconds' && keyed(k, settings))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return createHash('sha256').update(JSON.stringify(ordered)).digest('hex').slice(0, 16);
}

/**
 * The key of the settings one segment is encoded with: the job's, and its zone's overrides when a
 * zones file gives it some, so a resume encodes again exactly the segments whose zone changed.
 */
export function segmentSettingsKey(jobKey: string, zone?: PlannedSegment['zone']): string {
  if (!zone || !Object.keys(zone.overrides).length) return jobKey;
  const overrides = Object.fromEntries(Object.entries(zone.overrides).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256')
    .update(JSON.stringify([jobKey, overrides]))
    .digest('hex')
    .slice(0, 16);
}

export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(4 * MIB);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (!bytesRead) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

export async function readManifest(file: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readRegularFile(file, MAX_STATE_FILE_BYTES, 'a job manifest');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // readFile's EISDIR names no file: the CLI's one line needs it.
    throw Object.assign(error as Error, { path: (error as NodeJS.ErrnoException).path ?? file });
  }
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const JOURNAL_SUFFIX = '.journal';

// No defaults in a patch: zod would fill `attempts: 0` into every replayed line otherwise.
const journalLineSchema = z.object({
  index: z.number().int(),
  patch: segmentRecordSchema.extend({ attempts: z.number().int().optional() }).partial(),
});

/**
 * Reads manifest.json and replays its journal (one JSON line per segment change, appended and
 * fsynced). A torn last line from a kill mid-append is ignored.
 */
export async function loadManifest(manifestFile: string): Promise<Manifest | undefined> {
  const manifest = await readManifest(manifestFile);
  if (!manifest) return undefined;
  let journal = '';
  try {
    journal = await readRegularFile(`${manifestFile}${JOURNAL_SUFFIX}`, MAX_STATE_FILE_BYTES, "a manifest's journal");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const line of journal.split('\n')) {
    if (!line.trim()) continue;
    let entry;
    try {
      entry = journalLineSchema.safeParse(JSON.parse(line));
    } catch {
      continue;
    }
    if (!entry.success) continue;
    const record = manifest.segments[entry.data.index];
    if (record) Object.assign(record, entry.data.patch);
  }
  return manifest;
}

/**
 * The job's manifest while it runs. Segment changes cost O(1): one fsynced journal line
 * (recordSegment); the whole manifest is rewritten atomically (save) only at the start and end
 * of a job, which also empties the journal. Writes are serialised.
 */
export class ManifestStore {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    public manifest: Manifest,
  ) {}

  private enqueue(run: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(run, run);
    return this.chain;
  }

  /** Full atomic rewrite; the journal is folded in and removed. */
  save(): Promise<void> {
    return this.enqueue(async () => {
      this.manifest.updatedAt = new Date().toISOString();
      await writeFileAtomic(this.file, `${JSON.stringify(this.manifest, null, 1)}\n`);
      await unlink(`${this.file}${JOURNAL_SUFFIX}`).catch(() => undefined);
    });
  }

  segment(index: number): SegmentRecord {
    const record = this.manifest.segments[index];
    if (!record) throw new Error(`no segment ${index} in the manifest`);
    return record;
  }

  /** The segment's task as this run built it with its plan. */
  task(index: number): SegmentTask {
    const task = this.manifest.tasks?.[index];
    if (!task) throw new Error(`no task for segment ${index} in the manifest`);
    return task;
  }

  /** One segment's change: applied in memory and appended (fsynced) to the journal. */
  recordSegment(index: number, patch: Partial<SegmentRecord>): Promise<void> {
    Object.assign(this.segment(index), patch);
    const line = `${JSON.stringify({ index, patch })}\n`;
    return this.enqueue(async () => {
      const handle = await open(`${this.file}${JOURNAL_SUFFIX}`, 'a');
      try {
        await handle.appendFile(line);
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
  }
}

/**
 * A manifest for this run: the previous one's segment records are carried over where the input
 * is unchanged and the segment covers the same frames; the caller then verifies the files.
 */
export function reconcileManifest(
  previous: Manifest | undefined,
  fresh: Omit<Manifest, 'segments' | 'status' | 'updatedAt'>,
  plan: SegmentPlan,
): { manifest: Manifest; inputChanged?: string; zoneChanged: number[] } {
  const inputChanged = previous ? inputChange(previous.input, fresh.input) : undefined;
  const zoneChanged: number[] = [];
  const usable = previous && !inputChanged ? previous : undefined;
  const segments = plan.segments.map((segment): SegmentRecord => {
    const old = usable?.segments.find(
      (r) => r.index === segment.index && r.startFrame === segment.startFrame && r.frames === segment.frames,
    );
    const key = segmentSettingsKey(fresh.settingsKey, segment.zone);
    if (old && old.state === 'done' && old.settingsKey === key) return { ...old, index: segment.index };
    // The job's settings are the same but this segment's are not: its zone changed (added, edited, removed).
    if (old?.state === 'done' && usable?.settingsKey === fresh.settingsKey) zoneChanged.push(segment.index);
    return { index: segment.index, startFrame: segment.startFrame, frames: segment.frames, state: 'pending', attempts: 0 };
  });
  const manifest: Manifest = { ...fresh, segments, status: 'running', updatedAt: new Date().toISOString() };
  return inputChanged ? { manifest, inputChanged, zoneChanged } : { manifest, zoneChanged };
}
