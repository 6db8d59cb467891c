import assert from 'node:assert/strict';
import { libvmafArgs } from '../../server/src/vmaf/libvmaf-args';
import { inMeasuredPixelFormat, type VmafInput } from '../../server/src/vmaf/inputs';
import { poolLabel, vmafResultLine } from '../../server/src/vmaf/label';
import type { VmafResult } from '../../server/src/vmaf/types';

/** The one VMAF convention (both sides in the encode's pixel format) and how a score is said. */
describe('vmaf convention: both sides in the encode pixel format, said out loud', () => {
  const input = (pixFmt: string, role: VmafInput['role'], bitDepth: number): VmafInput => ({
    path: `/x/${role}.mkv`,
    role,
    width: 640,
    height: 360,
    pixFmt,
    bitDepth,
  });

  it('an 8-bit reference against a 10-bit encode goes through format=yuv420p10le, as the encoder was fed', () => {
    const ref = inMeasuredPixelFormat(input('yuv420p', 'reference', 8), input('yuv420p10le', 'distorted', 10));
    assert.deepEqual([ref.pixFmt, ref.bitDepth, ref.through], ['yuv420p10le', 10, { inputOptions: [], filter: 'format=yuv420p10le' }]);
  });

  it('a reference already in that format is left alone; one already filtered gets the conversion after its own chain', () => {
    const same = input('yuv420p10le', 'reference', 10);
    assert.equal(inMeasuredPixelFormat(same, input('yuv420p10le', 'distorted', 10)), same);
    const filtered = { ...input('yuv420p', 'reference', 8), through: { inputOptions: ['-copyts'], filter: 'crop=600:300' } };
    assert.deepEqual(inMeasuredPixelFormat(filtered, input('yuv420p10le', 'distorted', 10)).through, {
      inputOptions: ['-copyts'],
      filter: 'crop=600:300,format=yuv420p10le',
    });
  });

  it('libvmaf gets the same conversion on the reference branch of its graph', () => {
    const args = libvmafArgs({
      reference: 'ref.mkv',
      distorted: 'dis.mkv',
      model: { kind: 'builtin', name: 'v0.6.1' },
      subsample: 1,
      threads: 1,
      logPath: '/tmp/x/vmaf.json',
      referencePixelFormat: 'yuv420p',
    });
    assert.match(
      args[args.indexOf('-filter_complex') + 1]!,
      /^\[0:v:0\]setpts=PTS-STARTPTS\[dis\];\[1:v:0\]format=yuv420p,setpts=PTS-STARTPTS\[ref\];/,
    );
  });

  it('prints the pool, frames, conversion, engine and model', () => {
    const result = {
      score: 93.2149,
      pool: 'harmonic_mean',
      frames: Array.from({ length: 96 }, (_, index) => ({ index })),
      frameCount: 96,
      engine: 'builtin',
      model: 'v0.6.1',
      pixelFormat: 'yuv420p10le',
      referenceConvertedFrom: 'yuv420p',
    } as unknown as VmafResult;
    assert.equal(
      vmafResultLine(result),
      'VMAF 93.21 (harmonic mean of 96 frames; reference converted to yuv420p10le; built-in engine, model v0.6.1)',
    );
    assert.equal(
      vmafResultLine({ ...result, engine: 'libvmaf', pool: 'mean', frames: result.frames.slice(0, 12), referenceConvertedFrom: undefined }),
      'VMAF 93.21 (mean of 12 of 96 frames; both yuv420p10le; libvmaf engine, model v0.6.1)',
    );
    assert.deepEqual(
      ['p1', 'p2', 'p3', 'p5', 'p11', 'min'].map((p) => poolLabel(p as VmafResult['pool'])),
      ['1st percentile', '2nd percentile', '3rd percentile', '5th percentile', '11th percentile', 'minimum'],
    );
  });
});
