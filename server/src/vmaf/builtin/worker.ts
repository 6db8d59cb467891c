import { parentPort } from 'node:worker_threads';
import { computeFrameFeatures, type FrameJob } from './frame-features';

/**
 * Worker-thread entry of the built-in VMAF engine (bundled as dist/vmaf-worker.js). It receives
 * frame jobs and answers with their features; errors are sent back rather than thrown. A
 * `{ close: true }` message makes it leave by closing its port (never terminated mid-job).
 */
parentPort?.on('message', (job: FrameJob | { close: true }) => {
  if ('close' in job) {
    parentPort!.close();
    return;
  }
  try {
    parentPort!.postMessage({ ok: true, features: computeFrameFeatures(job) });
  } catch (error) {
    parentPort!.postMessage({ ok: false, id: job.id, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
