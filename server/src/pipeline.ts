import { existsSync } from 'node:fs';
import path from 'node:path';
import { CancelledError, UsageError, UserError, errorMessage } from './errors';
import { crfGranularity, crfProblem } from './crf';
import type { DoneEvent } from '../../common/events';
import { qualityTargetOf, type EncodeOptions } from '../../common/options';
import { resolveTools, requireEncoder, requireVmafFfmpeg } from './sys';
import { DiskFullError, freeBytes, isNoSpaceError } from './sys';
import { inspectInput } from './inspect';
import { requireUnchangedInput, watchInput } from './probe';
import { planSegments } from './plan';
import { splitCuts } from './plan';
import { readJobZones, zonedPlan } from './zones';
import { detectForPlan, refuseExplicitCrop } from './inspect';
import { joinSegments, writeSegmentList } from './assemble';
import { carriedStreamBytes } from './assemble';
import { defaultOutputPath, defaultWorkDir } from './workdir';
import { checkWorkDir } from './job';
import { checkOutputTarget } from './workdir';
import { removeWorkDir, leftOverWarning } from './job';
import { openWorkDir } from './job';
import { cachedDetection, startManifest } from './job';
import { buildSegmentTasks, chooseWorkers, encodedSize } from './job';
import { encodeSegments, keepVerifiedSegments } from './job';
import { segmentRunnerFor } from './hosts';
import { keepReportData, writeEncodeReport } from './report';
import { QUALITY_CACHE_FILE } from './crf';
import { ProgressTracker, progressEvents, stepReporter } from './job';
import { jobEvents, type JobContext, type JobState } from './job';
import { aliasesWithMiniGop, ENCODER_MINI_GOP_FRAMES, withVmafWorkers } from './vmaf';

/** What a search-only run leaves as its manifest's last word: `status` and the next `encode` read it. */
export const SEARCH_ONLY_NOTE = 'search only (chunked-av1 search): no segment encoded yet';

export type { JobContext } from './job';
export { SegmentsFailedError } from './job';

/**
 * The chunked encode, end to end, as the developers' guide draws it: probe → plan segments →
 * segment copies → per segment, in parallel: CRF → encode → validate → concatenate → mux →
 * final validation. Each stage lives in its folder; this file only orders them. The CLI and the
 * language server both call runEncodeJob; cancellation is the AbortSignal, events go to onEvent.
 */
export async function runEncodeJob(options: EncodeOptions, ctx: JobContext = {}): Promise<DoneEvent> {
  const done = await withVmafWorkers(() => runJob(options, ctx));
  if (!done) throw new Error('the job stopped after its search (searchOnly)');
  return done;
}

/** `chunked-av1 search`: the job up to each segment's CRF decision, no final encode, no output. */
export async function runSearchJob(options: EncodeOptions, ctx: JobContext & Required<Pick<JobContext, 'searchOnly'>>): Promise<void> {
  await withVmafWorkers(() => runJob(options, ctx));
}

/** The job with its progress events carrying the work-weighted percent and ETA (job/progress-events.ts). */
async function runJob(options: EncodeOptions, ctx: JobContext): Promise<DoneEvent | undefined> {
  const paced = progressEvents(ctx.onEvent, qualityTargetOf(options) !== undefined, undefined, options.preset);
  try {
    return await runJobSteps(options, { ...ctx, onEvent: paced.emit });
  } finally {
    paced.close();
  }
}

