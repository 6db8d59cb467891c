import assert from 'node:assert/strict';
import { containerFor, muxArgs, muxWorkingDirectory, opusBitrate, planMux } from '../../server/src/assemble/mux';
import { parseMediaInfo } from '../../server/src/probe/media-info';
import { progressLine, ProgressTracker } from '../../server/src/job/progress';
import { segmentProblems } from '../../server/src/validate/validate';

const media = parseMediaInfo('in.mkv', {
  streams: [
    {
      index: 0,
      codec_type: 'video',
      codec_name: 'h264',
      width: 160,
      height: 120,
      pix_fmt: 'yuv420p',
      r_frame_rate: '24/1',
      disposition: { default: 1 },
      tags: { title: 'Main' },
    },
    { index: 1, codec_type: 'audio', codec_name: 'aac', channels: 2, disposition: { default: 1 } },
    { index: 2, codec_type: 'audio', codec_name: 'dts', channels: 6, disposition: { default: 0 } },
    { index: 3, codec_type: 'subtitle', codec_name: 'ass', disposition: { forced: 1 } },
    { index: 4, codec_type: 'attachment', codec_name: 'ttf', tags: { filename: 'f.ttf' } },
    { index: 5, codec_type: 'data', codec_name: 'bin_data' },
  ],
  format: { format_name: 'matroska,webm', duration: '3', size: '1000', start_time: '0.5' },
});

describe('mux', () => {
  it('picks the container from the output name', () => {
    assert.equal(containerFor('/a/b.MP4'), 'mp4');
    assert.equal(containerFor('/a/b.mkv'), 'matroska');
    assert.equal(containerFor('/a/b'), 'matroska');
  });

  it('carries every stream Matroska can hold and says what it drops', () => {
    const plan = planMux(media, 'matroska', 'copy');
    assert.deepEqual(
      plan.streams.map((s) => s.index),
      [1, 2, 3, 4],
    );
    assert.deepEqual(
      plan.dropped.map((d) => d.stream.index),
      [5],
    );
  });

  it('refuses MP4 for streams it cannot hold, naming them', () => {
    assert.throws(
      () => planMux(media, 'mp4', 'copy'),
      /MP4 file cannot hold dts audio \(stream 2\), ass subtitles \(stream 3\), an attachment \(stream 4, f\.ttf\).*\.mkv/,
    );
  });

  it('builds the concat + mux command with metadata, dispositions, chapters and Opus bitrates', () => {
    const plan = planMux(media, 'matroska', 'opus');
    const args = muxArgs({
      segmentList: '/w/segment_list.txt',
      source: '/in.mkv',
      media,
      plan,
      audioMode: 'opus',
      videoStartSeconds: 0.5,
      output: '/o.mkv',
    });
    const joined = args.join(' ');
    assert.match(
      joined,
      /-f concat -safe 0 -protocol_whitelist file,pipe -format_whitelist concat,matroska -i file:segment_list.txt -protocol_whitelist file,pipe -format_whitelist \S+ -i file:\/in.mkv -map 0:v:0 -map 1:1 -map 1:2 -map 1:3 -map 1:4 -c copy -map_metadata 1 -map_chapters 1/,
    );
    assert.match(joined, /-map_metadata:s:0 1:s:0 -disposition:0 default/);
    assert.match(joined, /-c:1 libopus -b:1 128k -map_metadata:s:1 1:s:1 -disposition:1 default/);
    assert.match(joined, /-c:2 libopus -b:2 256k -map_metadata:s:2 1:s:2 -disposition:2 0/);
    assert.match(joined, /-disposition:3 forced/);
    assert.equal(args.includes('-itsoffset'), false, 'video starts at the container start');
    assert.equal(args[args.length - 1], 'file:/o.mkv');
    assert.equal(
      muxWorkingDirectory({ segmentList: '/w/segment_list.txt' }),
      '/w',
      'the list is opened by its bare name from its own folder',
    );
    const late = muxArgs({ segmentList: 'l', source: 's', media, plan, audioMode: 'copy', videoStartSeconds: 0.7, output: 'o' });
    assert.equal(late[late.indexOf('-itsoffset') + 1], '0.200000');
  });

  it('maps channel counts to Opus bitrates', () => {
    assert.deepEqual([1, 2, 6, 8].map(opusBitrate), ['64k', '128k', '256k', '384k']);
  });
});

describe('segment validation and progress (pure parts)', () => {
  const expected = {
    frames: 24,
    durationSeconds: 1,
    frameSeconds: 1 / 24,
    width: 160,
    height: 120,
    pixelFormat: 'yuv420p10le',
    colour: { primaries: 'bt709' },
  };
  const good = {
    frames: 24,
    durationSeconds: 1.001,
    codec: 'av1',
    width: 160,
    height: 120,
    pixFmt: 'yuv420p10le',
    colour: { primaries: 'bt709' },
    decodeErrors: [],
  };

  it('accepts a segment as planned and lists every problem of a bad one', () => {
    assert.deepEqual(segmentProblems(good, expected), []);
    const problems = segmentProblems(
      { ...good, frames: 23, durationSeconds: 0.9, codec: 'hevc', pixFmt: 'yuv420p', colour: {}, decodeErrors: ['corrupt frame'] },
      expected,
    );
    assert.equal(problems.length, 6);
    assert.match(problems.join('; '), /23 frames, the plan has 24/);
  });

  it('computes fps, ETA and estimated size, not counting skipped segments in the speed', () => {
    let now = 0;
    const tracker = new ProgressTracker(100, 4, () => now);
    tracker.segmentDone(0, 25, 1000, true);
    now = 10_000;
    tracker.segmentFrames(1, 20);
    const p = tracker.snapshot();
    assert.equal(p.framesDone, 45);
    assert.equal(p.fps, 2);
    assert.equal(p.etaSeconds, 28);
    assert.equal(p.estimatedBytes, 4000);
    assert.match(progressLine(p), /^segments 1\/4 {2}45% {2}2\.0 fps {2}elapsed 0:10 {2}ETA 0:28 {2}size ~4 KiB$/);
  });
});
