import assert from 'node:assert/strict';
import { bitDepthOf, chromaOf, parseDuration, parseMediaInfo, parseHdrSideData, MediaProblem } from '../../server/src/probe/media-info';
import { buildTimeline, parseFrameLines, parsePacketLines, parseStreamPacketLines } from '../../server/src/probe/frames';

const probeJson = {
  streams: [
    {
      index: 0,
      codec_type: 'video',
      codec_name: 'hevc',
      width: 3840,
      height: 2160,
      pix_fmt: 'yuv420p10le',
      r_frame_rate: '24000/1001',
      avg_frame_rate: '24000/1001',
      color_primaries: 'bt2020',
      color_transfer: 'smpte2084',
      color_space: 'bt2020nc',
      color_range: 'tv',
      tags: { DURATION: '00:00:10.010000000', language: 'und' },
      disposition: { default: 1, attached_pic: 0 },
      side_data_list: [{ side_data_type: 'DOVI configuration record', dv_profile: 8, dv_level: 6, bl_present_flag: 1 }],
    },
    {
      index: 1,
      codec_type: 'audio',
      codec_name: 'eac3',
      channels: 6,
      tags: { language: 'eng', title: 'Surround' },
      disposition: { default: 1 },
    },
    { index: 2, codec_type: 'subtitle', codec_name: 'subrip', tags: { language: 'fra' }, disposition: { forced: 1 } },
    { index: 3, codec_type: 'attachment', codec_name: 'ttf', tags: { filename: 'font.ttf', mimetype: 'font/ttf' } },
    { index: 4, codec_type: 'video', codec_name: 'mjpeg', width: 300, height: 300, pix_fmt: 'yuvj420p', disposition: { attached_pic: 1 } },
  ],
  chapters: [{ id: 0, start_time: '0.000000', end_time: '5.000000', tags: { title: 'One' } }],
  format: { format_name: 'matroska,webm', duration: '10.010000', size: '123456', start_time: '0.000000', tags: { title: 'Film' } },
};

const frameSideData = [
  {
    side_data_type: 'Mastering display metadata',
    red_x: '34000/50000',
    red_y: '16000/50000',
    green_x: '13250/50000',
    green_y: '34500/50000',
    blue_x: '7500/50000',
    blue_y: '3000/50000',
    white_point_x: '15635/50000',
    white_point_y: '16450/50000',
    min_luminance: '50/10000',
    max_luminance: '10000000/10000',
  },
  { side_data_type: 'Content light level metadata', max_content: 1000, max_average: 400 },
];

