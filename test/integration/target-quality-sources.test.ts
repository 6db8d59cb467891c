import assert from 'node:assert/strict';
import path from 'node:path';
import { ffmpegSync, ffprobeJson, tempDir } from '../helpers/clips';
import { assertTargetQualityEncode, encodeWithCli, SAMPLED, type Encoded } from '../helpers/target-quality';
import {
  hdr10Hevc,
  HOSTILE_NAME,
  longGopH264Mp4,
  movingSource,
  oddDimensions444,
  openGopHevc,
  richMkv,
  variableFrameRate,
} from '../helpers/sources';

/**
 * `chunked-av1 encode --target-vmaf 93` on every awkward source of the pipeline issue (open-GOP
 * HEVC, long-GOP H.264 in MP4, VFR, MPEG-TS with a clock that starts late, 10-bit HDR10, a rich
 * MKV, odd-sized 4:4:4, a hostile file name). Options come from the CLI's own argument parser;
 * the job runs in this process so its events can be read. The sources are the pipeline test's
 * tiny clips, shortened to 2 s (160x120, 1 s segments), so the search's own cutting, probing and
 * verification meet the same cuts. Half run with sampled probes, half with the default samples,
 * which cover a 1 s segment and so make every probe a full pass (kept as the output).
 */
describe('target quality on awkward sources (integration, real ffmpeg)', function () {
  this.timeout(300_000);
  let dir: string;
  let cleanup: () => void;
  before(() => ({ dir, cleanup } = tempDir('chunked-av1-tq-sources-')));
  after(() => cleanup());

  async function check(source: string, outputName: string, extra: string[] = []): Promise<Encoded> {
    const output = path.join(dir, outputName);
    const encoded = await encodeWithCli(source, output, extra);
    assertTargetQualityEncode(source, output, encoded);
    return encoded;
  }

  it('open-GOP HEVC with B-frames (full-pass probes)', async () => {
    await check(openGopHevc(path.join(dir, 'open-gop.mkv'), 2), 'open-gop.av1.mkv');
  });

  it('long-GOP H.264 in MP4, cut between keyframes, into an MP4 (sampled probes)', async () => {
    await check(longGopH264Mp4(path.join(dir, 'long-gop.mp4'), 2), 'long-gop.av1.mp4', SAMPLED);
  });

  it('variable frame rate (sampled probes)', async () => {
    await check(variableFrameRate(path.join(dir, 'vfr.mkv'), 2), 'vfr.av1.mkv', SAMPLED);
  });

  it('MPEG-TS whose clock starts at 1.4 s, with audio (sampled probes)', async () => {
    const source = path.join(dir, 'clock.ts');
    ffmpegSync([
      '-f',
      'lavfi',
      '-i',
      movingSource('160x120', 25),
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=300:sample_rate=48000',
      '-t',
      '2',
      '-pix_fmt',
      'yuv420p',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-g',
      '25',
      '-c:a',
      'aac',
      '-f',
      'mpegts',
      source,
    ]);
    await check(source, 'clock.av1.mkv', SAMPLED);
  });

  it('10-bit HDR10 HEVC keeps 10 bits and its colour properties (full-pass probes)', async () => {
    const output = path.join(dir, 'hdr10.av1.mkv');
    await check(hdr10Hevc(path.join(dir, 'hdr10.mkv')), 'hdr10.av1.mkv');
    const stream = ffprobeJson(output, ['-select_streams', 'v:0', '-show_entries', 'stream=pix_fmt,color_transfer']).streams[0];
    assert.deepEqual([stream?.pix_fmt, stream?.color_transfer], ['yuv420p10le', 'smpte2084']);
  });

  it('rich MKV: two audio tracks, subtitles, chapters and a font (sampled probes)', async () => {
    const output = path.join(dir, 'rich.av1.mkv');
    await check(richMkv(path.join(dir, 'rich.mkv'), 2), 'rich.av1.mkv', SAMPLED);
    const chapters = ffprobeJson(output, ['-show_chapters']).chapters;
    assert.deepEqual(
      chapters?.map((c) => c.tags?.title),
      ['Opening', 'Ending'],
    );
  });

  it('odd-sized 4:4:4, cropped and converted to 4:2:0 for the probes as for the encode (full-pass probes)', async () => {
    await check(oddDimensions444(path.join(dir, 'odd.mkv')), 'odd.av1.mkv');
  });

  it('a hostile file name, through every probe, cut and measurement (sampled probes)', async () => {
    await check(openGopHevc(path.join(dir, HOSTILE_NAME), 2), `${HOSTILE_NAME}.av1.mkv`, SAMPLED);
  });
});
