import assert from 'node:assert/strict';
import { bitDepthOfPixelFormat, lumaDecodeArgs, lumaPixelFormat, scoredLumaDecodeArgs } from '../../server/src/vmaf/builtin/decode-args';
import { decodedFramesOfProgress } from '../../server/src/vmaf/builtin/decoded-count';
import path from 'node:path';
import { countFramesArgs } from '../../server/src/probe/ffprobe-args';
import { escapeFilterOptionValue, libvmafArgs, libvmafModelOption } from '../../server/src/vmaf/libvmaf-args';
import { parseLibvmafLog } from '../../server/src/vmaf/libvmaf';
import { libvmafFilterScoresHighBitDepth } from '../../server/src/vmaf/index';

describe('vmaf ffmpeg arguments', () => {
  it('builds the libvmaf filter graph: distorted first, timestamps reset, model, subsample, threads, JSON log', () => {
    const args = libvmafArgs({
      reference: 'ref.mkv',
      distorted: 'dis.mkv',
      model: { kind: 'builtin', name: 'v0.6.1' },
      subsample: 8,
      threads: 2,
      logPath: '/tmp/x/vmaf.json',
    });
    assert.deepEqual(args.slice(0, 4), ['-nostdin', '-hide_banner', '-loglevel', 'error']);
    assert.equal(args[args.indexOf('-i') + 1], `file:${path.resolve('dis.mkv')}`);
    assert.equal(args[args.lastIndexOf('-i') + 1], `file:${path.resolve('ref.mkv')}`);
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    assert.equal(
      graph,
      '[0:v:0]setpts=PTS-STARTPTS[dis];[1:v:0]setpts=PTS-STARTPTS[ref];[dis][ref]libvmaf=model=version=vmaf_v0.6.1:n_subsample=8:n_threads=2:log_fmt=json:log_path=/tmp/x/vmaf.json',
    );
    assert.deepEqual(args.slice(-3), ['-f', 'null', '-']);
  });

  it('escapes paths with quotes, colons, brackets and separators at both filter levels', () => {
    assert.equal(escapeFilterOptionValue("/t/it's [a]:b,c;d"), "/t/it\\\\\\'s \\[a\\]\\\\:b\\,c\\;d");
    assert.equal(escapeFilterOptionValue('C:\\v\\log.json'), 'C\\\\:\\\\\\\\v\\\\\\\\log.json');
    assert.equal(libvmafModelOption({ kind: 'builtin', name: '4k' }), 'version=vmaf_4k_v0.6.1');
    assert.equal(libvmafModelOption({ kind: 'file', path: '/m/a=b.json' }), 'path=/m/a\\=b.json');
    assert.deepEqual(countFramesArgs('x y.mkv').slice(-2), ['-i', `file:${path.resolve('x y.mkv')}`]);
  });

  it('decodes only luma, every frame, to raw gray or grayNNle', () => {
    const args = lumaDecodeArgs('in $x.mkv', 'yuv420p10le', 10);
    assert.equal(args[args.indexOf('-i') + 1], `file:${path.resolve('in $x.mkv')}`);
    assert.equal(args[args.indexOf('-vf') + 1], 'extractplanes=y,format=gray10le');
    assert.ok(args.includes('passthrough') && args.includes('rawvideo') && args.at(-1) === 'pipe:1');
    assert.equal(
      lumaDecodeArgs('a.png', 'rgb24', 8)[lumaDecodeArgs('a.png', 'rgb24', 8).indexOf('-vf') + 1],
      'format=yuv444p,extractplanes=y,format=gray',
    );
    assert.equal(lumaPixelFormat(8), 'gray');
    assert.equal(lumaPixelFormat(12), 'gray12le');
    assert.deepEqual(
      ['yuv420p', 'yuv420p10le', 'p010le', 'yuv444p12le', 'nv12', 'gray', 'gray10le'].map(bitDepthOfPixelFormat),
      [8, 10, 10, 12, 8, 8, 10],
    );
  });

  it('decodes only the scored frames of a stride-N distorted input, counting all of them in a progress report on fd 3', () => {
    const args = scoredLumaDecodeArgs('in $x.mkv', 'yuv420p10le', 10, 3);
    assert.equal(args[args.indexOf('-progress') + 1], 'pipe:3');
    assert.equal(args.filter((a) => a === '-i').length, 1, 'one decode feeds both outputs');
    // The first output (the one -progress counts) is a null output of every frame.
    assert.deepEqual(args.slice(args.indexOf('null') - 1, args.indexOf('null') + 2), ['-f', 'null', '-']);
    assert.ok(args.indexOf('null') < args.indexOf('-vf'));
    assert.equal(args[args.indexOf('-vf') + 1], 'select=not(mod(n\\,3)),extractplanes=y,format=gray10le');
    assert.equal(args.filter((a) => a === 'passthrough').length, 2);
    assert.equal(args.at(-1), 'pipe:1');
  });

  it('reads the decoded frame count from a finished -progress report only', () => {
    const block = (frame: number, end: string) => `frame=${frame}\nfps=0.00\nstream_0_0_q=-0.0\nout_time_us=1250000\nprogress=${end}\n`;
    assert.equal(decodedFramesOfProgress(block(12, 'continue') + block(50, 'end')), 50);
    assert.equal(decodedFramesOfProgress(block(0, 'end')), 0);
    assert.equal(decodedFramesOfProgress(block(12, 'continue')), undefined, 'ffmpeg did not get to its end');
    assert.equal(decodedFramesOfProgress(''), undefined);
  });

  it('reads per-frame scores and features from a libvmaf JSON log', () => {
    const log = JSON.stringify({
      version: '3.0',
      frames: [
        {
          frameNum: 0,
          metrics: {
            integer_adm2: 0.98,
            integer_motion2: 0,
            integer_vif_scale0: 0.7,
            integer_vif_scale1: 0.9,
            integer_vif_scale2: 0.95,
            integer_vif_scale3: 0.97,
            vmaf: 91.5,
          },
        },
        {
          frameNum: 8,
          metrics: {
            integer_adm2: 0.97,
            integer_motion2: 1.5,
            integer_vif_scale0: 0.6,
            integer_vif_scale1: 0.8,
            integer_vif_scale2: 0.9,
            integer_vif_scale3: 0.95,
            vmaf: 88,
          },
        },
      ],
      pooled_metrics: {},
    });
    const frames = parseLibvmafLog(log);
    assert.deepEqual(
      frames.map((f) => [f.index, f.vmaf]),
      [
        [0, 91.5],
        [8, 88],
      ],
    );
    assert.equal(frames[1]!.features.integer_motion2, 1.5);
    assert.throws(() => parseLibvmafLog(JSON.stringify({ frames: [{ frameNum: 0, metrics: { vmaf: 1 } }] })), /no "integer_adm2"/);
  });
});

describe('libvmaf filter trust for high bit depth', () => {
  it('distrusts FFmpeg 5.x (its filter copies half of each 16-bit row)', () => {
    assert.equal(libvmafFilterScoresHighBitDepth('ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers'), false);
    assert.equal(libvmafFilterScoresHighBitDepth('ffmpeg version n5.0.3 Copyright'), false);
  });

  it('trusts 6.0 and later, and builds whose version it cannot read', () => {
    assert.equal(libvmafFilterScoresHighBitDepth('ffmpeg version 6.1.1-3ubuntu5 Copyright'), true);
    assert.equal(libvmafFilterScoresHighBitDepth('ffmpeg version 7.1 Copyright'), true);
    assert.equal(libvmafFilterScoresHighBitDepth('ffmpeg version N-113072-g1a2b3c4d5e Copyright'), true);
    // libvmaf 1.x (ffmpeg 4.x), whatever the banner says.
    assert.equal(
      libvmafFilterScoresHighBitDepth('ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/', 'v1'),
      false,
    );
  });
});
