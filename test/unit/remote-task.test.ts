import assert from 'node:assert/strict';
import { parseEncodeOptions } from '../../common/options';
import { buildSegmentTasks, taskForAttempt, type TaskFacts } from '../../server/src/job/segment-task';
import { CrfJobState } from '../../server/src/crf/crf-job-state';
import { predictSegmentCrf, type CrfLabel } from '../../server/src/crf/crf-predictor';
import { windowFeature } from '../../server/src/crf/content-window';
import { crfJobFrom, crfMemoryFor, learntOnHost, mergeRemoteLearnt } from '../../server/src/crf/remote-label';
import { TARGET_QUALITY_LADDER } from '../../server/src/crf/retry-ladder';
import {
  REMOTE_TASK_VERSION,
  parseRemoteResult,
  parseRemoteTask,
  type RemoteResult,
  type RemoteTask,
} from '../../server/src/hosts/remote-task';
import { planSegments } from '../../server/src/plan/plan';
import { buildTimeline } from '../../server/src/probe/frames';
import type { MediaInfo } from '../../server/src/probe/media-info';

// 6 s at 24 fps, a keyframe each second: six 1 s segments.
const timeline = buildTimeline(
  Array.from({ length: 144 }, (_, i) => ({ pts: i / 24, key: i % 24 === 0 })),
  24,
);
const plan = planSegments(timeline, { segmentSeconds: 1 });
const media = {
  file: '/in/source.mkv',
  formatName: 'matroska,webm',
  durationSeconds: 6,
  startSeconds: 0,
  sizeBytes: 123456,
  video: {
    index: 0,
    codec: 'h264',
    width: 320,
    height: 180,
    pixFmt: 'yuv420p',
    bitDepth: 8,
    chroma: 420,
    frameRate: 24,
    colour: {},
    tags: {},
    disposition: {},
  },
  streams: [],
  chapters: [],
  tags: {},
} satisfies MediaInfo;
const source = { path: '/in/source.mkv', size: 123456, mtimeMs: 1700000000000, edgeHash: 'cd'.repeat(32) };
const facts = (targetVmaf: number): TaskFacts => ({
  plan,
  options: parseEncodeOptions({ input: source.path, targetVmaf }),
  media,
  timeline,
  source,
  threads: 2,
  size: { width: 320, height: 180 },
});

/**
 * Windows recorded on bench/film (test/unit/window-match.test.ts's FILM): two action segments
 * (CRF 39 and 40 at T = 93) and a detail one (25); the window plan is the film's (48 frames, 480x270).
 */
const windowPlan = { frames: 48, width: 480, height: 270 };
const ACTION_4: CrfLabel = {
  segment: 0,
  bitsPerPixel: 0.1,
  window: windowFeature({ vmaf: 96.83, bytes: 53793, plan: windowPlan }),
  crf: 39,
};
const ACTION_5: CrfLabel = {
  segment: 1,
  bitsPerPixel: 0.1,
  window: windowFeature({ vmaf: 96.65, bytes: 51104, plan: windowPlan }),
  crf: 40,
  predicted: 39,
};
const DETAIL_9: CrfLabel = {
  segment: 2,
  bitsPerPixel: 0.1,
  window: windowFeature({ vmaf: 89.88, bytes: 50769, plan: windowPlan }),
  crf: 25,
};
/** The next action segment's window (the film's segment 6), as the host measures it from its copy. */
const ACTION_6_WINDOW = windowFeature({ vmaf: 95.57, bytes: 46059, plan: windowPlan });

function localJob(): CrfJobState {
  const job = new CrfJobState();
  for (const label of [ACTION_4, ACTION_5, DETAIL_9]) job.recordLabel(label);
  job.slopes.push(0.07, 0.08);
  return job;
}

/** The envelope as the hosts runner writes it, read back as the worker reads it. */
const wire = (envelope: RemoteTask) => parseRemoteTask(JSON.stringify(envelope), 'remote/3-1.job.json');