async function runJobSteps(options: EncodeOptions, ctx: JobContext): Promise<DoneEvent | undefined> {
  const started = performance.now();
  const { signal } = ctx;
  const { emit, log } = jobEvents(ctx);
  const tools = resolveTools({ ffmpeg: options.ffmpeg, ffprobe: options.ffprobe, vmafFfmpeg: options.vmafFfmpeg });
  await requireEncoder(tools);
  // Whole CRFs are honoured by every SVT-AV1; only a fractional one needs the encoder asked.
  if (options.crf !== undefined && !Number.isInteger(options.crf)) {
    const problem = crfProblem(options.crf, await crfGranularity(tools, signal));
    if (problem) throw new UsageError(problem);
  }
  // VMAF measures the target, or is scored beside another (--also-score vmaf).
  const measuresVmaf = qualityTargetOf(options)?.metric === 'vmaf' || options.alsoScore?.includes('vmaf');
  if (measuresVmaf && options.vmafEngine !== 'builtin') await requireVmafFfmpeg(tools);
  if (qualityTargetOf(options) !== undefined && aliasesWithMiniGop(options.vmafSubsample))
    log(
      'warn',
      `--vmaf-subsample ${options.vmafSubsample} scores only some positions of SVT-AV1's ${ENCODER_MINI_GOP_FRAMES}-frame mini-GOPs: the VMAF it reports can be biased (use an odd N)`,
    );
  const input = path.resolve(options.input);
  const output = path.resolve(options.output ?? defaultOutputPath(input));
  // Before any work: an output that is the input, exists, or cannot be written; a work dir not ours.
  // A search writes no output, so an existing one is no reason to refuse it.
  await checkOutputTarget(input, output, options.overwrite || Boolean(ctx.searchOnly));
  const workDirRoot = options.workDir ?? defaultWorkDir(output);
  await checkWorkDir(workDirRoot, input, output);

  emit({ event: 'phase', phase: 'probe' });
  // Taken before the first read (undefined for a non-regular file, which the probe refuses).
  const watched = await watchInput(input);
  const { media, timeline, mux, bytesByStream } = await inspectInput(tools, input, output, options, log, signal);
  const inputWatch = watched ?? (await watchInput(input));
  if (!inputWatch) throw new UserError(`${input}: not a regular file`, input);
  refuseExplicitCrop(input, options, media);
  // Read and checked before the work directory exists: a bad zones file stops the run with nothing made.
  const zones = await readJobZones(input, options, timeline, media.chapters, log);
  const { layout, guard } = await openWorkDir(workDirRoot, output, media, options, tools, log);
  // A first start that stops before its manifest exists (Ctrl-C, `--json | head`, a failed
  // detection) leaves nothing: the work directory it just made holds no job to resume.
  const earlierJob = existsSync(layout.manifest);
  try {
    emit({ event: 'phase', phase: 'plan' });
    let detected: Awaited<ReturnType<typeof detectForPlan>>;
    let plan: ReturnType<typeof planSegments>;
    let store: Awaited<ReturnType<typeof startManifest>>;
    let shape: { workers: number; memoryPerWorkerBytes: number };
    let size: { width: number; height: number };
    try {
      // Scene scores and the crop: decoded once, then kept in the manifest for every resume.
      detected = await detectForPlan(
        tools,
        input,
        options,
        media,
        timeline,
        await cachedDetection(layout, input, inputWatch.identity),
        log,
        signal,
        stepReporter(emit, timeline.pts.length),
      );
      plan = zones
        ? zonedPlan(zones, timeline, media.chapters, options, detected.scores, log)
        : planSegments(timeline, { segmentSeconds: options.segmentSeconds, cuts: splitCuts(timeline, options, detected.scores) });
      // The probe and the plan hold for the file the manifest names only if it did not change meanwhile.
      await requireUnchangedInput(inputWatch);
      const workers = await chooseWorkers(options, media, plan.segments.length);
      log('debug', `${workers.workers} worker(s) x ${workers.threadsPerWorker} thread(s), limited by ${workers.limitedBy}`);
      shape = { workers: workers.workers, memoryPerWorkerBytes: workers.memoryPerWorkerBytes };
      // Each segment's unit of work, built once with the plan and kept in the manifest.
      const { crop } = detected;
      size = crop ? { width: crop.width, height: crop.height } : encodedSize(media);
      const tasks = buildSegmentTasks({
        plan,
        options,
        media,
        timeline,
        source: inputWatch.identity,
        threads: workers.threadsPerWorker,
        size,
        ...(crop ? { crop } : {}),
      });
      const found = { ...detected, videoStream: media.video.index };
      store = await startManifest(layout, input, output, options, plan, log, found, inputWatch.identity, tasks);
    } catch (error) {
      if (!earlierJob && !existsSync(layout.manifest)) {
        guard.close(); // the lock is one of the entries removed
        await removeWorkDir(layout.root).catch(() => undefined);
      }
      throw error;
    }
    await writeSegmentList(layout, plan);
    const { crop } = detected;
    // Where segments run: this machine, or with --hosts also other machines (checked here, before any encode).
    const runner = await segmentRunnerFor({
      hosts: options.hosts,
      hostsStrict: options.hostsStrict,
      localWorkers: shape.workers,
      memoryPerWorkerBytes: shape.memoryPerWorkerBytes,
      segments: plan.segments.length,
      tools,
      workDir: layout.root,
      signal,
      log,
      onSpawn: guard.children.spawned,
      onExit: guard.children.exited,
    });
    guard.setShape({ workers: runner.workers, sourceBytes: media.sizeBytes, segments: plan.segments.length });
    const carried = carriedStreamBytes(mux, bytesByStream, plan.durationSeconds, options.audio);
    emit({
      event: 'plan',
      input,
      workDir: layout.root,
      segments: plan.segments.length,
      frames: plan.frames,
      durationSeconds: plan.durationSeconds,
      width: media.video.width,
      height: media.video.height,
      fps: media.video.frameRate,
      workers: runner.workers,
      ...(options.hosts?.length ? { hosts: runner.hosts } : {}),
      ranges: plan.segments.map((s) => ({
        index: s.index,
        startFrame: s.startFrame,
        frames: s.frames,
        startSeconds: s.startSeconds,
        endSeconds: s.endSeconds,
        reason: s.reason,
      })),
      ...(crop ? { crop } : {}),
      ...(detected.scores ? { scenes: detected.scores.filter((s) => s.score >= options.sceneThreshold).length } : {}),
      ...(carried.kinds.length ? { carried } : {}),
      ...(qualityTargetOf(options) ? { target: qualityTargetOf(options) } : {}),
    });

    const state: JobState = {
      options,
      ctx,
      tools,
      input,
      inputWatch,
      output,
      layout,
      media,
      timeline,
      plan,
      store,
      guard,
      runner,
      emit,
      log,
    };
    const { manifest } = store;
    try {
      const progress = new ProgressTracker(plan.frames, plan.segments.length);
      const pending = await keepVerifiedSegments(state, progress);
      const kept = plan.segments.length - pending.length;
      if (kept) emit({ event: 'resume', kept, total: plan.segments.length });
      try {
        await encodeSegments(state, pending, runner.workers, progress);
      } finally {
        await runner.close();
      }
      if (ctx.searchOnly) {
        manifest.status = 'cancelled';
        manifest.lastError = SEARCH_ONLY_NOTE;
        await store.save();
        return undefined;
      }
      const quality = qualityTargetOf(options);
      const done: DoneEvent = { ...(await joinSegments(state, mux, size, started)), ...(quality ? { qualityTarget: quality } : {}) };
      manifest.status = 'done';
      await store.save();
      // The report's data outlives the work directory: beside the output (--report) and/or where the caller keeps it.
      const finished = {
        manifest,
        cacheFile: path.join(layout.root, QUALITY_CACHE_FILE),
        facts: { outputBytes: done.bytes, wallSeconds: done.seconds },
      };
      if (ctx.reportDataFile !== undefined) {
        await keepReportData(ctx.reportDataFile, finished).catch((error: unknown) =>
          log('warn', `the quality report's data was not kept: ${errorMessage(error)}`),
        );
      }
      if (options.report !== undefined) {
        // The video is done: a report that cannot be written is a warning, not a failed job.
        await writeEncodeReport({ ...finished, htmlPath: options.report, overwrite: false }).then(
          (written) => log('info', `quality report: ${written.html} (its data: ${written.data})`),
          (error: unknown) => log('warn', `no quality report: ${errorMessage(error)}`),
        );
      }
      if (!options.keepWorkDir) {
        emit({ event: 'phase', phase: 'cleanup' });
        guard.close(); // the lock is one of the entries removed
        const kept = leftOverWarning(layout.root, await removeWorkDir(layout.root));
        if (kept) log('warn', kept);
      }
      emit(done);
      return done;
    } catch (error) {
      const cancelled = error instanceof CancelledError || signal?.aborted;
      manifest.status = cancelled ? 'cancelled' : 'failed';
      manifest.lastError = errorMessage(error);
      await store.save().catch(() => undefined);
      if (cancelled && !(error instanceof CancelledError)) throw new CancelledError();
      if (!cancelled && isNoSpaceError(error) && !(error instanceof DiskFullError))
        throw new DiskFullError(
          layout.root,
          await freeBytes(layout.root).catch(() => undefined),
          undefined,
          errorMessage(error).split('\n')[0],
        );
      throw error;
    }
  } finally {
    guard.close();
  }
}
