import assert from 'node:assert/strict';
import { parseEncodeOptions } from '../../common/options';
import { buildSegmentTasks, crfOptionsOf, segmentTaskSchema, taskForAttempt, type TaskFacts } from '../../server/src/job/segment-task';
import { crfContextFor } from '../../server/src/job/crf-context';
import { manifestSchema } from '../../server/src/job/manifest';
import { crfStrategyFor } from '../../server/src/crf/choose-strategy';
import { fixedCrf } from '../../server/src/crf/crf-strategy';
import { CrfJobState } from '../../server/src/crf/crf-job-state';
import { searchSegmentCrf } from '../../server/src/crf/target-quality';
import { TARGET_QUALITY_LADDER } from '../../server/src/crf/retry-ladder';
import { segmentVideoSettings } from '../../server/src/encode/video-settings';
import { planSegments } from '../../server/src/plan/plan';
import { buildTimeline } from '../../server/src/probe/frames';
import type { MediaInfo } from '../../server/src/probe/media-info';

// 3 s at 24 fps, a keyframe each second: three 1 s segments.
const timeline = buildTimeline(
  Array.from({ length: 72 }, (_, i) => ({ pts: i / 24, key: i % 24 === 0 })),
  24,
);
const plan = planSegments(timeline, { segmentSeconds: 1 });
const media: MediaInfo = {
  file: '/in/source.mkv',
  formatName: 'matroska,webm',
  durationSeconds: 3,
  startSeconds: 0,
  sizeBytes: 123456,
  video: {
    index: 0,
    codec: 'h264',
    width: 321,
    height: 180,
    pixFmt: 'yuv420p',
    bitDepth: 8,
    chroma: 420,
    frameRate: 24,
    colour: { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', range: 'tv' },
    tags: {},
    disposition: {},
  },
  streams: [],
  chapters: [],
  tags: {},
};
const source = { path: '/in/source.mkv', size: 123456, mtimeMs: 1700000000000, edgeHash: 'ab'.repeat(32) };

function factsFor(options: ReturnType<typeof parseEncodeOptions>): TaskFacts {
  return { plan, options, media, timeline, source, threads: 4, size: { width: 320, height: 180 } };
}

/** What a manifest or a host gets back: the JSON text parsed with the task's own schema. */
const roundTrip = (value: unknown) => segmentTaskSchema.parse(JSON.parse(JSON.stringify(value)));

describe('segment task', () => {
  it('is built once per planned segment with the settings, the expectation and a fixed CRF policy', () => {
    const options = parseEncodeOptions({ input: '/in/source.mkv', crf: 28, preset: 10 });
    const tasks = buildSegmentTasks(factsFor(options));
    assert.equal(tasks.length, plan.segments.length);
    assert.equal(tasks.length, 3);
    for (const [i, task] of tasks.entries()) {
      assert.deepEqual(task.segment, plan.segments[i]);
      assert.deepEqual(task.source, source);
      assert.deepEqual(task.video, { width: 321, height: 180, frameRate: 24 });
      assert.deepEqual(task.encode, JSON.parse(JSON.stringify(segmentVideoSettings(options, media, 4, { width: 320, height: 180 }))));
      assert.deepEqual(task.crf, { kind: 'fixed', crf: 28 });
      assert.equal(task.expect.frames, 24);
      assert.ok(Math.abs(task.expect.durationSeconds - 1) < 1e-9);
      assert.ok(Math.abs(task.expect.frameSeconds - 1 / 24) < 1e-9);
      assert.deepEqual([task.expect.width, task.expect.height, task.expect.pixelFormat], [320, 180, options.pixelFormat]);
      assert.equal(task.timeoutMs, undefined, 'the time-out is set per attempt');
      assert.deepEqual(roundTrip(task), task);
    }
    assert.equal(crfStrategyFor(tasks[0]!.crf), fixedCrf);
  });

  it('carries only what the search reads as its target policy, and names the search as its strategy', () => {
    const options = parseEncodeOptions({ input: '/in/source.mkv', targetVmaf: 93, minCrf: 20, maxCrf: 50, samples: 4, strict: true });
    const [task] = buildSegmentTasks(factsFor(options));
    assert.deepEqual(task!.crf, {
      kind: 'target',
      targetVmaf: 93,
      minCrf: 20,
      maxCrf: 50,
      samples: 4,
      sampleSeconds: options.sampleSeconds,
      vmafSubsample: options.vmafSubsample,
      vmafPool: options.vmafPool,
      vmafEngine: options.vmafEngine,
      probePreset: options.probePreset,
      strict: true,
      maxEncodedPercent: options.maxEncodedPercent,
    });
    assert.equal(crfStrategyFor(task!.crf), searchSegmentCrf);
    assert.deepEqual(roundTrip(task), task);
    // What crf/ reads of the options is what the options said.
    const read = crfOptionsOf(task!);
    for (const key of ['targetVmaf', 'minCrf', 'maxCrf', 'samples', 'sampleSeconds', 'vmafSubsample', 'vmafPool', 'vmafEngine'] as const)
      assert.equal(read[key], options[key], key);
    assert.equal(read.crf, undefined);
  });

  it('applies an attempt (rung, threads, time-out) to a copy; the task itself is unchanged', () => {
    const options = parseEncodeOptions({ input: '/in/source.mkv', targetVmaf: 93 });
    const [task] = buildSegmentTasks(factsFor(options));
    const before = structuredClone(task!);
    const rung = TARGET_QUALITY_LADDER[2]!;
    const attempt = taskForAttempt(task!, { rung, threads: 6, timeoutMs: 120000 });
    assert.deepEqual(task, before);
    assert.equal(attempt.encode.threads, 6);
    assert.equal(attempt.timeoutMs, 120000);
    assert.equal(attempt.crf.kind === 'target' && attempt.crf.rung, rung);
    assert.deepEqual(roundTrip(attempt), attempt);
    // A fixed CRF's ladder tries the same settings again: nothing to apply.
    const [fixed] = buildSegmentTasks(factsFor(parseEncodeOptions({ input: '/in/source.mkv', crf: 30 })));
    assert.deepEqual(taskForAttempt(fixed!, { rung }).crf, { kind: 'fixed', crf: 30 });
  });

  it('gives the CRF stage its context from the task and what is local', async () => {
    const options = parseEncodeOptions({ input: '/in/source.mkv', targetVmaf: 90 });
    const [task] = buildSegmentTasks(factsFor(options));
    const rung = TARGET_QUALITY_LADDER[1]!;
    const crfJob = new CrfJobState();
    const env = {
      tools: { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' },
      sourceFile: '/w/segments/s.mkv',
      scratchDir: '/w/probes',
      workDir: '/w',
      crfJob,
    };
    const context = crfContextFor(taskForAttempt(task!, { rung }), env);
    assert.equal(context.segment, task!.segment);
    assert.equal(context.attempt, rung);
    assert.equal(context.crfJob, crfJob);
    assert.deepEqual(context.sourceIdentity, source);
    assert.deepEqual(context.encodeSettings, task!.encode);
    assert.deepEqual(context.media.video, task!.video);
    assert.equal(context.options.targetVmaf, 90);
    const [fixed] = buildSegmentTasks(factsFor(parseEncodeOptions({ input: '/in/source.mkv', crf: 31 })));
    assert.equal((await fixedCrf(crfContextFor(fixed!, env))).crf, 31);
    assert.equal(crfContextFor(fixed!, env).attempt, undefined);
  });

  it('refuses a task that is not one: a CRF out of range, unsafe encoder parameters, a missing expectation', () => {
    const [task] = buildSegmentTasks(factsFor(parseEncodeOptions({ input: '/in/source.mkv', crf: 30 })));
    assert.equal(segmentTaskSchema.safeParse({ ...task, crf: { kind: 'fixed', crf: 999 } }).success, false);
    assert.equal(segmentTaskSchema.safeParse({ ...task, encode: { ...task!.encode, svtParams: 'lp=2;rm -rf' } }).success, false);
    const { expect: _expect, ...withoutExpectation } = task!;
    assert.equal(segmentTaskSchema.safeParse(withoutExpectation).success, false);
    assert.equal(segmentTaskSchema.safeParse({ ...task, crf: { kind: 'search', target: 90 } }).success, false);
  });

  it('is stored in the manifest; a manifest written before tasks existed still reads', () => {
    const tasks = buildSegmentTasks(factsFor(parseEncodeOptions({ input: '/in/source.mkv' })));
    const manifest = {
      version: 1,
      input: source,
      output: '/out.mkv',
      settings: { crf: 35, preset: 8, svtParams: '', keyintSeconds: 10, pixelFormat: 'yuv420p10le', segmentSeconds: 1 },
      settingsKey: 'k',
      plan,
      segments: plan.segments.map((s) => ({ index: s.index, startFrame: s.startFrame, frames: s.frames, state: 'pending', attempts: 0 })),
      status: 'running',
      updatedAt: new Date(0).toISOString(),
    };
    assert.equal(manifestSchema.parse(manifest).tasks, undefined);
    assert.deepEqual(manifestSchema.parse(JSON.parse(JSON.stringify({ ...manifest, tasks }))).tasks, tasks);
  });
});
