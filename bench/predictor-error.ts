/**
 * bench/predictor-error — issue 22's per-job CRF predictor on the quick 360p clip of
 * bench/target-quality (static bars, testsrc2, mandelbrot; --repeats times): one --target-vmaf job
 * through the product's pipeline, then, from the job's CrfJobState, each verified segment's label
 * (its CRF at T), what the predictor said before it, and the encodes the segment cost.
 *
 *   node -r ./test/register.cjs bench/predictor-error.ts [--target 93] [--preset 10] [--part-seconds 7]
 *        [--repeats 2] [--segment-seconds 2] [--size 640x360] [--out FILE]
 *
 * Prints one JSON object: per segment (predicted, label, chosen CRF, verified VMAF, probe events,
 * whether it took the final-encode path), the predictor's mean and worst error in CRF over all
 * predictions and over the confident ones, and encodes per segment (every probe event is one
 * encode; a segment encoded after its search adds one).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runEncodeJob } from '../server/src/pipeline';
import { parseEncodeOptions } from '../common/options';
import type { JobEvent, SegmentEvent } from '../common/events';
import { CrfJobState } from '../server/src/crf';
import { predictorError } from '../server/src/crf/crf-predictor';
import { complexityClip } from '../test/helpers/complexity-clip';

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-bench-predictor-'));
  try {
    const target = Number(flag('target', '93'));
    const input = complexityClip(path.join(dir, 'parts.mkv'), {
      partSeconds: Number(flag('part-seconds', '7')),
      repeats: Number(flag('repeats', '2')),
      size: flag('size', '640x360'),
    });
    const crfJob = new CrfJobState();
    const events: JobEvent[] = [];
    const started = performance.now();
    const done = await runEncodeJob(
      parseEncodeOptions({
        input,
        output: path.join(dir, 'out.mkv'),
        workDir: path.join(dir, 'work'),
        targetVmaf: target,
        preset: Number(flag('preset', '10')),
        segmentSeconds: Number(flag('segment-seconds', '2')),
        minCrf: 10,
        maxCrf: 55,
      }),
      { crfJob, onEvent: (e) => events.push(e) },
    );
    const seconds = (performance.now() - started) / 1000;
    const segmentEvents = events.filter((e): e is SegmentEvent => e.event === 'segment');
    const perSegment = done.segments.map((s) => {
      const mine = segmentEvents.filter((e) => e.index === s.index);
      const probes = mine.filter((e) => e.probe).map((e) => e.probe!.crf);
      const doneEvent = mine.find((e) => e.state === 'done');
      const label = crfJob.labels.find((l) => l.segment === s.index);
      // The final-encode path reports its encodes as probes, the first at the predicted CRF, and then an 'encoding' state.
      const finalPath =
        doneEvent?.predictedCrf !== undefined && probes[0] === doneEvent.predictedCrf && mine.some((e) => e.state === 'encoding');
      const encodedAfterSearch = !finalPath && mine.some((e) => e.state === 'encoding');
      return {
        index: s.index,
        predicted: doneEvent?.predictedCrf,
        label: label ? Math.round(label.crf * 100) / 100 : undefined,
        crf: s.crf,
        vmaf: s.vmaf === undefined ? undefined : Math.round(s.vmaf * 100) / 100,
        probes,
        finalPath,
        encodes: probes.length + (encodedAfterSearch ? 1 : 0),
        unreachable: s.unreachable,
      };
    });
    const confident = crfJob.labels.filter((l) => perSegment.find((p) => p.index === l.segment)?.finalPath);
    const result = {
      target,
      seconds,
      segments: done.segments.length,
      finalPathShare: perSegment.filter((p) => p.finalPath).length / perSegment.length,
      encodesPerSegment: perSegment.reduce((s, p) => s + p.encodes, 0) / perSegment.length,
      hitRate:
        done.segments.filter((s) => s.vmaf !== undefined && s.vmaf >= target - 0.5 && s.vmaf <= target + 2).length / done.segments.length,
      belowTMinus05: done.segments.filter((s) => s.vmaf !== undefined && s.vmaf < target - 0.5).length,
      predictorError: { all: predictorError(crfJob.labels), finalPath: predictorError(confident) },
      perSegment,
    };
    const text = JSON.stringify(result, null, 2);
    console.log(text);
    const out = flag('out', '');
    if (out) writeFileSync(out, text + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
