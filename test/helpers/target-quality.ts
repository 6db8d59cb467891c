import assert from 'node:assert/strict';
import type { DoneEvent, JobEvent, SegmentEvent } from '../../common/events';
import { encodeOptionsFromArgv } from '../../server/src/cli/encode';
import { runEncodeJob } from '../../server/src/pipeline';
import { decodedFrameCount, ffprobeJson } from './clips';

/** `--target-vmaf 93` encodes through the CLI's own argument parser, and what every one must show. */
export const TARGET = 93;
/** The retry ladder's last rung lowers the target by 2; the verification allows 0.5 under it. */
const LOWEST_ACCEPTED = TARGET - 2 - 0.5;
export const SAMPLED = ['--samples', '1', '--sample-duration', '0.5'];

export interface Encoded {
  done: DoneEvent;
  events: JobEvent[];
}

export async function encodeWithCli(input: string, output: string, extra: string[]): Promise<Encoded> {
  const parsed = encodeOptionsFromArgv([
    input,
    '-o',
    output,
    '--target-vmaf',
    String(TARGET),
    '--preset',
    '13',
    '--segment-seconds',
    '1',
    // The default split (scene) on clips of one shot: a 1 s maximum splits the shot at any frame
    // (into pieces of at least 0.5 s: a 2 s VFR clip that ends at 1.97 s still makes two).
    '--max-segment-seconds',
    '1',
    '--min-segment-seconds',
    '0.5',
    '--vmaf-subsample',
    '4',
    ...extra,
  ]);
  assert.ok(!parsed.help);
  const events: JobEvent[] = [];
  const done = await runEncodeJob(parsed.options, { onEvent: (e) => events.push(e) });
  return { done, events };
}

export function streamTypes(file: string): (string | undefined)[] {
  return ffprobeJson(file, ['-show_entries', 'stream=codec_type']).streams.map((s) => s.codec_type);
}

/** Success, every frame, every stream, and a searched CRF plus a verified VMAF for every segment. */
export function assertTargetQualityEncode(source: string, output: string, { done, events }: Encoded): void {
  assert.equal(done.output, output);
  const frames = decodedFrameCount(source);
  assert.equal(done.frames, frames, 'frames reported');
  assert.equal(decodedFrameCount(output), frames, 'frames decoded from the output');
  assert.deepEqual(streamTypes(output), streamTypes(source), 'the same streams in the same order');
  assert.ok(done.segments.length >= 2, `several segments (${done.segments.length})`);
  for (const segment of done.segments) {
    const probes = events.filter((e): e is SegmentEvent => e.event === 'segment' && e.index === segment.index && !!e.probe);
    assert.ok(probes.length >= 1, `segment ${segment.index} was searched`);
    assert.equal(typeof segment.crf, 'number', `segment ${segment.index} has a CRF`);
    assert.equal(typeof segment.vmaf, 'number', `segment ${segment.index} has a verified VMAF`);
    assert.ok(
      segment.vmaf! >= LOWEST_ACCEPTED || segment.crf === 10,
      `segment ${segment.index}: verified VMAF ${segment.vmaf} at CRF ${segment.crf}`,
    );
    const doneEvent = events.find((e): e is SegmentEvent => e.event === 'segment' && e.index === segment.index && e.state === 'done');
    assert.equal(doneEvent?.vmaf, segment.vmaf, `segment ${segment.index}'s done event carries the verified VMAF`);
  }
}
