import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors';
import type { DoneEvent } from '../../../common/events';
import { ProcessError, runProcess } from '../sys';
import { DiskFullError, freeBytes, isNoSpaceError, requireFreeSpace } from '../sys';
import type { SegmentPlan } from '../plan';
import { finalOutputProblems } from '../validate';
import type { WorkDirLayout } from '../workdir';
import { placeOutput } from '../workdir';
import { requireOwnEntries } from '../workdir';
import { createPartialOutput, removeRecordedPartial } from '../workdir';
import { removeCreated, writeFileAtomic } from '../sys';
import { requireUnchangedInput } from '../probe';
import type { JobState } from '../job';
import { concatListText, listPath } from './concat-list';
import { coverExtractArgs, muxArgs, muxWorkingDirectory, type MuxPlan } from './mux';

/**
 * The assemble stage: the concat demuxer's list of encoded segments, then one ffmpeg that joins
 * them and muxes every carried stream of the source, then the final validation, then the output
 * takes its place. Nothing is written at the output path until the joined file has passed.
 */

/** segment_list.txt: every planned segment's encoded file with its exact duration. */
export async function writeSegmentList(layout: WorkDirLayout, plan: SegmentPlan): Promise<void> {
  await requireOwnEntries(layout.root);
  await writeFileAtomic(
    layout.segmentList,
    concatListText(
      plan.segments.map((s) => ({ file: listPath(layout.root, layout.encoded(s.index)), durationSeconds: s.endSeconds - s.startSeconds })),
    ),
  );
}

/** Less free space than this beside the output after a failed join: the disk filled while ffmpeg wrote. */
const NEARLY_FULL_BYTES = 1024 * 1024;

async function outputNearlyFull(output: string): Promise<boolean> {
  return ((await freeBytes(path.dirname(output)).catch(() => undefined)) ?? Infinity) < NEARLY_FULL_BYTES;
}

/** The output's file system is full (ENOSPC while the joined output was written): one line naming it and the output. */
async function outputDiskFull(output: string): Promise<DiskFullError> {
  const dir = path.dirname(output);
  return new DiskFullError(
    dir,
    await freeBytes(dir).catch(() => undefined),
    undefined,
    `no space left on the device writing ${output} (ENOSPC)`,
  );
}

/** The partial output as ffmpeg sees it: its fd 3, our handle on the file we created (never reopened by name). */
const OUR_DESCRIPTOR = '/dev/fd/3';

export async function joinSegments(
  state: JobState,
  mux: MuxPlan,
  size: { width: number; height: number },
  started: number,
): Promise<DoneEvent> {
  const { emit, tools, layout, media, plan, output, options } = state;
  const signal = state.ctx.signal;
  emit({ event: 'phase', phase: 'concat' });
  // Everything the join reads (segment_list.txt, encoded/…) is still ours, not a link planted meanwhile.
  await requireOwnEntries(layout.root);
  // The mux reads the input again (every stream but the video): it must be the file the segments came from.
  await requireUnchangedInput(state.inputWatch);
  // Checked before each phase: at least the joined video (the encoded segments' size) must fit
  // next to the output; the other streams' size is not known up front, ENOSPC still stops cleanly.
  const encodedBytes = state.store.manifest.segments.reduce((sum, s) => sum + (s.bytes ?? 0), 0);
  await requireFreeSpace(path.dirname(output), encodedBytes + 1024 * 1024, 'needed for the joined output');
  // A killed run's partial goes first (only if it is still the file that run created); this
  // run's is new, under a random name, and ffmpeg writes into it through our descriptor.
  await removeRecordedPartial(layout.root, output);
  const { file: temp, handle } = await createPartialOutput(layout.root, output);
  try {
    emit({ event: 'phase', phase: 'mux' });
    try {
      const coverFiles: string[] = [];
      for (const [k, cover] of mux.covers.entries()) {
        const file = path.join(layout.root, `cover_${k}${path.extname(cover.fileName) || '.png'}`);
        await runProcess(tools.ffmpeg, coverExtractArgs(state.input, cover, file), { signal });
        coverFiles.push(file);
      }
      const muxed = await runProcess(
        tools.ffmpeg,
        muxArgs({
          segmentList: layout.segmentList,
          source: state.input,
          media,
          plan: mux,
          audioMode: options.audio,
          videoStartSeconds: plan.startSeconds,
          output: OUR_DESCRIPTOR,
          coverFiles,
        }),
        { signal, cwd: muxWorkingDirectory({ segmentList: layout.segmentList }), fd3: handle.fd },
      );
      // ffmpeg can end with 0 after a failed write to its output: its own words say the disk is full.
      if (isNoSpaceError({ stderrTail: muxed.stderrTail })) throw await outputDiskFull(output);
      // …and it still is after the mux read it: nothing changed while its streams were copied.
      await requireUnchangedInput(state.inputWatch);
    } catch (error) {
      if (isNoSpaceError(error) && !(error instanceof DiskFullError)) throw await outputDiskFull(output);
      if (error instanceof ProcessError)
        throw new UserError(`${output}: joining the segments with the source's streams failed: ${error.message}`, output);
      throw error;
    } finally {
      await handle.close();
    }
    emit({ event: 'phase', phase: 'validate' });
    const problems = await finalOutputProblems(
      tools,
      temp.path,
      {
        relativePts: state.timeline.pts.map((p) => p - plan.startSeconds),
        durationSeconds: plan.durationSeconds,
        frameSeconds: state.timeline.lastFrameSeconds,
        source: media,
        mux,
        pixelFormat: options.pixelFormat,
        width: size.width,
        height: size.height,
        colour: media.video.colour,
        hdr10: Boolean(media.video.mastering),
      },
      signal,
    ).catch(async (error: unknown) => {
      // A file cut short by a full disk may not even parse: that is not what to tell the user.
      if (await outputNearlyFull(output)) throw await outputDiskFull(output);
      throw error;
    });
    if (problems.length) {
      if (await outputNearlyFull(output)) throw await outputDiskFull(output);
      throw new UserError(`${output}: the joined output failed validation: ${problems.join('; ')}`);
    }
    await placeOutput(temp, output, options.overwrite, state.input);
  } catch (error) {
    await removeCreated(temp);
    throw error;
  }
  const bytes = (await stat(output)).size;
  return {
    event: 'done',
    output,
    frames: plan.frames,
    bytes,
    seconds: Math.round((performance.now() - started) / 10) / 100,
    sourceBytes: media.sizeBytes,
    segments: state.store.manifest.segments.map((s) => ({
      index: s.index,
      crf: s.crf,
      vmaf: s.vmaf,
      ...(s.scores ? { scores: s.scores } : {}),
      bytes: s.bytes ?? 0,
      ...(typeof s.extra?.warning === 'string' ? { warning: s.extra.warning } : {}),
      ...(typeof s.extra?.unreachable === 'string' ? { unreachable: s.extra.unreachable } : {}),
    })),
  };
}
