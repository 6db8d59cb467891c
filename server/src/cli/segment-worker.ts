import { copyFile, mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UsageError, errorMessage, CancelledError, EXIT_CANCELLED } from '../errors';
import { resolveTools } from '../sys';
import { runSegmentTask, SegmentValidationError } from '../job';
import { remoteJobFiles } from '../hosts';
import { REMOTE_TASK_VERSION, parseRemoteTask, type RemoteResult } from '../hosts';
import { HEARTBEAT_MS, formatWorkerReport, type WorkerReport } from '../hosts';
import { installShutdownHandlers } from '../job';
import { QUALITY_CACHE_FILE, crfJobFrom, learntOnHost } from '../crf';
import { holdVmafWorkers } from '../vmaf';

/**
 * `chunked-av1 segment-worker remote/ID.job.json`: one segment's task on a remote host, started by
 * GNU parallel in the job's own remote folder (see hosts/parallel-args.ts). It runs the task it
 * was sent with runSegmentTask, as a local worker does (CRF decision, encode, validation), on the
 * copy GNU parallel sent, and writes the result file GNU parallel brings back. A failed encode is a result too (exit 0):
 * a non-zero exit means the host itself failed, which GNU parallel retries on another host.
 * While it runs it reports frames, state and a heartbeat on stdout (hosts/worker-report.ts); its
 * encoder gets the time-out this machine worked out by the local rule (the task's timeoutMs).
 */
export const SEGMENT_WORKER_USAGE = 'usage: chunked-av1 segment-worker remote/ID.job.json (started by --hosts on each host)';

export async function runSegmentWorkerCommand(argv: string[]): Promise<number> {
  if (argv.length !== 1 || argv[0]!.startsWith('-')) throw new UsageError(SEGMENT_WORKER_USAGE);
  const { id, task, crfMemory } = parseRemoteTask(await readFile(argv[0]!, 'utf8'), argv[0]!);
  const files = remoteJobFiles(id);
  const report = (line: WorkerReport) => process.stdout.write(`${formatWorkerReport(line)}\n`);
  const heartbeat = setInterval(() => report({ kind: 'alive' }), HEARTBEAT_MS);
  heartbeat.unref();
  report({ kind: 'alive' });
  let lastFrames = -1;
  const controller = new AbortController();
  const removeHandlers = installShutdownHandlers(controller, { onFirstSignal: () => undefined });
  let result: RemoteResult;
  // The search keeps its quality cache in its work dir: start from this machine's, send ours back.
  const cacheDir = path.resolve(`${files.job}.cache`);
  await mkdir(cacheDir, { recursive: true });
  await copyFile(files.qualityCache, path.join(cacheDir, QUALITY_CACHE_FILE)).catch(() => undefined);
  // The segment's probes come minutes apart: its VMAF threads stay for the whole segment job.
  const vmafWorkers = holdVmafWorkers();
  const crfJob = crfJobFrom(crfMemory, task.segment.index);
  try {
    const outcome = await runSegmentTask(task, {
      tools: resolveTools(),
      sourceFile: files.source,
      scratchDir: path.resolve(`${files.job}.probes`),
      signal: controller.signal,
      workDir: cacheDir,
      // One segment per worker run, with what the job had learnt when it left (its predictor's labels):
      // what this segment teaches goes back in the result.
      crfJob,
      output: files.output,
      tempOutput: files.output.replace(/\.out\.mkv$/, '.tmp.mkv'),
      run: {
        onFrames: (frames) => {
          if (frames === lastFrames) return;
          lastFrames = frames;
          report({ kind: 'frames', frames });
        },
      },
      onState: (state, details) => report({ kind: 'state', state, ...(details?.crf === undefined ? {} : { crf: details.crf }) }),
    });
    const { scoredFrames: _scoredFrames, ...fields } = outcome;
    result = {
      version: REMOTE_TASK_VERSION,
      ok: true,
      ...fields,
      learnt: learntOnHost(crfJob, task.segment.index, crfMemory),
      hostname: os.hostname(),
    };
  } catch (error) {
    if (error instanceof CancelledError || controller.signal.aborted) return EXIT_CANCELLED;
    result = { version: REMOTE_TASK_VERSION, ok: false, error: errorMessage(error).split('\n')[0]!.slice(0, 500), hostname: os.hostname() };
    if (error instanceof SegmentValidationError) result.problems = error.problems;
  } finally {
    vmafWorkers.release();
    removeHandlers();
    clearInterval(heartbeat);
  }
  await copyFile(path.join(cacheDir, QUALITY_CACHE_FILE), files.qualityCache).catch(() => undefined);
  await writeFile(`${files.result}.tmp`, JSON.stringify(result));
  await rename(`${files.result}.tmp`, files.result);
  report({ kind: 'end' });
  return 0;
}
