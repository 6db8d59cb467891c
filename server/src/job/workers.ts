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
