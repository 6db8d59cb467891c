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
  /** Expected work of the segment about to start (work-model.ts units: search, encode and check). */
  work: number;
  /** The segments running now: the work each has left (its search counted) and its threads. */
  running: readonly { workLeft: number; threads: number }[];
}

/**
 * The cores the running segments will not use while a segment of `work` runs: each running
 * segment's threads count in proportion to how much of that span its own remaining work covers
 * (one nearly done frees its cores almost at once; one that started with this one does not). Pure.
 */
export function freeCores(cores: number, work: number, running: TailInputs['running']): number {
  const span = Math.max(1e-9, work);
  const busy = running.reduce((sum, r) => sum + r.threads * Math.min(1, Math.max(0, r.workLeft) / span), 0);
  return Math.max(0, Math.floor(cores) - busy);
}

/**
 * SVT-AV1 threads (`lp`) for the next segment to start, from the cores actually free. While at
 * least as many segments wait as there are workers, the queue keeps every core busy: the planned
 * count. Once fewer remain, the workers that finish find nothing to start and their cores would
 * idle until the job ends, so the last segments share the cores the running ones leave free
 * (freeCores). Remaining work is counted in expected work, search included, not in final-encode
 * frames: a neighbour still searching is busy for its search and its encode. Pure.
 */
export function tailThreads(inputs: TailInputs): number {
  const cores = Math.max(1, Math.floor(inputs.cores));
  const base = Math.max(1, inputs.threadsPerWorker);
  if (inputs.remaining >= inputs.workers || inputs.remaining < 1) return base;
  return Math.max(base, Math.min(cores, Math.round(freeCores(cores, inputs.work, inputs.running) / inputs.remaining)));
}

/**
 * The order to start segments in: most expected work first (as Av1an starts the longest), so the
 * job ends on its smallest segments and the tail is short. Ties keep plan order. Pure; returns a
 * new array.
 */
export function byExpectedWork<T extends { index: number }>(segments: readonly T[], work: (segment: T) => number): T[] {
  const expected = new Map(segments.map((s) => [s, work(s)]));
  return [...segments].sort((a, b) => expected.get(b)! - expected.get(a)! || a.index - b.index);
}

/** Longest first: byExpectedWork when every frame costs the same. */
export function longestFirst<T extends { index: number; frames: number }>(segments: readonly T[]): T[] {
  return byExpectedWork(segments, (s) => s.frames);
}