describe('a remote segment and the CRF predictor (remote-task.ts, remote-label.ts)', () => {
  it("carries the job's labels with their fingerprints, so the host predicts the CRF this machine would", () => {
    const task = taskForAttempt(buildSegmentTasks(facts(93))[3]!, { rung: TARGET_QUALITY_LADDER[0]!, threads: 2, timeoutMs: 60000 });
    const job = localJob();
    const envelope: RemoteTask = { version: REMOTE_TASK_VERSION, id: '3-1', task, crfMemory: crfMemoryFor(job, 3) };
    const received = wire(envelope);
    assert.deepEqual(received, envelope);
    // The host's state, seeded from the envelope, predicts what the local one predicts: confident,
    // from the action labels, on the fingerprint it measures itself.
    const host = crfJobFrom(received.crfMemory, 3);
    assert.equal(host.historyOf(3).length, 0, 'a first attempt: the final-encode-first path is open');
    const features = { segment: 3, bitsPerPixel: 0.1, window: ACTION_6_WINDOW };
    const ask = (labels: CrfLabel[], slopes: number[]) =>
      predictSegmentCrf({ segment: features, labels, minCrf: 10, maxCrf: 55, slope: slopes.at(-1)! });
    const there = ask(host.labels, host.slopes);
    const here = ask(job.labels, job.slopes);
    assert.deepEqual(there, here);
    assert.equal(there.confident, true, there.reason);
    assert.ok(there.crf >= 39 && there.crf <= 40, `predicted ${there.crf}`);
    // A fresh host (no memory) has nothing to predict from: it would search from scratch.
    assert.equal(ask(crfJobFrom(undefined, 3).labels, [0.07]).source, 'none');
  });

  it("a segment's earlier attempts travel too, so a retry on a host searches as it would here", () => {
    const task = buildSegmentTasks(facts(93))[3]!;
    const job = localJob();
    job.recordAttempt(3, (n) => `attempt ${n} on host-a: segment 3: verified VMAF 91.2 under 92.5`);
    const received = wire({ version: REMOTE_TASK_VERSION, id: '3-2', task, crfMemory: crfMemoryFor(job, 3) });
    const host = crfJobFrom(received.crfMemory, 3);
    assert.deepEqual(host.historyOf(3), ['attempt 1 on host-a: segment 3: verified VMAF 91.2 under 92.5']);
    assert.deepEqual(host.historyOf(2), []);
  });

  it("the memory is a copy: the job goes on learning while the segment is away, and the host's learning stays there", () => {
    const job = localJob();
    const memory = crfMemoryFor(job, 3);
    job.recordLabel({ segment: 4, bitsPerPixel: 0.2, crf: 30 });
    job.slopes.push(0.09);
    assert.equal(memory.labels.length, 3);
    assert.equal(memory.slopes.length, 2);
    const host = crfJobFrom(memory, 3);
    host.slopes.push(0.1);
    host.labels[0]!.crf = 12;
    assert.equal(job.labels[0]!.crf, 39);
    assert.equal(memory.slopes.length, 2);
  });

  it("brings back the host's label with its fingerprint, its encodes and predicted CRF; merged here as a local label", () => {
    const memory = crfMemoryFor(localJob(), 3);
    const host = crfJobFrom(memory, 3);
    // What the host's verification records (verify-segment.ts): the label and the slope the encodes showed.
    const label: CrfLabel = { segment: 3, bitsPerPixel: 0.1, window: ACTION_6_WINDOW, crf: 39.4, predicted: 40 };
    host.recordLabel(label);
    host.slopes.push(0.075);
    const learnt = learntOnHost(host, 3, memory);
    assert.deepEqual(learnt, { label, slopes: [0.075] });
    const sent: RemoteResult = {
      version: REMOTE_TASK_VERSION,
      ok: true,
      crf: 40,
      vmaf: 92.8,
      probes: [{ crf: 40, vmaf: 92.8, bytes: 1000, seconds: 1.5 }],
      predictedCrf: 40,
      encodes: 1,
      learnt,
      bytes: 1000,
      frames: 24,
      hash: 'ef'.repeat(32),
      encodeSeconds: 0,
      hostname: 'host-a',
    };
    const result = parseRemoteResult(JSON.stringify(sent), 'on host-a: the result');
    assert.deepEqual(result, sent);
    assert.ok(result.ok);
    const job = localJob();
    job.recordAttempt(3, () => 'an earlier attempt');
    mergeRemoteLearnt(job, 3, result.learnt);
    assert.deepEqual(job.labels.at(-1), label, 'the label keeps its fingerprint: the predictor matches it by kind');
    assert.deepEqual(job.slopes, [0.07, 0.08, 0.075]);
    assert.deepEqual(job.historyOf(3), [], 'a verified segment forgets its attempts');
    // The next action segment here is now predicted from the host's label too (the nearest same-kind one).
    const next = predictSegmentCrf({
      segment: { segment: 4, bitsPerPixel: 0.1, window: ACTION_6_WINDOW },
      labels: job.labels,
      minCrf: 10,
      maxCrf: 55,
      slope: 0.075,
    });
    assert.equal(next.confident, true);
    assert.equal(next.crf, Math.round(label.crf));
  });

  it('a label for another segment, or none (unreachable, fixed CRF), teaches nothing; a retried label replaces the earlier', () => {
    const job = localJob();
    mergeRemoteLearnt(job, 3, { label: { segment: 5, bitsPerPixel: 0.1, crf: 20 }, slopes: [] });
    mergeRemoteLearnt(job, 3, { slopes: [] });
    mergeRemoteLearnt(job, 3, undefined);
    assert.equal(job.labels.length, 3);
    mergeRemoteLearnt(job, 2, { label: { ...DETAIL_9, crf: 26 }, slopes: [] });
    assert.deepEqual(
      job.labels.map((l) => [l.segment, l.crf]),
      [
        [0, 39],
        [1, 40],
        [2, 26],
      ],
    );
  });

  it('refuses another wire version, or a malformed file, in one line naming it', () => {
    const task = buildSegmentTasks(facts(93))[0]!;
    const older = JSON.stringify({ version: 2, id: '0-1', task });
    assert.throws(
      () => parseRemoteTask(older, 'remote/0-1.job.json'),
      (error: Error) =>
        !error.message.includes('\n') && /^remote\/0-1\.job\.json is wire version 2; this build reads version 3 only/.test(error.message),
    );
    assert.throws(() => parseRemoteTask(JSON.stringify({ id: '0-1', task }), 'remote/0-1.job.json'), {
      message: /^remote\/0-1\.job\.json is of an unversioned wire format;/,
    });
    assert.throws(() => parseRemoteResult(JSON.stringify({ ok: true, crf: 30, hostname: 'h' }), 'on h: the result'), {
      message: /^on h: the result is of an unversioned wire format; this build reads version 3 only/,
    });
    const badLabel = {
      version: REMOTE_TASK_VERSION,
      id: '0-1',
      task,
      crfMemory: { labels: [{ segment: -1, crf: 30 }], slopes: [], history: [] },
    };
    assert.throws(
      () => parseRemoteTask(JSON.stringify(badLabel), 'remote/0-1.job.json'),
      (error: Error) => !error.message.includes('\n') && /^remote\/0-1\.job\.json is malformed: crfMemory\.labels\.0\./.test(error.message),
    );
    assert.throws(() => parseRemoteTask('{"version": 3', 'remote/0-1.job.json'), { message: /^remote\/0-1\.job\.json is not JSON$/ });
  });
});
