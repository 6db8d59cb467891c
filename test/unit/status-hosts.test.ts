import assert from 'node:assert/strict';
import { formatJobStatus, segmentsPerHost, type JobStatus, type SegmentStatus } from '../../server/src/job/status';

describe('status with --hosts', () => {
  const segment = (index: number, host?: string, state: SegmentStatus['state'] = 'done'): SegmentStatus => ({
    index,
    state,
    startFrame: index * 24,
    frames: 24,
    attempts: 1,
    file: `/w/encoded/segment_00${index}.mkv`,
    ...(host ? { host } : {}),
  });

  it('counts the done segments per host that made them', () => {
    assert.deepEqual(segmentsPerHost([segment(0, ':'), segment(1, 'alice@box:2222'), segment(2, ':'), segment(3, 'box2', 'failed')]), [
      [':', 2],
      ['alice@box:2222', 1],
    ]);
    assert.deepEqual(segmentsPerHost([segment(0), segment(1)]), []);
  });

  it('shows a hosts line only when segments came from hosts', () => {
    const status: JobStatus = {
      workDir: '/w',
      input: '/in.mkv',
      output: '/out.mkv',
      state: 'done',
      updatedAt: 'now',
      segmentsTotal: 2,
      segmentsDone: 2,
      segmentsFailed: 0,
      segmentsPending: 0,
      framesTotal: 48,
      framesDone: 48,
      encodedBytes: 10,
      segments: [segment(0, ':'), segment(1, 'box')],
    };
    assert.match(formatJobStatus(status), /\n {2}hosts: {4}: \(this machine\) 1, box 1/);
    assert.doesNotMatch(formatJobStatus({ ...status, segments: [segment(0), segment(1)] }), /hosts:/);
  });
});
