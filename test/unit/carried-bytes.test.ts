import assert from 'node:assert/strict';
import { carriedStreamBytes } from '../../server/src/assemble/carried-bytes';
import { planMux } from '../../server/src/assemble/mux';
import { parseMediaInfo } from '../../server/src/probe/media-info';

/** What the streams besides the video add to the output, known before any encode (#17). */
const media = parseMediaInfo('in.mkv', {
  streams: [
    { index: 0, codec_type: 'video', codec_name: 'h264', width: 160, height: 120, pix_fmt: 'yuv420p', r_frame_rate: '24/1' },
    { index: 1, codec_type: 'audio', codec_name: 'aac', channels: 2 },
    { index: 2, codec_type: 'audio', codec_name: 'flac', channels: 6 },
    { index: 3, codec_type: 'subtitle', codec_name: 'ass' },
    { index: 4, codec_type: 'attachment', codec_name: 'ttf', extradata_size: 70_000, tags: { filename: 'f.ttf' } },
    { index: 5, codec_type: 'data', codec_name: 'bin_data' },
    { index: 6, codec_type: 'video', codec_name: 'mjpeg', width: 300, height: 300, pix_fmt: 'yuvj420p', disposition: { attached_pic: 1 } },
  ],
  format: { format_name: 'matroska,webm', duration: '10', size: '9000000' },
});
const bytesByStream = new Map([
  [0, 8_000_000],
  [1, 160_000],
  [2, 600_000],
  [3, 2_000],
  [5, 50_000],
  [6, 30_000],
]);

describe('carried stream bytes (size estimate)', () => {
  it("counts the copied streams' source bytes, an attachment's data and a cover, never the video or a dropped stream", () => {
    const carried = carriedStreamBytes(planMux(media, 'matroska', 'copy'), bytesByStream, 10, 'copy');
    assert.equal(carried.bytes, 160_000 + 600_000 + 2_000 + 70_000 + 30_000);
    assert.deepEqual(carried.kinds, ['audio', 'subtitles', 'attachments']);
  });

  it('counts Opus audio at the bitrate it will be encoded at, over the duration', () => {
    const carried = carriedStreamBytes(planMux(media, 'matroska', 'opus'), bytesByStream, 10, 'opus');
    // 2 channels: 128 kb/s, 6 channels: 256 kb/s, for 10 s.
    assert.equal(carried.bytes, (128_000 * 10) / 8 + (256_000 * 10) / 8 + 2_000 + 70_000 + 30_000);
  });

  it('is nothing for a source that holds the video alone', () => {
    const alone = parseMediaInfo('in.mp4', {
      streams: [{ index: 0, codec_type: 'video', width: 16, height: 16, pix_fmt: 'yuv420p' }],
      format: { format_name: 'mov' },
    });
    assert.deepEqual(carriedStreamBytes(planMux(alone, 'mp4', 'copy'), new Map([[0, 1000]]), 1, 'copy'), { bytes: 0, kinds: [] });
  });
});
