import assert from 'node:assert/strict';
import { chooseMainVideo, isStill } from '../../server/src/probe/main-video';
import { parseMediaInfo } from '../../server/src/probe/media-info';
import { planMux } from '../../server/src/assemble/mux';

const film = {
  index: 1,
  codec_type: 'video',
  width: 160,
  height: 120,
  pix_fmt: 'yuv420p',
  r_frame_rate: '24/1',
  tags: { DURATION: '00:00:01.999000000' },
};
const poster = {
  index: 0,
  codec_type: 'video',
  codec_name: 'mjpeg',
  width: 64,
  height: 64,
  pix_fmt: 'yuvj444p',
  r_frame_rate: '25/1',
  tags: { DURATION: '00:00:00.040000000' },
};

describe('main video stream (issue 24, case 11)', () => {
  it('skips a one-frame still that comes first and says why', () => {
    const choice = chooseMainVideo([poster, film]);
    assert.equal(choice?.index, 1);
    assert.deepEqual(choice?.stills, [0]);
    assert.match(choice?.reason ?? '', /video stream 1 \(160x120\).*stream 0 is a one-frame still/);
  });

  it('skips a still even when it is the larger picture', () => {
    const bigPoster = { ...poster, width: 1920, height: 1080, nb_frames: '1' };
    assert.equal(chooseMainVideo([bigPoster, film])?.index, 1);
  });

  it('picks the largest of several real videos, the first on a tie, never a cover', () => {
    const small = { ...film, index: 0, width: 320, height: 180 };
    const large = { ...film, index: 2, width: 640, height: 360 };
    const cover = { ...large, index: 3, width: 4000, height: 4000, disposition: { attached_pic: 1 } };
    assert.equal(chooseMainVideo([small, large, cover])?.index, 2);
    assert.equal(chooseMainVideo([small, { ...small, index: 1 }])?.index, 0);
    assert.equal(chooseMainVideo([cover]), undefined);
  });

  it('keeps a single video, even a one-frame one, without a log line', () => {
    const choice = chooseMainVideo([poster]);
    assert.equal(choice?.index, 0);
    assert.equal(choice?.reason, undefined);
  });

  it('tells a still from a short clip by frames, not seconds', () => {
    assert.equal(isStill({ index: 0, nb_frames: '1' }), true);
    assert.equal(isStill({ index: 0, duration: '0.5', r_frame_rate: '24/1' }), false);
    assert.equal(isStill({ index: 0, tags: { DURATION: '00:00:00.040000000' }, r_frame_rate: '25/1' }), true);
    assert.equal(isStill({ index: 0, r_frame_rate: '24/1' }), false);
  });

  it('encodes the real video and carries the still as the source has it', () => {
    const media = parseMediaInfo('x.mkv', { streams: [poster, film], format: { format_name: 'matroska,webm', duration: '2' } });
    assert.equal(media.video.index, 1);
    assert.equal(media.video.width, 160);
    const plan = planMux(media, 'matroska', 'copy');
    assert.deepEqual(
      plan.streams.map((s) => s.index),
      [0],
    );
    assert.deepEqual(plan.dropped, []);
  });
});
