import assert from 'node:assert/strict';
import { ansiCQuoted, escapeNonUtf8, nonUtf8Arguments } from '../../server/src/sys/argv-bytes';
import { parseStreamPacketLines } from '../../server/src/probe/frames';
import { remuxFixes, timestampFaultMessage } from '../../server/src/probe/timestamp-fault';
import { libvmafArgs } from '../../server/src/vmaf/libvmaf-args';
import { lumaDecodeArgs } from '../../server/src/vmaf/builtin/decode-args';
import { rawDecodeArgs } from '../../server/src/metrics/decode-args';

const cmdline = (...args: (string | Buffer)[]) => Buffer.concat(args.flatMap((a) => [Buffer.from(a), Buffer.from([0])]));

describe('arguments that are not UTF-8 (issue 24 E)', () => {
  it('finds them by their bytes in the command line, aligned from the end', () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]); // "caf\xe9"
    const line = cmdline('node', '--max-old-space-size=99', 'cli.js', 'probe', latin1);
    assert.deepEqual(nonUtf8Arguments(['probe', 'caf\uFFFD'], line), [{ index: 1, bytes: latin1 }]);
    // A U+FFFD the user typed is valid UTF-8.
    assert.deepEqual(nonUtf8Arguments(['probe', 'caf\uFFFD'], cmdline('node', 'cli.js', 'probe', 'caf\uFFFD')), []);
    // Nothing to compare with (no /proc): still reported, without bytes.
    assert.deepEqual(nonUtf8Arguments(['x\uFFFD'], undefined), [{ index: 0 }]);
    assert.deepEqual(nonUtf8Arguments(['plain'], undefined), []);
  });

  it('shows each stray byte as \\xHH, keeps UTF-8 characters, escapes control characters', () => {
    assert.equal(escapeNonUtf8(Buffer.from([0x61, 0xff, 0xc3, 0xa9, 0x0a, 0xe2, 0x82])), 'a\\xffé\\n\\xe2\\x82');
    assert.equal(ansiCQuoted(Buffer.from("it's\\\xff", 'latin1')), "$'it\\'s\\\\\\xff'");
    assert.equal(ansiCQuoted(Buffer.from([0x61, 0xff]), '_'), "$'a_'");
  });
});

describe('video timestamps that go back or repeat (issue 24 E)', () => {
  const lines = (rows: [number, number][]) => rows.map(([pts, dts], i) => `0,${pts},${dts},0.04,100,${i ? '__' : 'K_'}`).join('\n');

  it('finds the first decode time that goes back, and the first shown time that repeats', () => {
    const back = parseStreamPacketLines(
      lines([
        [0, 0],
        [0.04, 0.04],
        [0.08, 0.08],
        [0, 0],
        [0.04, 0.04],
      ]),
      0,
    );
    assert.deepEqual(back.timestampFault, { kind: 'backwards', packet: 4, previousSeconds: 0.08, seconds: 0 });
    const repeated = parseStreamPacketLines(
      lines([
        [0, 0],
        [0, 0],
        [0.08, 0.08],
      ]),
      0,
    );
    assert.deepEqual(repeated.timestampFault, { kind: 'repeated', packet: 2, firstPacket: 1, seconds: 0 });
    // B-frames: shown times out of order, decode times rising: no fault.
    const reordered = parseStreamPacketLines(
      lines([
        [0, -0.08],
        [0.12, -0.04],
        [0.04, 0],
        [0.08, 0.04],
      ]),
      0,
    );
    assert.equal(reordered.timestampFault, undefined);
    // Unknown decode times (Matroska's first packets) are skipped.
    assert.equal(parseStreamPacketLines('0,0,N/A,0.04,1,K_\n0,0.08,N/A,0.04,1,__\n0,0.04,0,0.04,1,__', 0).timestampFault, undefined);
  });

  it('says a remux fixes a jump back in an MPEG stream only', () => {
    const jump = { kind: 'backwards', packet: 49, previousSeconds: 3.4, seconds: 1.4 } as const;
    assert.equal(remuxFixes(jump, 'mpegts'), true);
    assert.equal(remuxFixes(jump, 'matroska,webm'), false);
    assert.equal(remuxFixes({ ...jump, seconds: 3.35 }, 'mpegts'), false);
    assert.equal(remuxFixes({ kind: 'repeated', packet: 2, firstPacket: 1, seconds: 0 }, 'mpegts'), false);
    assert.match(
      timestampFaultMessage(jump, 'mpegts'),
      /^its video timestamps go back at packet 49 \(decode time 1\.400 s after 3\.400 s\).*a remux fixes it/,
    );
  });
});

describe('the measured stream of a VMAF/metric input (issue 24 C 11)', () => {
  it('maps the chosen stream by index, the first video stream when none is given', () => {
    const base = {
      reference: 'r.mkv',
      distorted: 'd.mkv',
      model: { kind: 'builtin', name: 'v0.6.1' },
      subsample: 1,
      threads: 1,
      logPath: 'l.json',
    } as const;
    const graph = (args: string[]) => args[args.indexOf('-filter_complex') + 1]!;
    assert.match(graph(libvmafArgs({ ...base, referenceStream: 1 })), /^\[0:v:0\]setpts=PTS-STARTPTS\[dis\];\[1:1\]setpts/);
    assert.match(graph(libvmafArgs({ ...base, distortedStream: 2 })), /^\[0:2\]setpts=PTS-STARTPTS\[dis\];\[1:v:0\]setpts/);
    const map = (args: string[]) => args[args.indexOf('-map') + 1];
    assert.equal(map(lumaDecodeArgs('x.mkv', 'yuv420p', 8, undefined, 1)), '0:1');
    assert.equal(map(lumaDecodeArgs('x.mkv', 'yuv420p', 8)), '0:v:0');
    assert.equal(map(rawDecodeArgs('x.mkv', 'format=yuv420p', 3)), '0:3');
  });
});
