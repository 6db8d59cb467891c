/**
 * How many segments encode at once and how many SVT-AV1 threads (`lp`) each gets. Pure.
 *
 * DEFAULT_THREADS_PER_WORKER is the one constant that bench/workers informs: on a 2-core machine
 * it decides between 1 worker x 2 threads and 2 workers x 1 thread.
 */
export const DEFAULT_THREADS_PER_WORKER = 1;

export interface WorkerInputs {
  cores: number;
  /** Memory available to new processes (bytes). */
  availableMemoryBytes: number;
  /** Estimated peak memory of one worker at this resolution (bytes). */
  memoryPerWorkerBytes: number;
  /** Segments to encode (no point in more workers than that). */
  segments: number;
  /** --workers. */
  requested?: number;
  threadsPerWorker?: number;
}

export interface WorkerPlan {
  workers: number;
  threadsPerWorker: number;
  limitedBy: 'cores' | 'memory' | 'segments' | 'requested';
}

export function planWorkers(inputs: WorkerInputs): WorkerPlan {
  const cores = Math.max(1, Math.floor(inputs.cores));
  const segments = Math.max(1, inputs.segments);
  if (inputs.requested !== undefined) {
    const workers = Math.max(1, Math.min(inputs.requested, segments));
    return { workers, threadsPerWorker: Math.max(1, Math.floor(cores / workers)), limitedBy: 'requested' };
  }
  const threadsPerWorker = Math.max(1, Math.min(cores, inputs.threadsPerWorker ?? DEFAULT_THREADS_PER_WORKER));
  const byCores = Math.max(1, Math.floor(cores / threadsPerWorker));
  const byMemory = Math.max(1, Math.floor(inputs.availableMemoryBytes / Math.max(1, inputs.memoryPerWorkerBytes)));
  const workers = Math.min(byCores, byMemory, segments);
  const limitedBy: WorkerPlan['limitedBy'] =
    workers === byMemory && byMemory < byCores ? 'memory' : workers === segments && segments < byCores ? 'segments' : 'cores';
  // Cores left over when fewer workers run than the cores allow go to the workers that do run.
  const spare = Math.max(threadsPerWorker, Math.floor(cores / workers));
  return { workers, threadsPerWorker: limitedBy === 'cores' ? threadsPerWorker : spare, limitedBy };
}

export interface TailInputs {
  /** Segments not yet started, the one about to start included. */
  remaining: number;
  workers: number;
  cores: number;
  threadsPerWorker: number;
  /** Frames of the segment about to start. */
  frames: number;
  /** The segments running now: frames each has left to encode and its threads. */
  running: readonly { framesLeft: number; threads: number }[];
}

/**
 * SVT-AV1 threads (`lp`) for the next segment to start. While at least as many segments wait as
 * there are workers, the queue keeps every core busy: the planned count. Once fewer remain, the
 * workers that finish find nothing to start and their cores would idle until the job ends, so the
 * last segments share what the running ones will not use while they run: the running segments'
 * threads count in proportion to how much of this segment's span they still cover (a segment
 * nearly done frees its cores almost at once; one that started with this one does not). Pure.
 */
export function tailThreads(inputs: TailInputs): number {
  const cores = Math.max(1, Math.floor(inputs.cores));
  const base = Math.max(1, inputs.threadsPerWorker);
  if (inputs.remaining >= inputs.workers || inputs.remaining < 1) return base;
  const span = Math.max(1, inputs.frames);
  const busy = inputs.running.reduce((sum, r) => sum + r.threads * Math.min(1, Math.max(0, r.framesLeft) / span), 0);
  return Math.max(base, Math.min(cores, Math.round((cores - busy) / inputs.remaining)));
}

/**
 * The order to start segments in: longest first (as Av1an does), so the job ends on short
 * segments and the tail is short. Ties keep plan order. Pure; returns a new array.
 */
export function longestFirst<T extends { index: number; frames: number }>(segments: readonly T[]): T[] {
  return [...segments].sort((a, b) => b.frames - a.frames || a.index - b.index);
}
