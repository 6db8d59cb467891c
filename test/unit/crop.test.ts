import assert from 'node:assert/strict';
import { decideCrop, describeCrop, parseCropOption, parseCropdetect, type ContentBox } from '../../server/src/plan/crop';

const scope: ContentBox = { x1: 0, x2: 1919, y1: 140, y2: 939 };

describe('crop decision (pure)', () => {
  it('reads cropdetect lines from ffmpeg stderr', () => {
    const stderr = [
      '[Parsed_cropdetect_1 @ 0x55] x1:0 x2:1919 y1:140 y2:939 w:1920 h:800 x:0 y:140 pts:0 t:0.000000 crop=1920:800:0:140',
      'frame=   10 fps=0.0 q=-0.0 size=N/A',
      '[Parsed_cropdetect_1 @ 0x55] x1:1919 x2:0 y1:1079 y2:0 w:-1904 h:-1064 x:1908 y:1072 pts:1 t:0.04 crop=-1904:-1064:1908:1072',
    ].join('\n');
    assert.deepEqual(parseCropdetect(stderr), [scope, { x1: 1919, x2: 0, y1: 1079, y2: 0 }]);
  });

  it('takes the largest content area any window needs, so no picture is cut', () => {
    const dark: ContentBox = { x1: 100, x2: 1800, y1: 300, y2: 800 }; // a dark scene looks letterboxed
    const decision = decideCrop(1920, 1080, [scope, dark, scope]);
    assert.deepEqual(decision.crop, { width: 1920, height: 800, x: 0, y: 140 });
    assert.equal(describeCrop(1920, 1080, decision), 'cropped 1920x1080 → 1920x800 (black bars: 140 px top and bottom)');
  });

  it('skips blank frames (a fade to black) instead of letting them shrink or grow the area', () => {
    const black: ContentBox = { x1: 1919, x2: 0, y1: 1079, y2: 0 };
    const decision = decideCrop(1920, 1080, [black, black, scope]);
    assert.deepEqual(decision.crop, { width: 1920, height: 800, x: 0, y: 140 });
    assert.equal(decision.framesBlank, 2);
    assert.equal(decideCrop(1920, 1080, [black]).crop, undefined);
  });

  it('rounds outwards to even numbers', () => {
    const decision = decideCrop(1920, 1080, [{ x1: 3, x2: 1916, y1: 141, y2: 938 }]);
    assert.deepEqual(decision.crop, { width: 1916, height: 800, x: 2, y: 140 });
  });

  it('does not crop a picture without bars, nor bars under 1 %', () => {
    assert.equal(decideCrop(1920, 1080, [{ x1: 0, x2: 1919, y1: 0, y2: 1079 }]).crop, undefined);
    // 4 px top and bottom of 1080 is 0.7 %.
    assert.equal(decideCrop(1920, 1080, [{ x1: 0, x2: 1919, y1: 4, y2: 1075 }]).crop, undefined);
    assert.ok(decideCrop(1920, 1080, [{ x1: 0, x2: 1919, y1: 6, y2: 1073 }]).crop);
  });

  it('parses --crop W:H:X:Y and refuses a rectangle outside the picture', () => {
    assert.deepEqual(parseCropOption('1920:800:0:140', 1920, 1080), { width: 1920, height: 800, x: 0, y: 140 });
    assert.equal(parseCropOption('1920:800:0:300', 1920, 1080), undefined);
    assert.equal(parseCropOption('auto', 1920, 1080), undefined);
  });
});
