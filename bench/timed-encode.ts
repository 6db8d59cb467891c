import { runEncodeJob, runSearchJob } from '../server/src/pipeline';
import { parseEncodeOptions, type EncodeOptionsInput } from '../common/options';
import type { DoneEvent, JobEvent, PlanEvent } from '../common/events';
import { featureWorkersStarted } from '../server/src/vmaf/builtin/worker-pool';
import { predictSegment, type SegmentPrediction } from '../server/src/cli/search';
import { ownCpuSeconds, takeToolCpu, type ToolCpu, type ToolWrappers } from './cpu-accounting';

/**
 * One run of the product's own pipeline inside the bench's process, timed: wall seconds, CPU
 * seconds of every ffmpeg/ffprobe by kind (through the timing wrappers) plus this process's own
 * (the VMAF feature threads), and every event it emitted.
 */
export interface Run {
  seconds: number;
  done: DoneEvent;
  plan?: PlanEvent;
  events: JobEvent[];
  probesPerSegment: number;
  /** Segment → its probes, "CRF:VMAF" in the order they were measured (replayed ones included). */
  probes: Map<number, string[]>;
  /** CPU seconds: every ffmpeg/ffprobe by kind, plus this process (VMAF features, JavaScript). */
  cpu: ToolCpu & { node: number; all: number };
  /** VMAF feature worker threads started during the run. */
  vmafWorkersStarted: number;
}

function withTools(options: EncodeOptionsInput, wrappers: ToolWrappers) {
  const vmaf = wrappers.vmafFfmpeg ? { vmafFfmpeg: wrappers.vmafFfmpeg } : {};
  return parseEncodeOptions({ ...options, ...vmaf, ffmpeg: wrappers.ffmpeg, ffprobe: wrappers.ffprobe });
}

async function measured<T>(wrappers: ToolWrappers, work: () => Promise<T>) {
  const started = performance.now();
  takeToolCpu(wrappers);
  const nodeBefore = ownCpuSeconds();
  const workersBefore = featureWorkersStarted();
  const value = await work();
  const seconds = (performance.now() - started) / 1000;
  const node = Math.round((ownCpuSeconds() - nodeBefore) * 100) / 100;
  const tools = takeToolCpu(wrappers);
  return {
    value,
    seconds,
    cpu: { ...tools, node, all: Math.round((tools.total + node) * 100) / 100 },
    vmafWorkersStarted: featureWorkersStarted() - workersBefore,
  };
}

/** `onEvent` sees every event as it comes (e.g. to record how far a long run got). */
export async function timedEncode(wrappers: ToolWrappers, options: EncodeOptionsInput, onEvent?: (e: JobEvent) => void): Promise<Run> {
  const events: JobEvent[] = [];
  const { value: done, ...timing } = await measured(wrappers, () =>
    runEncodeJob(withTools(options, wrappers), {
      onEvent: (e) => {
        events.push(e);
        onEvent?.(e);
      },
    }),
  );
  const probes = new Map<number, string[]>();
  let probeCount = 0;
  for (const e of events) {
    if (e.event !== 'segment' || !e.probe) continue;
    probeCount += 1;
    probes.set(e.index, [...(probes.get(e.index) ?? []), `${e.probe.crf}:${e.probe.vmaf.toFixed(2)}`]);
  }
  const plan = events.find((e): e is PlanEvent => e.event === 'plan');
  return { ...timing, done, plan, events, probes, probesPerSegment: probeCount / done.segments.length };
}

/** `chunked-av1 search` in this process: each segment's decision and predicted size, as the command prints them. */
export async function timedSearch(wrappers: ToolWrappers, options: EncodeOptionsInput) {
  const parsed = withTools(options, wrappers);
  let fps = 0;
  const predictions: SegmentPrediction[] = [];
  const { seconds, cpu } = await measured(wrappers, () =>
    runSearchJob(parsed, {
      onEvent: (e) => {
        if (e.event === 'plan') fps = e.fps;
      },
      searchOnly: ({ index, frames, decision }) => predictions.push(predictSegment(index, frames, decision, parsed, fps)),
    }),
  );
  predictions.sort((a, b) => a.index - b.index);
  return { seconds, cpu, predictions, predictedBytes: predictions.reduce((sum, p) => sum + (p.predictedBytes ?? 0), 0) };
}
