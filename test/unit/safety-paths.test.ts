import assert from 'node:assert/strict';
import path from 'node:path';
import { ffmpegFileUrl, ffmpegInput, MEDIA_DEMUXERS } from '../../server/src/sys/media-paths';
import * as ffprobeArgs from '../../server/src/probe/ffprobe-args';
import { refusedContainerMessage, refusedDemuxer } from '../../server/src/probe/containers';
import { sourceBoundsProblem, SVT_AV1_FRAME_LIMITS } from '../../server/src/encode/source-bounds';
import { crfProblem } from '../../server/src/crf/crf-granularity';
import { printable } from '../../server/src/sys/printable';
import { concatListInput } from '../../server/src/assemble/mux';

const GB = 1e9;

describe('paths handed to ffmpeg and ffprobe (pure)', () => {
  it('makes every path absolute behind file:, whatever it looks like', () => {
    for (const name of ['concat:a.mkv|b.mkv', '-report', 'http://x/y.mkv', 'C# projects/a?b.mkv', 'a\nb\tc.mkv']) {
      assert.equal(ffmpegFileUrl(name), `file:${path.resolve(name)}`);
    }
    assert.equal(ffmpegFileUrl('/abs/x.mkv'), 'file:/abs/x.mkv');
  });

  it('opens inputs with local files only and media demuxers only, the file last', () => {
    const args = ffmpegInput('in.mkv');
    assert.deepEqual(args.slice(0, 2), ['-protocol_whitelist', 'file,pipe']);
    assert.equal(args[args.indexOf('-format_whitelist') + 1], MEDIA_DEMUXERS.join(','));
    for (const refused of ['hls', 'dash', 'concat', 'image2', 'tee'])
      assert.ok(!(MEDIA_DEMUXERS as readonly string[]).includes(refused), refused);
    assert.deepEqual(args.slice(-2), ['-i', `file:${path.resolve('in.mkv')}`]);
  });

  it('builds every ffprobe argument list through the same restricted input', () => {
    const lists = [
      ffprobeArgs.mediaInfoArgs('x.mkv'),
      ffprobeArgs.firstFramesArgs('x.mkv', 0, 1),
      ffprobeArgs.firstFrameFormatArgs('x.mkv'),
      ffprobeArgs.packetListArgs('x.mkv'),
      ffprobeArgs.packetListArgs('x.mkv', 2),
      ffprobeArgs.frameListArgs('x.mkv', 0),
      ffprobeArgs.decodedSegmentArgs('x.mkv'),
      ffprobeArgs.countFramesArgs('x.mkv'),
      ffprobeArgs.videoStreamArgs('x.mkv'),
    ];
    for (const args of lists) {
      assert.deepEqual(args.slice(-6), ffmpegInput('x.mkv'));
      assert.equal(args.filter((a) => a.includes('x.mkv')).length, 1, 'the file appears once, as the input');
    }
    assert.equal(ffprobeArgs.packetListArgs('x.mkv', 2)[ffprobeArgs.packetListArgs('x.mkv', 2).indexOf('-select_streams') + 1], '2');
  });

  it('opens the concat list by its bare name (the work directory is the cwd) and lets it read only our Matroska segments', () => {
    assert.deepEqual(concatListInput("/w/C# ?%'\\\n\tü/segment_list.txt"), [
      '-f',
      'concat',
      '-safe',
      '0',
      '-protocol_whitelist',
      'file,pipe',
      '-format_whitelist',
      'concat,matroska',
      '-i',
      'file:segment_list.txt',
    ]);
  });
});

