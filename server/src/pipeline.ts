import { mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { CancelledError, UserError, errorMessage } from './errors';
import type { DoneEvent, EventSink, JobEvent, SegmentEvent } from '../../common/events';
import { DEFAULT_CRF, type EncodeOptions } from '../../common/options';
import { resolveTools, requireEncoder, requireVmafFfmpeg, type Tools } from './sys/tools';
import { ProcessError, runProcess } from './sys/processes';
import { probeInput } from './probe/probe';
import { planSegments, type PlannedSegment, type SegmentPlan } from './plan/plan';
import { conversionNotes, keyintFrames, type VideoEncodeSettings } from './encode/encode-args';
import { startSegmentCopies, segmentCopyProblem, type SegmentCopies } from './segment/segment';
import { runSegmentJob } from './job/segment-job';
import { decideCrf, type CrfDecision } from './crf/crf-strategy';
import { concatListText, listPath } from './assemble/concat-list';
import { ContainerError, containerFor, coverExtractArgs, muxArgs, planMux } from './assemble/mux';
import { finalOutputProblems, type SegmentExpectation } from './validate/validate';
import { ManifestStore, fileSha256, inputIdentity, loadManifest, reconcileManifest, settingsKey, type SegmentSettings } from './job/manifest';
import { defaultOutputPath, defaultWorkDir, temporaryOutputPath, workDirLayout, type WorkDirLayout } from './job/workdir';
import { planWorkers, tailThreads } from './job/workers';
import { checkWorkDir, markWorkDir } from './job/ownership';
import { checkOutputTarget, placeOutput } from './job/output-target';
import { removeWorkDir, leftOverWarning } from './job/cleanup';
import { ProgressTracker } from './job/progress';
import { availableMemoryBytes, estimateWorkerMemoryBytes } from './sys/memory';
import { freeBytes, DiskFullError, isNoSpaceError, requireFreeSpace, upfrontSpaceNeeded } from './sys/disk';
import type { MediaInfo } from './probe/media-info';
import type { FrameTimeline } from './probe/frames';
import { JobGuard } from './job/guard';
import { ladderFor } from './job/retry';
// Registers the --target-vmaf CRF strategy with crf-strategy.ts.
import './crf/target-quality';

/**
 * The chunked encode, end to end: probe → plan → segment copies → parallel AV1 encodes (each
 * validated) → concat + mux → final validation → rename. The CLI and the language server both
 * call runEncodeJob; cancellation is the AbortSignal, events go to onEvent.
 */
export interface JobContext {
  signal?: AbortSignal;
  onEvent?: EventSink;
  log?: (level: 'debug' | 'info' | 'warn', message: string) => void;
  /** `chunked-av1 search`: each segment's CRF decision (the quality cache filled), then stop before the final encodes. */
  searchOnly?: (result: { index: number; frames: number; decision: CrfDecision }) => void;
}

/** Some segments failed; each one's cause is listed. The job wrote no output. */
export class SegmentsFailedError extends UserError {
  constructor(file: string, readonly failedSegments: { index: number; error: string }[], total: number) {
    super(`${file}: ${failedSegments.length} of ${total} segments failed: ${failedSegments.map((f) => `#${f.index}: ${f.error}`).join('; ')}`, file);
    this.name = 'SegmentsFailedError';
  }
}

/** Free-space reading for the up-front check. CHUNKED_AV1_FAKE_FREE_BYTES is a FAKE used by one test. */
async function freeSpace(dir: string): Promise<number> {
  const fake = process.env.CHUNKED_AV1_FAKE_FREE_BYTES;
  return fake !== undefined && fake !== '' ? Number(fake) : freeBytes(dir);
}

function segmentSettings(options: EncodeOptions): SegmentSettings {
  const settings: SegmentSettings = {
    preset: options.preset, svtParams: options.svtParams, keyintSeconds: options.keyintSeconds,
    pixelFormat: options.pixelFormat, segmentSeconds: options.segmentSeconds,
  };
  if (options.targetVmaf !== undefined) {
    Object.assign(settings, { targetVmaf: options.targetVmaf, minCrf: options.minCrf, maxCrf: options.maxCrf, vmafPool: options.vmafPool, samples: options.samples, sampleSeconds: options.sampleSeconds });
  } else settings.crf = options.crf ?? DEFAULT_CRF;
  return settings;
}

function maxInterval(timeline: FrameTimeline, segment: PlannedSegment): number {
  let max = 0;
  const { pts } = timeline;
  const last = segment.startFrame + segment.frames;
  for (let i = segment.startFrame + 1; i < last; i++) max = Math.max(max, pts[i]! - pts[i - 1]!);
  return Math.max(max, timeline.lastFrameSeconds, segment.endSeconds - pts[last - 1]!);
}

interface JobState {
  options: EncodeOptions;
  ctx: JobContext;
  tools: Tools;
  input: string;
  output: string;
  layout: WorkDirLayout;
  media: MediaInfo;
  timeline: FrameTimeline;
  plan: SegmentPlan;
  store: ManifestStore;
  guard: JobGuard;
  emit: (event: JobEvent) => void;
  log: (level: 'debug' | 'info' | 'warn', message: string) => void;
}

/** `chunked-av1 search`: the job up to each segment's CRF decision, no final encode, no output. */
export async function runSearchJob(options: EncodeOptions, ctx: JobContext & Required<Pick<JobContext, 'searchOnly'>>): Promise<void> {
  const guards: JobGuard[] = [];
  try {
    await encodeJob(options, ctx, guards);
  } finally {
    for (const guard of guards) guard.close();
  }
}

export async function runEncodeJob(options: EncodeOptions, ctx: JobContext = {}): Promise<DoneEvent> {
  const guards: JobGuard[] = [];
  try {
    const done = await encodeJob(options, ctx, guards);
    if (!done) throw new Error('the job stopped after its search (searchOnly)');
    return done;
  } finally {
    for (const guard of guards) guard.close();
  }
}

async function encodeJob(options: EncodeOptions, ctx: JobContext, guards: JobGuard[]): Promise<DoneEvent | undefined> {
  const started = performance.now();
  const signal = ctx.signal;
  const emit = (event: JobEvent) => ctx.onEvent?.(event);
  const log = (level: 'debug' | 'info' | 'warn', message: string) => {
    ctx.log?.(level, message);
    emit({ event: 'log', level, message });
  };
  const tools = resolveTools({ ffmpeg: options.ffmpeg, ffprobe: options.ffprobe, vmafFfmpeg: options.vmafFfmpeg });
  await requireEncoder(tools);
  if (options.targetVmaf !== undefined && options.vmafEngine !== 'builtin') await requireVmafFfmpeg(tools);
  const input = path.resolve(options.input);
  const output = path.resolve(options.output ?? defaultOutputPath(input));
  // Before any work: an output that is the input, exists, or cannot be written; a work dir not ours.
  await checkOutputTarget(input, output, options.overwrite);
  const workDirRoot = options.workDir ?? defaultWorkDir(output);
  await checkWorkDir(workDirRoot, input, output);
  const container = containerFor(output);

  emit({ event: 'phase', phase: 'probe' });
  const probed = await probeInput(tools, input, signal);
  const { media, timeline } = probed;
  log('debug', `frame timeline from ${probed.timelineMethod} in ${probed.timelineSeconds.toFixed(2)} s`);
  if (media.video.dolbyVision && !options.allowDvStrip) {
    throw new UserError(`${input}: Dolby Vision (profile ${media.video.dolbyVision.profile ?? '?'}) would lose its RPU in a chunked encode; pass --allow-dv-strip to encode the HDR10 base layer without it`, input);
  }
  if (media.video.dolbyVision) log('warn', 'Dolby Vision RPU dropped (--allow-dv-strip): encoding the base layer');
  let mux;
  try {
    mux = planMux(media, container, options.audio);
  } catch (error) {
    if (error instanceof ContainerError) throw new UserError(`${output}: ${error.message}`, output);
    throw error;
  }
  for (const dropped of mux.dropped) log('warn', `stream ${dropped.stream.index} (${dropped.stream.codec}) not carried: ${dropped.reason}`);
  for (const converted of mux.converted) log('info', `stream ${converted.stream.index} (${converted.stream.codec}) converted to ${converted.to}`);
  for (const note of conversionNotes(media, options.pixelFormat)) log('info', note);

  const layout = workDirLayout(workDirRoot);
  // Checked before anything is written, so a full disk leaves no work directory behind.
  const needed = upfrontSpaceNeeded({ sourceBytes: media.sizeBytes });
  const free = await freeSpace(layout.root);
  if (free < needed) throw new DiskFullError(layout.root, free, needed, 'checked before starting');
  await markWorkDir(layout.root, output);
  await mkdir(layout.segmentsDir, { recursive: true });
  await mkdir(layout.encodedDir, { recursive: true });
  // One run per work dir; children left running by a run that was killed are reaped here.
  const guard = JobGuard.open({ workDir: layout.root, ladder: ladderFor({ targetQuality: options.targetVmaf !== undefined }), failFast: options.failFast, pinWorkers: options.pinWorkers, log, tools });
  guards.push(guard);

  emit({ event: 'phase', phase: 'plan' });
  const plan = planSegments(timeline, { segmentSeconds: options.segmentSeconds });
  const settings = segmentSettings(options);
  const key = settingsKey(settings);
  const previous = await loadManifest(layout.manifest);
  const { manifest, inputChanged } = reconcileManifest(previous, {
    version: 1, input: await inputIdentity(input), output, settings, settingsKey: key, plan,
  }, plan);
  if (inputChanged) log('warn', `${input}: the input changed since the work directory was made (${inputChanged}); starting over`);
  const store = new ManifestStore(layout.manifest, manifest);
  await store.save();
  await writeFile(layout.segmentList, concatListText(plan.segments.map((s) => ({ file: listPath(layout.root, layout.encoded(s.index)), durationSeconds: s.endSeconds - s.startSeconds }))));

  const evenWidth = media.video.width - (media.video.width % 2);
  const evenHeight = media.video.height - (media.video.height % 2);
  const threadsHint = options.workers === undefined ? undefined : Math.max(1, Math.floor(os.availableParallelism() / options.workers));
  const workers = planWorkers({
    cores: os.availableParallelism(),
    availableMemoryBytes: await availableMemoryBytes(),
    memoryPerWorkerBytes: estimateWorkerMemoryBytes({ width: evenWidth, height: evenHeight, bitDepth: options.pixelFormat === 'yuv420p10le' ? 10 : 8, chroma: media.video.chroma === 400 ? 420 : media.video.chroma, threads: threadsHint }),
    segments: plan.segments.length,
    requested: options.workers,
  });
  log('debug', `${workers.workers} worker(s) x ${workers.threadsPerWorker} thread(s), limited by ${workers.limitedBy}`);
  guard.setShape({ workers: workers.workers, sourceBytes: media.sizeBytes, segments: plan.segments.length });
  emit({
    event: 'plan', input, workDir: layout.root, segments: plan.segments.length, frames: plan.frames, durationSeconds: plan.durationSeconds,
    width: media.video.width, height: media.video.height, fps: media.video.frameRate, workers: workers.workers,
    ranges: plan.segments.map((s) => ({ index: s.index, startFrame: s.startFrame, frames: s.frames, startSeconds: s.startSeconds, endSeconds: s.endSeconds })),
  });

  const state: JobState = { options, ctx, tools, input, output, layout, media, timeline, plan, store, guard, emit, log };
  const videoSettings: Omit<VideoEncodeSettings, 'crf'> = {
    preset: options.preset, svtParams: options.svtParams, keyintFrames: keyintFrames(options.keyintSeconds, media.video.frameRate),
    pixelFormat: options.pixelFormat, threads: workers.threadsPerWorker, colour: media.video.colour,
    mastering: media.video.mastering, contentLight: media.video.contentLight, evenCrop: evenWidth !== media.video.width || evenHeight !== media.video.height,
  };
  try {
    const progress = new ProgressTracker(plan.frames, plan.segments.length);
    const pending = await keepVerifiedSegments(state, progress);
    const kept = plan.segments.length - pending.length;
    if (kept) emit({ event: 'resume', kept, total: plan.segments.length });
    await encodeSegments(state, pending, videoSettings, workers.workers, progress, { width: evenWidth, height: evenHeight });
    if (ctx.searchOnly) {
      manifest.status = 'cancelled';
      manifest.lastError = 'search only (chunked-av1 search): no segment encoded yet';
      await store.save();
      return undefined;
    }
    const done = await concatAndMux(state, mux, { width: evenWidth, height: evenHeight }, started);
    manifest.status = 'done';
    await store.save();
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
    if (!cancelled && isNoSpaceError(error) && !(error instanceof DiskFullError)) throw new DiskFullError(layout.root, await freeBytes(layout.root).catch(() => undefined), undefined, errorMessage(error).split('\n')[0]);
    throw error;
  }
}

/** Done segments whose file still has the recorded size and hash are kept (event "skipped"). */
async function keepVerifiedSegments(state: JobState, progress: ProgressTracker): Promise<PlannedSegment[]> {
  const pending: PlannedSegment[] = [];
  for (const segment of state.plan.segments) {
    const record = state.store.segment(segment.index);
    const file = state.layout.encoded(segment.index);
    if (record.state === 'done' && record.bytes !== undefined && record.hash) {
      const size = await stat(file).then((s) => s.size, () => -1);
      if (size === record.bytes && (await fileSha256(file)) === record.hash) {
        progress.segmentDone(segment.index, segment.frames, size, true);
        state.emit({ event: 'segment', index: segment.index, state: 'skipped', crf: record.crf, bytes: size, frames: segment.frames, file });
        continue;
      }
      state.log('warn', `segment ${segment.index}: its encoded file is missing or changed; encoding it again`);
      await state.store.recordSegment(segment.index, { state: 'pending', hash: undefined, bytes: undefined });
    }
    pending.push(segment);
  }
  return pending;
}

async function encodeSegments(
  state: JobState, pending: PlannedSegment[], settings: Omit<VideoEncodeSettings, 'crf'>, workers: number, progress: ProgressTracker,
  size: { width: number; height: number },
): Promise<void> {
  const { store, layout, emit, tools, options, guard } = state;
  const signal = state.ctx.signal;
  for (const segment of pending) emit({ event: 'segment', index: segment.index, state: 'queued', frames: segment.frames, file: layout.encoded(segment.index) });

  emit({ event: 'phase', phase: 'segment' });
  // Copies run ahead in plan order while the encodes run, so the first encode starts as soon as
  // its own copy exists instead of after every copy.
  const copies = startSegmentCopies(tools, state.input, state.media.video.index, pending, layout.segment, {
    signal, isFatal: (error) => error instanceof CancelledError || Boolean(signal?.aborted) || isNoSpaceError(error), describe: segmentErrorText,
  });
  try {
    await encodeFromCopies(state, pending, copies, settings, workers, progress, size);
  } finally {
    await copies.finish();
  }
  await copies.rethrowFatal();
}

async function encodeFromCopies(
  state: JobState, pending: PlannedSegment[], copies: SegmentCopies, settings: Omit<VideoEncodeSettings, 'crf'>,
  workers: number, progress: ProgressTracker, size: { width: number; height: number },
): Promise<void> {
  const { store, layout, emit, tools, options, guard } = state;
  const signal = state.ctx.signal;
  let encodePhase = false;
  let lastProgress = 0;
  const report = (force = false) => {
    const now = performance.now();
    if (!force && now - lastProgress < 1000) return;
    lastProgress = now;
    emit(progress.snapshot());
  };
  const limit = pLimit(workers);
  let started = 0;
  const running = new Map<number, { frames: number; threads: number }>();
  const failures: { index: number; error: string }[] = [];
  // allSettled, not all: a cancelled or failed job still waits for every running worker to
  // stop and remove its temp file before the manifest is saved and the process exits.
  const settled = await Promise.allSettled(pending.map((segment) => limit(async () => {
    if (signal?.aborted) throw new CancelledError();
    if (!(await guard.mayStartSegment())) return;
    const index = segment.index;
    const file = layout.encoded(index);
    // The last segments take the cores that finished workers leave idle (not with pinned CPU sets).
    const threads = options.pinWorkers || settings.threads === undefined ? settings.threads : tailThreads({
      remaining: pending.length - started, workers, cores: os.availableParallelism(), threadsPerWorker: settings.threads, frames: segment.frames,
      running: [...running].map(([i, r]) => ({ framesLeft: r.frames - progress.framesEncoded(i), threads: r.threads })),
    });
    started++;
    running.set(index, { frames: segment.frames, threads: threads ?? 1 });
    // Removed before the pool starts the next segment (a .finally on the pool's promise runs too late).
    try {
    const copyFailure = await copies.failure(index);
    if (!encodePhase) {
      encodePhase = true;
      emit({ event: 'phase', phase: 'encode' });
    }
    if (signal?.aborted) throw new CancelledError();
    if (copyFailure !== undefined) {
      failures.push({ index, error: copyFailure });
      guard.segmentFailed();
      await store.recordSegment(index, { state: 'failed', lastError: copyFailure });
      emit({ event: 'segment', index, state: 'failed', error: copyFailure, file });
      return;
    }
    if (state.ctx.searchOnly) {
      emit({ event: 'segment', index, state: 'searching', file });
      const decision = await decideCrf({
        segment, options, media: state.media, tools, sourceFile: layout.segment(index), scratchDir: path.join(layout.root, 'probes'), signal, log: state.log,
        workDir: layout.root, encodeSettings: { ...settings, threads }, onProbe: (probe) => emit({ event: 'segment', index, state: 'searching', probe, file }),
      });
      state.ctx.searchOnly({ index, frames: segment.frames, decision });
      return;
    }
    let attempts = store.segment(index).attempts;
    const outcome = await guard.withRetries(async (rung, _n, hooks) => {
      attempts += 1;
      await store.recordSegment(index, { attempts });
      const copyProblem = await segmentCopyProblem(tools, layout.segment(index), segment, signal);
      if (copyProblem) throw new Error(`its segment copy ${copyProblem}`);
      const expectation: SegmentExpectation = {
        frames: segment.frames, durationSeconds: segment.endSeconds - segment.startSeconds, frameSeconds: maxInterval(state.timeline, segment),
        width: size.width, height: size.height, pixelFormat: settings.pixelFormat, colour: settings.colour,
      };
      const attempt = attempts;
      return runSegmentJob({
        crfContext: {
          segment, options, media: state.media, tools, sourceFile: layout.segment(index), scratchDir: path.join(layout.root, 'probes'), attempt: rung, signal, log: state.log,
          workDir: layout.root, onProbe: (probe) => emit({ event: 'segment', index, state: 'searching', probe, attempt, file }),
        },
        settings: { ...settings, threads }, expectation, output: file, tempOutput: layout.encodedTemp(index),
        run: { ...hooks(segment.frames), onFrames: (frames) => { progress.segmentFrames(index, frames); report(); } },
        onState: (segmentState, details) => emit({ event: 'segment', index, state: segmentState, crf: details?.crf, attempt, file }),
      });
    }, (error, attempt, willRetry) => {
      progress.segmentRestarted(index);
      if (willRetry) state.log('warn', `segment ${index}: attempt ${attempt} failed (${segmentErrorText(error)}); trying again`);
    }, signal);
    if (outcome.ok) {
      const result = outcome.value;
      guard.speed.record(segment.frames, result.encodeSeconds);
      await store.recordSegment(index, {
        state: 'done', settingsKey: store.manifest.settingsKey, crf: result.crf, vmaf: result.vmaf, bytes: result.bytes,
        encodedFrames: result.frames, hash: result.hash, lastError: '',
        ...(result.probes.length || result.warning ? { extra: { probes: result.probes, ...(result.warning ? { warning: result.warning } : {}) } } : {}),
      });
      await unlink(layout.segment(index)).catch(() => undefined);
      progress.segmentDone(index, segment.frames, result.bytes);
      const event: SegmentEvent = { event: 'segment', index, state: 'done', crf: result.crf, bytes: result.bytes, frames: result.frames, attempt: attempts, file };
      if (result.vmaf !== undefined) event.vmaf = result.vmaf;
      if (result.peakRssBytes !== undefined) event.peakRssBytes = result.peakRssBytes;
      if (result.warning) event.warning = result.warning;
      emit(event);
      report(true);
      return;
    }
    const message = segmentErrorText(outcome.failures[outcome.failures.length - 1]!.error);
    failures.push({ index, error: message });
    guard.segmentFailed();
    await store.recordSegment(index, { state: 'failed', lastError: message });
    emit({ event: 'segment', index, state: 'failed', error: message, attempt: attempts, file });
    } finally {
      running.delete(index);
    }
  }).catch((error: unknown) => {
    // A full disk (or a bug) stops new segments; the running ones finish or fail on their own.
    if (!(error instanceof CancelledError)) guard.halt(isNoSpaceError(error) ? 'disk-full' : 'error');
    throw error;
  })));
  // Phases keep their order when no segment was left to encode (a finished job run again).
  if (!encodePhase && !signal?.aborted) emit({ event: 'phase', phase: 'encode' });
  if (signal?.aborted) throw new CancelledError();
  const fatal = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (fatal) throw isNoSpaceError(fatal.reason) ? await guard.explainDiskError(fatal.reason).catch((e: unknown) => e) : fatal.reason;
  if (failures.length) {
    failures.sort((a, b) => a.index - b.index);
    if (guard.halted === 'fail-fast') state.log('warn', `--fail-fast: no new segment started after segment ${failures[0]!.index} failed`);
    throw new SegmentsFailedError(state.input, failures, state.plan.segments.length);
  }
}

function segmentErrorText(error: unknown): string {
  if (error instanceof ProcessError) return `ffmpeg failed: ${error.message}`.slice(0, 500);
  return errorMessage(error).split('\n')[0]!.slice(0, 500);
}

async function concatAndMux(state: JobState, mux: ReturnType<typeof planMux>, size: { width: number; height: number }, started: number): Promise<DoneEvent> {
  const { emit, tools, layout, media, plan, output, options } = state;
  const signal = state.ctx.signal;
  emit({ event: 'phase', phase: 'concat' });
  // Checked before each phase: at least the joined video (the encoded segments' size) must fit
  // next to the output; the other streams' size is not known up front, ENOSPC still stops cleanly.
  const encodedBytes = state.store.manifest.segments.reduce((sum, s) => sum + (s.bytes ?? 0), 0);
  await requireFreeSpace(path.dirname(output), encodedBytes + 1024 * 1024, 'needed for the joined output');
  const temp = temporaryOutputPath(output);
  try {
    emit({ event: 'phase', phase: 'mux' });
    try {
      const coverFiles: string[] = [];
      for (const [k, cover] of mux.covers.entries()) {
        const file = path.join(layout.root, `cover_${k}${path.extname(cover.fileName) || '.png'}`);
        await runProcess(tools.ffmpeg, coverExtractArgs(state.input, cover, file), { signal });
        coverFiles.push(file);
      }
      await runProcess(tools.ffmpeg, muxArgs({ segmentList: layout.segmentList, source: state.input, media, plan: mux, audioMode: options.audio, videoStartSeconds: plan.startSeconds, output: temp, coverFiles }), { signal });
    } catch (error) {
      if (error instanceof ProcessError && !isNoSpaceError(error)) throw new UserError(`${output}: joining the segments with the source's streams failed: ${error.message}`, output);
      throw error;
    }
    emit({ event: 'phase', phase: 'validate' });
    const problems = await finalOutputProblems(tools, temp, {
      relativePts: state.timeline.pts.map((p) => p - plan.startSeconds), durationSeconds: plan.durationSeconds,
      frameSeconds: state.timeline.lastFrameSeconds, source: media, mux, pixelFormat: options.pixelFormat, width: size.width, height: size.height,
      colour: media.video.colour, hdr10: Boolean(media.video.mastering),
    }, signal);
    if (problems.length) throw new UserError(`${output}: the joined output failed validation: ${problems.join('; ')}`);
    await placeOutput(temp, output, options.overwrite, state.input);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  const bytes = (await stat(output)).size;
  return {
    event: 'done', output, frames: plan.frames, bytes, seconds: Math.round((performance.now() - started) / 10) / 100, sourceBytes: media.sizeBytes,
    segments: state.store.manifest.segments.map((s) => ({
      index: s.index, crf: s.crf, vmaf: s.vmaf, bytes: s.bytes ?? 0, ...(typeof s.extra?.warning === 'string' ? { warning: s.extra.warning } : {}),
    })),
  };
}
