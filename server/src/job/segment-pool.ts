import { unlink, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { CancelledError, UserError, errorMessage } from '../errors';
import type { SegmentEvent } from '../../../common/events';
import { qualityTargetOf } from '../../../common/options';
import { ProcessError } from '../sys';
import { isNoSpaceError } from '../sys';
import type { PlannedSegment } from '../plan';
import { startSegmentCopies, segmentCopyProblem, type SegmentCopies } from '../segment';
import { fileSha256, segmentSettingsKey } from './manifest';
import type { ProgressTracker } from './progress';
import type { JobState } from './job-state';
import { CrfJobState } from '../crf';
import { decideCrf, type CrfEnv } from './crf-context';
import { taskForAttempt } from './segment-task';
import { byExpectedWork, tailThreads } from './workers';
import { segmentExpectedWork, segmentWorkLeft } from './work-model';
import { searchPrediction } from './search-prediction';
import { requireOwnSegmentFiles } from '../workdir';
import { InputChangedError, requireUnchangedInput } from '../probe';

/**
 * The segment stage: every segment's copy, CRF, encode and validation, `workers` at a time on this
 * machine or through the runner. Each segment runs its task from the manifest (segment-task.ts);
 * segments already done and still intact are kept (resume); a failed attempt goes down the retry
 * ladder as the same task with the next rung; the manifest records each result before the next
 * phase may use it.
 */

/** Some segments failed; each one's cause is listed. The job wrote no output. */
export class SegmentsFailedError extends UserError {
  constructor(
    file: string,
    readonly failedSegments: { index: number; error: string }[],
    total: number,
  ) {
    super(
      `${file}: ${failedSegments.length} of ${total} segments failed: ${failedSegments.map((f) => `#${f.index}: ${f.error}`).join('; ')}`,
      file,
    );
    this.name = 'SegmentsFailedError';
  }
}

export async function keepVerifiedSegments(state: JobState, progress: ProgressTracker): Promise<PlannedSegment[]> {
  const pending: PlannedSegment[] = [];
  for (const segment of state.plan.segments) {
    const record = state.store.segment(segment.index);
    const file = state.layout.encoded(segment.index);
    if (record.state === 'done' && record.bytes !== undefined && record.hash) {
      const size = await stat(file).then(
        (s) => s.size,
        () => -1,
      );
      if (size === record.bytes && (await fileSha256(file)) === record.hash) {
        progress.segmentDone(segment.index, segment.frames, size, true);
        state.emit({
          event: 'segment',
          index: segment.index,
          state: 'skipped',
          crf: record.crf,
          bytes: size,
          frames: segment.frames,
          file,
        });
        continue;
      }
      state.log('warn', `segment ${segment.index}: its encoded file is missing or changed; encoding it again`);
      await state.store.recordSegment(segment.index, { state: 'pending', hash: undefined, bytes: undefined });
    }
    pending.push(segment);
  }
  return pending;
}

export async function encodeSegments(
  state: JobState,
  pending: PlannedSegment[],
  workers: number,
  progress: ProgressTracker,
): Promise<void> {
  const { layout, emit, tools } = state;
  const signal = state.ctx.signal;
  for (const segment of pending)
    emit({ event: 'segment', index: segment.index, state: 'queued', frames: segment.frames, file: layout.encoded(segment.index) });

  emit({ event: 'phase', phase: 'segment' });
  // Most expected work first (as Av1an starts the longest): the job ends on its smallest segments, so
  // the tail, when workers find nothing left to start and their cores idle, is as short as the plan allows.
  const targetQuality = qualityTargetOf(state.options) !== undefined;
  const order = byExpectedWork(pending, (s) => segmentExpectedWork(s.frames, targetQuality));
  // Copies run ahead in that same order while the encodes run, so the first encode starts as soon
  // as its own copy exists instead of after every copy.
  const copies = startSegmentCopies(tools, state.input, state.media.video.index, order, (index) => layout.segment(index), {
    signal,
    isFatal: (error) =>
      error instanceof CancelledError || error instanceof InputChangedError || Boolean(signal?.aborted) || isNoSpaceError(error),
    describe: segmentErrorText,
    sourceUnchanged: () => requireUnchangedInput(state.inputWatch),
    container: state.timeline.discardedLeadIn ? 'mov' : 'matroska',
  });
  try {
    await encodeFromCopies(state, order, copies, workers, progress);
  } finally {
    await copies.finish();
  }
  await copies.rethrowFatal();
}

async function encodeFromCopies(
  state: JobState,
  pending: PlannedSegment[],
  copies: SegmentCopies,
  workers: number,
  progress: ProgressTracker,
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
  const targetQuality = qualityTargetOf(options) !== undefined;
  const crfJob = state.ctx.crfJob ?? new CrfJobState();
  let started = 0;
  const running = new Map<number, { frames: number; threads: number }>();
  const failures: { index: number; error: string }[] = [];
  // allSettled, not all: a cancelled or failed job still waits for every running worker to
  // stop and remove its temp file before the manifest is saved and the process exits.
  const settled = await Promise.allSettled(
    pending.map((segment) =>
      limit(async () => {
        if (signal?.aborted) throw new CancelledError();
        if (!(await guard.mayStartSegment())) return;
        const index = segment.index;
        const file = layout.encoded(index);
        const settings = store.task(index).encode;
        // The last segments take the cores that finished workers leave idle (not with pinned CPU sets).
        const threads =
          options.pinWorkers || settings.threads === undefined
            ? settings.threads
            : tailThreads({
                remaining: pending.length - started,
                workers,
                cores: os.availableParallelism(),
                threadsPerWorker: settings.threads,
                work: segmentExpectedWork(segment.frames, targetQuality),
                running: [...running].map(([i, r]) => ({
                  workLeft: segmentWorkLeft({ frames: r.frames, framesEncoded: progress.framesEncoded(i), targetQuality }),
                  threads: r.threads,
                })),
              });
        started++;
        running.set(index, { frames: segment.frames, threads: threads ?? 1 });
        // Removed inside the task, before the pool starts the next segment (a .finally on the pool's promise runs too late).
        try {
          await runSegment(index, file, threads);
        } finally {
          running.delete(index);
        }
      }).catch((error: unknown) => {
        // A full disk (or a bug) stops new segments; the running ones finish or fail on their own.
        if (!(error instanceof CancelledError)) guard.halt(isNoSpaceError(error) ? 'disk-full' : 'error');
        throw error;
      }),
    ),
  );

  /** One segment's copy check, CRF, encode and validation (with retries), or its CRF alone (search). */
  async function runSegment(index: number, file: string, threads: number | undefined): Promise<void> {
    const segment = pending.find((s) => s.index === index)!;
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
    /** This segment's task as the manifest keeps it, and what deciding its CRF needs on this machine. */
    const task = store.task(index);
    const crfEnv: CrfEnv = {
      tools,
      sourceFile: layout.segment(index),
      scratchDir: path.join(layout.root, 'probes'),
      workDir: layout.root,
      crfJob,
      log: state.log,
      ...(signal ? { signal } : {}),
    };
    if (state.ctx.searchOnly) {
      emit({ event: 'segment', index, state: 'searching', file });
      const decision = await decideCrf(taskForAttempt(task, { threads }), {
        ...crfEnv,
        dryRun: true,
        onProbe: (probe) => emit({ event: 'segment', index, state: 'searching', probe, file }),
      });
      // Kept in the record so the report shows the search (predicted CRF, VMAF, size) afterwards.
      const prediction = searchPrediction(decision, segment.frames, {
        frameRate: state.media.video.frameRate,
        samples: options.samples,
        sampleSeconds: options.sampleSeconds,
      });
      await store.recordSegment(index, { extra: { ...store.segment(index).extra, probes: decision.probes, prediction } });
      state.ctx.searchOnly({ index, frames: segment.frames, decision });
      return;
    }
    let attempts = store.segment(index).attempts;
    const outcome = await guard.withRetries(
      async (rung, _n, hooks) => {
        attempts += 1;
        await store.recordSegment(index, { attempts });
        await requireOwnSegmentFiles(layout, index);
        const copyProblem = await segmentCopyProblem(tools, layout.segment(index), segment, signal);
        if (copyProblem) throw new Error(`its segment copy ${copyProblem}`);
        const attempt = attempts;
        const { timeoutMs, ...processHooks } = hooks(segment.frames);
        return state.runner.run(taskForAttempt(task, { rung, threads, timeoutMs }), {
          ...crfEnv,
          onProbe: (probe) => emit({ event: 'segment', index, state: 'searching', probe, attempt, file }),
          output: file,
          tempOutput: layout.encodedTemp(index),
          run: {
            ...processHooks,
            onFrames: (frames) => {
              progress.segmentFrames(index, frames);
              report();
            },
          },
          onState: (segmentState, details) => emit({ event: 'segment', index, state: segmentState, crf: details?.crf, attempt, file }),
        });
      },
      (error, attempt, willRetry) => {
        progress.segmentRestarted(index);
        if (willRetry) state.log('warn', `segment ${index}: attempt ${attempt} failed (${segmentErrorText(error)}); trying again`);
      },
      signal,
    );
    if (outcome.ok) {
      const result = outcome.value;
      guard.speed.record(segment.frames, result.encodeSeconds);
      await store.recordSegment(index, {
        state: 'done',
        settingsKey: segmentSettingsKey(store.manifest.settingsKey, segment.zone),
        crf: result.crf,
        vmaf: result.vmaf,
        ...(result.scores ? { scores: result.scores } : {}),
        bytes: result.bytes,
        encodedFrames: result.frames,
        hash: result.hash,
        lastError: '',
        ...(result.probes.length || result.warning || options.hosts?.length || result.scoredFrames || result.encodes !== undefined
          ? {
              extra: {
                probes: result.probes,
                ...(result.scoredFrames ? { scoredFrames: result.scoredFrames } : {}),
                ...(result.warning ? { warning: result.warning } : {}),
                ...(result.unreachable ? { unreachable: result.unreachable } : {}),
                ...(result.predictedCrf !== undefined ? { predictedCrf: result.predictedCrf } : {}),
                ...(result.encodes !== undefined ? { encodes: result.encodes } : {}),
                ...(options.hosts?.length ? { host: result.host } : {}),
              },
            }
          : {}),
      });
      await unlink(layout.segment(index)).catch(() => undefined);
      progress.segmentDone(index, segment.frames, result.bytes);
      const event: SegmentEvent = {
        event: 'segment',
        index,
        state: 'done',
        crf: result.crf,
        bytes: result.bytes,
        frames: result.frames,
        attempt: attempts,
        file,
      };
      if (result.vmaf !== undefined) event.vmaf = result.vmaf;
      if (result.scores) event.scores = result.scores;
      if (result.peakRssBytes !== undefined) event.peakRssBytes = result.peakRssBytes;
      if (result.warning) event.warning = result.warning;
      if (result.unreachable) event.unreachable = result.unreachable;
      if (result.predictedCrf !== undefined) event.predictedCrf = result.predictedCrf;
      if (options.hosts?.length) event.host = result.host;
      emit(event);
      report(true);
      return;
    }
    const message = segmentErrorText(outcome.failures[outcome.failures.length - 1]!.error);
    failures.push({ index, error: message });
    guard.segmentFailed();
    await store.recordSegment(index, { state: 'failed', lastError: message });
    emit({ event: 'segment', index, state: 'failed', error: message, attempt: attempts, file });
  }
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