describe('container allow-list (pure)', () => {
  it('reads the refused demuxer from ffmpeg 5.1 and 4.1 lines', () => {
    assert.equal(refusedDemuxer(["[hls @ 0x560d69b49240] Format not on whitelist 'matroska,mov'", 'file:/x: Invalid argument']), 'hls');
    assert.equal(refusedDemuxer(["[hls,applehttp @ 0x339bcc40] Format not on whitelist 'matroska'"]), 'hls,applehttp');
    assert.equal(refusedDemuxer(["[image2 @ 0x55df10329240] Format not on whitelist 'x'"]), 'image2');
    assert.equal(refusedDemuxer(['file:/x: Invalid data found when processing input']), undefined);
  });

  it('names the detected format, what it is, and what is accepted', () => {
    assert.match(
      refusedContainerMessage('hls,applehttp'),
      /^detected format "hls" \(an HLS playlist, which opens the files it lists\) is refused; accepted containers: Matroska\/WebM, MP4\/MOV/,
    );
    assert.match(refusedContainerMessage('concat'), /"concat" \(a concat list/);
    assert.match(refusedContainerMessage('image2'), /"image2" \(an image sequence/);
    assert.match(refusedContainerMessage('png_pipe'), /"png_pipe" \(an image, not a video container\)/);
    assert.match(refusedContainerMessage('wav'), /"wav" \(not an accepted video container\)/);
  });
});

describe('source bounds (pure)', () => {
  const plenty = 1000 * GB;
  it('refuses frames beyond SVT-AV1 limits, naming the limit', () => {
    assert.deepEqual(SVT_AV1_FRAME_LIMITS, { minWidth: 64, minHeight: 64, maxWidth: 16384, maxHeight: 8704 });
    assert.match(
      sourceBoundsProblem({ width: 16400, height: 8800, chroma: 420 }, 10, plenty)!,
      /16400x8800, larger than SVT-AV1's maximum frame of 16384x8704/,
    );
    assert.match(sourceBoundsProblem({ width: 1920, height: 8706, chroma: 420 }, 10, plenty)!, /maximum frame of 16384x8704/);
    assert.match(
      sourceBoundsProblem({ width: 32, height: 32, chroma: 420 }, 10, plenty)!,
      /32x32, smaller than SVT-AV1's minimum frame of 64x64/,
    );
    assert.equal(sourceBoundsProblem({ width: 16384, height: 8704, chroma: 420 }, 10, plenty), undefined);
    assert.equal(
      sourceBoundsProblem({ width: 65, height: 65, chroma: 420 }, 10, plenty),
      undefined,
      'odd sizes are cropped to even, still 64',
    );
    assert.match(sourceBoundsProblem({ width: 63, height: 64, chroma: 420 }, 10, plenty)!, /minimum/, '63 crops to 62');
  });

  it('refuses a source whose one-worker estimate exceeds available memory, with both figures', () => {
    assert.match(
      sourceBoundsProblem({ width: 7680, height: 4320, chroma: 444 }, 10, 8 * GB)!,
      /one encode worker for 7680x4320 at 10 bits needs about \d+\.\d GB of memory and 8\.0 GB is available/,
    );
    assert.equal(sourceBoundsProblem({ width: 1920, height: 1080, chroma: 420 }, 10, 8 * GB), undefined);
  });
});

describe('--crf takes only CRFs the encoder honours (pure)', () => {
  it('integers only before SVT-AV1 4.0', () => {
    assert.equal(crfProblem(30, 1), undefined);
    assert.equal(
      crfProblem(30.5, 1),
      '--crf 30.5: this SVT-AV1 takes whole CRFs only and would encode at another CRF than asked; use 30 or 31',
    );
  });
  it('quarter steps at 4.0', () => {
    assert.equal(crfProblem(30.25, 0.25), undefined);
    assert.equal(crfProblem(30.75, 0.25), undefined);
    assert.match(crfProblem(30.1, 0.25)!, /steps of 0\.25 .*use 30 or 30\.25$/);
  });
});

describe('printable text (pure)', () => {
  it('turns terminal controls into visible escapes and leaves other text alone', () => {
    assert.equal(printable('a\x1b[2Jb\x07c\x9bd'), 'a\\x1b[2Jb\\x07c\\x9bd');
    assert.equal(printable('line\nbreak\ttab\rcr'), 'line\\nbreak\\ttab\\rcr');
    assert.equal(printable('abc\u202Egnp.exe'), 'abc\\u202egnp.exe');
    assert.equal(printable("C# ?%'\\ ü 日本"), "C# ?%'\\ ü 日本");
  });
});
