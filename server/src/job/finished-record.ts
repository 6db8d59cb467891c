import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { metricScoresSchema, qualityTargetSchema } from '../../../common/quality-target-schema';
import type { DoneEvent } from '../../../common/events';
import { placeCreated, removeCreated, writeExclusiveTemp } from '../sys';
import { MAX_SMALL_FILE_BYTES, readRegularFile } from '../sys';

/**
 * What `status` says after a successful run. The work directory (and its manifest) is removed on
 * success, so the finished job is remembered in one small hidden file beside the output,
 * `.OUTPUT_NAME.chunked-av1.json` (next to where the work directory `.OUTPUT_NAME.work` was):
 * the done event plus the input and the time. Found from the output path or from the input the
 * way the work directory is. Only a file that parses as such a record is ever replaced.
 */
const RECORD_KIND = 'chunked-av1 finished job';

const recordSchema = z.object({
  kind: z.literal(RECORD_KIND),
  input: z.string(),
  finishedAt: z.string(),
  done: z.object({
    event: z.literal('done'),
    output: z.string(),
    frames: z.number(),
    bytes: z.number(),
    seconds: z.number(),
    sourceBytes: z.number(),
    segments: z.array(
      z.object({
        index: z.number(),
        crf: z.number().optional(),
        vmaf: z.number().optional(),
        scores: metricScoresSchema.optional(),
        bytes: z.number(),
        warning: z.string().optional(),
        unreachable: z.string().optional(),
      }),
    ),
    durationSeconds: z.number().optional(),
    target: z.string().optional(),
    engine: z.string().optional(),
    qualityTarget: qualityTargetSchema.optional(),
  }),
  /** Each zoned segment's zone (--zones), as the plan gave it: `status --json` keeps it after the work directory goes. */
  zones: z
    .array(z.object({ index: z.number(), zone: z.object({ index: z.number(), overrides: z.record(z.string(), z.unknown()) }) }))
    .optional(),
});

export type FinishedRecord = z.infer<typeof recordSchema>;

export function finishedRecordPath(output: string): string {
  const resolved = path.resolve(output);
  return path.join(path.dirname(resolved), `.${path.basename(resolved)}.chunked-av1.json`);
}

/** The record beside OUTPUT, or undefined when there is none (or the file there is not one). */
export async function readFinishedRecord(output: string): Promise<FinishedRecord | undefined> {
  const file = finishedRecordPath(output);
  try {
    const info = await lstat(file);
    if (!info.isFile()) return undefined;
    const parsed = recordSchema.safeParse(JSON.parse(await readRegularFile(file, MAX_SMALL_FILE_BYTES, 'a finished-job record')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes the record for a finished job (via a temp name and rename). Returns false, writing
 * nothing, when something that is not our record sits at its path: that file is not ours.
 */
export async function writeFinishedRecord(
  input: string,
  done: DoneEvent,
  zones?: FinishedRecord['zones'],
  now = new Date(),
): Promise<boolean> {
  const file = finishedRecordPath(done.output);
  const present = await lstat(file).then(
    () => true,
    () => false,
  );
  if (present && !(await readFinishedRecord(done.output))) return false;
  const record: FinishedRecord = {
    kind: RECORD_KIND,
    input: path.resolve(input),
    finishedAt: now.toISOString(),
    done: recordSchema.shape.done.parse(done),
  };
  if (zones?.length) record.zones = zones;
  const temp = await writeExclusiveTemp(file, `${JSON.stringify(record, null, 1)}\n`);
  try {
    await placeCreated(temp, file, true);
  } catch (error) {
    await removeCreated(temp);
    throw error;
  }
  return true;
}