describe('probe parsing', () => {
  it('reads video, colour, HDR10, Dolby Vision, streams, chapters and tags', () => {
    const media = parseMediaInfo('in.mkv', probeJson, frameSideData);
    assert.equal(media.video.index, 0);
    assert.equal(media.video.bitDepth, 10);
    assert.equal(media.video.chroma, 420);
    assert.ok(Math.abs(media.video.frameRate - 23.976) < 0.001);
    assert.equal(media.video.durationSeconds, 10.01);
    assert.deepEqual(media.video.colour, { primaries: 'bt2020', transfer: 'smpte2084', matrix: 'bt2020nc', range: 'tv' });
    assert.deepEqual(media.video.mastering, {
      red: [0.68, 0.32],
      green: [0.265, 0.69],
      blue: [0.15, 0.06],
      whitePoint: [0.3127, 0.329],
      maxLuminance: 1000,
      minLuminance: 0.005,
    });
    assert.deepEqual(media.video.contentLight, { maxCll: 1000, maxFall: 400 });
    assert.deepEqual(media.video.dolbyVision, { profile: 8, level: 6, blPresent: true });
    assert.deepEqual(
      media.streams.map((s) => [s.kind, s.attachedPic]),
      [
        ['video', false],
        ['audio', false],
        ['subtitle', false],
        ['attachment', false],
        ['video', true],
      ],
    );
    assert.equal(media.streams[1]!.channels, 6);
    assert.equal(media.chapters[0]!.title, 'One');
    assert.equal(media.tags.title, 'Film');
    assert.equal(media.sizeBytes, 123456);
  });

  it('refuses inputs without video or with nothing ffprobe understood', () => {
    assert.throws(
      () => parseMediaInfo('a.m4a', { streams: [{ index: 0, codec_type: 'audio', codec_name: 'aac' }], format: { format_name: 'mov' } }),
      (e) => e instanceof MediaProblem && /no video stream \(only audio\)/.test(e.message),
    );
    assert.throws(() => parseMediaInfo('x', { streams: [{ index: 'zero' }] }), MediaProblem);
    assert.throws(() => parseMediaInfo('x', { streams: [] }), /not a media file/);
  });

  it('derives bit depth and chroma from pixel formats', () => {
    assert.equal(bitDepthOf('yuv420p'), 8);
    assert.equal(bitDepthOf('yuv422p10le'), 10);
    assert.equal(bitDepthOf('p010le'), 10);
    assert.equal(bitDepthOf('gbrp12le'), 12);
    assert.equal(chromaOf('yuv444p'), 444);
    assert.equal(chromaOf('yuvj422p'), 422);
    assert.equal(chromaOf('gbrp'), 444);
    assert.equal(chromaOf('nv12'), 420);
    assert.equal(parseDuration('01:00:01.500000000'), 3601.5);
    assert.equal(parseDuration('N/A'), undefined);
    assert.deepEqual(parseHdrSideData([]), {});
  });

  it('reads packet lines, skipping discarded packets, in display order', () => {
    const frames = parsePacketLines(
      '0.000000,-0.066667,0.033333,K_\n0.133333,-0.033333,0.033333,__\n0.066667,0.000000,0.033333,__\n-0.033333,0.01,0.033333,_D\n0.033333,0.033333,0.033333,__\n',
    );
    assert.ok(frames);
    const timeline = buildTimeline(frames, 30);
    assert.deepEqual(
      timeline.pts,
      [0, 0.033333, 0.066667, 0.133333].sort((a, b) => a - b),
    );
    assert.deepEqual(timeline.keyframes, [0]);
    assert.equal(parsePacketLines('N/A,N/A,0.04,K_\n'), undefined, 'no timestamps: fall back to frames');
  });

  it("reads every stream's packets in one list: the video's frames and each stream's bytes", () => {
    // ffprobe 5.1's csv for packet=stream_index,pts_time,dts_time,duration_time,size,flags on a Matroska file.
    const { frames, bytesByStream } = parseStreamPacketLines(
      '0,0.023000,N/A,0.041000,5144,K_\n0,0.190000,N/A,0.041000,2528,__\n1,0.000000,0.000000,0.023000,258,K_\n' +
        '2,0.000000,0.000000,0.023000,289,K_\n0,0.106000,0.023000,0.041000,1363,__\n1,0.023000,0.023000,0.023000,300,K_\n',
      0,
    );
    assert.deepEqual(
      frames?.map((f) => f.pts),
      [0.023, 0.19, 0.106],
    );
    assert.deepEqual(
      [...bytesByStream],
      [
        [0, 5144 + 2528 + 1363],
        [1, 558],
        [2, 289],
      ],
    );
    const noTimestamps = parseStreamPacketLines('1,0.0,0.0,0.02,100,K_\n0,N/A,N/A,0.04,900,K_\n', 0);
    assert.equal(noTimestamps.frames, undefined, 'no timestamps: fall back to frames');
    assert.equal(noTimestamps.bytesByStream.get(1), 100, 'the bytes are counted all the same');
  });

  it('leaves out frames that display before the first keyframe (undecodable)', () => {
    const frames = parsePacketLines(
      '0.500000,0.4,0.04,__\n0.540000,0.44,0.04,__\n0.600000,0.48,0.04,K_\n0.560000,0.52,0.04,__\n0.640000,0.56,0.04,__\n',
    );
    const timeline = buildTimeline(frames!, 25);
    assert.deepEqual(timeline.pts, [0.6, 0.64]);
    assert.deepEqual(timeline.keyframes, [0]);
  });

  it('reads frame lines (key_frame first) and detects variable frame rate', () => {
    const frames = parseFrameLines('1,0.000000,0.040000,\n\n0,0.040000,0.040000\n0,0.080000,0.040000\n1,0.200000,0.040000\n');
    const timeline = buildTimeline(frames, 25);
    assert.deepEqual(timeline.keyframes, [0, 3]);
    assert.equal(timeline.variableFrameRate, true);
    assert.equal(buildTimeline(frames.slice(0, 3), 25).variableFrameRate, false);
    assert.equal(timeline.lastFrameSeconds, 0.04);
  });
});
