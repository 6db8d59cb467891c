import assert from 'node:assert/strict';
import { displayTurn, turnFilters } from '../../server/src/probe/rotation';
import { parseMediaInfo } from '../../server/src/probe/media-info';
import { segmentFilter } from '../../server/src/encode/encode-args';

const matrix = (rotation: number) => [{ side_data_type: 'Display Matrix', displaymatrix: '…', rotation }];

describe('display matrix (issue 24, case 10)', () => {
  it("turns the picture as ffmpeg's autorotate does", () => {
    assert.equal(displayTurn(matrix(90)), 270);
    assert.equal(displayTurn(matrix(-90)), 90);
    assert.equal(displayTurn(matrix(180)), 180);
    assert.equal(displayTurn(matrix(0)), 0);
    assert.equal(displayTurn(matrix(45)), 0);
    assert.equal(displayTurn(undefined), 0);
    assert.deepEqual(turnFilters(270), ['transpose=cclock']);
    assert.deepEqual(turnFilters(90), ['transpose=clock']);
    assert.deepEqual(turnFilters(180), ['hflip', 'vflip']);
  });

  it('describes the upright picture: what is cropped, encoded and validated', () => {
    const stream = {
      index: 0,
      codec_type: 'video',
      codec_name: 'h264',
      width: 320,
      height: 180,
      pix_fmt: 'yuv420p',
      side_data_list: matrix(90),
    };
    const media = parseMediaInfo('rot.mp4', { streams: [stream], format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '1' } });
    assert.deepEqual([media.video.width, media.video.height, media.video.turn], [180, 320, 270]);
    const plain = parseMediaInfo('p.mp4', { streams: [{ ...stream, side_data_list: undefined }], format: { format_name: 'mp4' } });
    assert.deepEqual([plain.video.width, plain.video.height, plain.video.turn], [320, 180, undefined]);
  });

  it('turns before it crops, so the crop is in upright coordinates', () => {
    const segment = { keepFromSeconds: 0, keepToSeconds: 1 } as never;
    const filter = segmentFilter(segment, {
      evenCrop: false,
      pixelFormat: 'yuv420p',
      crop: { width: 120, height: 320, x: 30, y: 0 },
      turn: 270,
    });
    assert.match(filter, /setpts=PTS-STARTPTS,transpose=cclock,crop=120:320:30:0:exact=1,format=yuv420p$/);
    assert.doesNotMatch(segmentFilter(segment, { evenCrop: false, pixelFormat: 'yuv420p' }), /transpose|flip/);
  });
});
