import assert from 'node:assert/strict';
import {
  keyintFrames,
  masteringDisplayParam,
  segmentCopyArgs,
  segmentEncodeArgs,
  svtParamsArg,
  type VideoEncodeSettings,
} from '../../server/src/encode/encode-args';
import type { PlannedSegment } from '../../server/src/plan/plan';

const segment: PlannedSegment = {
  index: 2,
  startFrame: 48,
  frames: 24,
  startSeconds: 2,
  endSeconds: 3,
  seekSeconds: 1,
  copyEndSeconds: 4,
  keepFromSeconds: 1.979167,
  keepToSeconds: 2.979167,
};
const settings: VideoEncodeSettings = {
  crf: 30,
  preset: 8,
  svtParams: 'tune=0:film-grain=8',
  keyintFrames: 240,
  pixelFormat: 'yuv420p10le',
  threads: 1,
  colour: { primaries: 'bt2020', transfer: 'smpte2084', matrix: 'bt2020nc', range: 'tv' },
  mastering: {
    red: [0.68, 0.32],
    green: [0.265, 0.69],
    blue: [0.15, 0.06],
    whitePoint: [0.3127, 0.329],
    maxLuminance: 1000,
    minLuminance: 0.005,
  },
  contentLight: { maxCll: 1000, maxFall: 400 },
  evenCrop: false,
};

function after(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

describe('encode-args', () => {
  it('stream-copies a segment with source timestamps, from its seek point to past its end', () => {
    const args = segmentCopyArgs("/in/it's $x.mkv", 0, segment, '/w/segments/segment_002.tmp.mkv');
    assert.ok(args.includes('-copyts'));
    assert.equal(after(args, '-ss'), '1.000000');
    assert.equal(after(args, '-seek_timestamp'), '1', '-ss on the source clock (MPEG-TS starts anywhere)');
    assert.ok(args.indexOf('-ss') < args.indexOf('-i'), '-ss is an input option (keyframe seek)');
    assert.equal(after(args, '-i'), "file:/in/it's $x.mkv", 'absolute, behind the file: protocol');
    assert.equal(after(args, '-protocol_whitelist'), 'file,pipe');
    assert.equal(after(args, '-to'), '4.000000');
    assert.equal(after(args, '-c'), 'copy');
    assert.equal(after(args, '-avoid_negative_ts'), 'disabled');
    assert.equal(args[args.length - 1], 'file:/w/segments/segment_002.tmp.mkv');
  });

  it('does not seek for the first segment and copies to the end for the last', () => {
    const args = segmentCopyArgs('in.mp4', 3, { ...segment, startFrame: 0, copyEndSeconds: undefined }, 'o.mkv');
    assert.equal(args.includes('-ss'), false);
    assert.equal(args.includes('-to'), false);
    assert.equal(after(args, '-map'), '0:3');
  });

  it('encodes with libsvtav1, keeps exactly the planned frames and passes HDR10 and colour', () => {
    const args = segmentEncodeArgs('seg.mkv', segment, settings, 'out.tmp.mkv');
    assert.equal(after(args, '-c:v'), 'libsvtav1');
    assert.equal(after(args, '-crf'), '30');
    assert.equal(after(args, '-preset'), '8');
    assert.equal(after(args, '-g'), '240');
    assert.equal(after(args, '-pix_fmt'), 'yuv420p10le');
    assert.equal(after(args, '-fps_mode'), 'passthrough');
    assert.equal(after(args, '-frames:v'), '24', "stops once the planned frames are in: the copy's tail is not decoded");
    assert.ok(args.indexOf('-frames:v') > args.indexOf('-i'), 'an output option');
    assert.equal(after(args, '-color_primaries'), 'bt2020');
    assert.equal(after(args, '-color_trc'), 'smpte2084');
    assert.equal(after(args, '-colorspace'), 'bt2020nc');
    assert.equal(after(args, '-color_range'), 'tv');
    assert.equal(after(args, '-vf'), "select='gte(t,1.979167)*lt(t,2.979167)',setpts=PTS-STARTPTS,format=yuv420p10le");
    const svt = after(args, '-svtav1-params')!;
    assert.match(
      svt,
      /^lp=1:mastering-display=G\(0\.2650,0\.6900\)B\(0\.1500,0\.0600\)R\(0\.6800,0\.3200\)WP\(0\.3127,0\.3290\)L\(1000\.0000,0\.0050\):content-light=1000,400:tune=0:film-grain=8$/,
    );
  });

  it('lets the user override a parameter the pipeline sets, and crops odd sizes', () => {
    assert.equal(svtParamsArg({ ...settings, mastering: undefined, contentLight: undefined, svtParams: 'lp=3' }), 'lp=3');
    const args = segmentEncodeArgs('s', segment, { ...settings, evenCrop: true, colour: {} }, 'o');
    assert.match(after(args, '-vf')!, /crop=trunc\(iw\/2\)\*2:trunc\(ih\/2\)\*2:0:0,format=yuv420p10le$/);
    assert.equal(args.includes('-color_primaries'), false);
  });

  it('refuses SVT parameters outside the known set', () => {
    assert.throws(() => svtParamsArg({ ...settings, svtParams: 'evil=1' }), /unknown SVT-AV1 parameter/);
  });

  it('derives keyint frames from seconds and the frame rate', () => {
    assert.equal(keyintFrames(10, 23.976), 240);
    assert.equal(keyintFrames(5, 0), 125);
    assert.equal(masteringDisplayParam(settings.mastering!).startsWith('G('), true);
  });
});
