import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runEncodeJob } from '../../server/src/pipeline';
import { parseEncodeOptions, type EncodeOptionsInput } from '../../common/options';
import type { JobEvent } from '../../common/events';
import { decodedFrameCount, ffmpegSync, ffprobeJson, tempDir } from '../helpers/clips';
import {
  hdr10Hevc,
  longGopH264Mp4,
  movingSource,
  oddDimensions444,
  openGopHevc,
  perFramePsnr,
  richMkv,
  variableFrameRate,
  videoPts,
} from '../helpers/sources';

/**
 * The chunked pipeline on awkward sources, with real ffmpeg/SVT-AV1 on tiny generated clips.
 * Frame-exactness: decoded frame counts equal, timestamps equal (rebased), and every frame's PSNR
 * against the source (paired by index) far above what a one-frame shift gives.
 */
const MIN_PSNR = 32; // encodes here give 38-46 dB; neighbouring frames of these sources ~21-24 dB

/**
 * The default split (scene). These clips are one shot each, so a 1 s maximum makes the scene
 * cutter split that shot at its quietest frames: cuts at any frame, not only at keyframes (pieces
 * of at least 0.5 s, so a VFR clip a few frames short of 3 s still makes three).
 */
async function encode(input: string, output: string, extra: Partial<EncodeOptionsInput> = {}) {
  const events: JobEvent[] = [];
  const done = await runEncodeJob(
    parseEncodeOptions({ input, output, preset: 13, crf: 30, segmentSeconds: 1, maxSegmentSeconds: 1, minSegmentSeconds: 0.5, ...extra }),
    { onEvent: (e) => events.push(e) },
  );
  return { done, events };
}

function assertFrameExact(output: string, source: string, dir: string, crop?: string): void {
  const frames = decodedFrameCount(source);
  assert.equal(decodedFrameCount(output), frames, 'decoded frame count');
  const want = videoPts(source);
  const got = videoPts(output);
  assert.equal(got.length, want.length, 'packet count');
  got.forEach((t, i) => assert.ok(Math.abs(t - got[0]! - (want[i]! - want[0]!)) <= 0.0015, `frame ${i} at ${t}, source ${want[i]}`));
  const psnr = perFramePsnr(output, source, path.join(dir, 'psnr.log'), { crop });
  assert.equal(psnr.length, frames);
  const worst = Math.min(...psnr);
  assert.ok(worst >= MIN_PSNR, `frame ${psnr.indexOf(worst)} PSNR ${worst.toFixed(2)} dB < ${MIN_PSNR}`);
}

/** Segments planned, by the scene split (the default: its plan event counts the scene changes). */
function segmentsPlanned(events: JobEvent[]): number {
  const plan = events.find((e) => e.event === 'plan');
  assert.ok(plan && plan.event === 'plan');
  assert.equal(typeof plan.scenes, 'number', 'planned by the default scene split');
  return plan.segments;
}

describe('pipeline (integration, real ffmpeg)', function () {
  this.timeout(240_000);
  let dir: string;
  let cleanup: () => void;
  before(() => ({ dir, cleanup } = tempDir('chunked-av1-pipeline-')));
  after(() => cleanup());

  it('encodes open-GOP HEVC with B-frames frame-exactly across segment cuts', async () => {
    const source = openGopHevc(path.join(dir, 'open-gop.mkv'));
    const output = path.join(dir, 'open-gop.av1.mkv');
    const { done, events } = await encode(source, output);
    assert.ok(segmentsPlanned(events) >= 3);
    assert.equal(done.frames, 72);
    assertFrameExact(output, source, dir);
    // The check would catch a shift: the same output against the source minus its first frame.
    const shifted = path.join(dir, 'shifted.mkv');
    ffmpegSync(['-i', source, '-vf', 'select=gte(n\\,1),setpts=PTS-STARTPTS', '-c:v', 'ffv1', shifted]);
    assert.ok(Math.min(...perFramePsnr(output, shifted, path.join(dir, 'shift.log'))) < MIN_PSNR - 5);
    assert.ok(!existsSync(path.join(dir, '.open-gop.av1.mkv.work')), 'work dir removed after success');
  });

  // Each copy starts at its segment's own keyframe, never a GOP earlier: these sources have
  // keyframes that are no IDR, so a frame after one that needed an earlier GOP would show here.
  const h264WithoutIdrCuts = [
    {
      name: 'open-GOP H.264 (recovery points, leading B-frames)',
      file: 'open-gop-h264',
      x264: 'open-gop=1:keyint=24:min-keyint=24:bframes=3:b-adapt=0:scenecut=0',
    },
    { name: 'intra-refresh H.264 (no IDR after the first frame)', file: 'intra-refresh', x264: 'intra-refresh=1:keyint=24' },
  ];
  for (const { name, file, x264 } of h264WithoutIdrCuts) {
    it(`encodes ${name} frame-exactly from each segment's own keyframe`, async () => {
      const source = path.join(dir, `${file}.mkv`);
      ffmpegSync([
        '-f',
        'lavfi',
        '-i',
        movingSource('160x120', 24),
        '-t',
        '3',
        '-pix_fmt',
        'yuv420p',
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-x264-params',
        x264,
        source,
      ]);
      const output = path.join(dir, `${file}.av1.mkv`);
      const { events } = await encode(source, output);
      assert.ok(segmentsPlanned(events) >= 3);
      assertFrameExact(output, source, dir);
    });
  }

  it('encodes long-GOP H.264 in MP4 with B-frames (cuts between keyframes) into an MP4', async () => {
    const source = longGopH264Mp4(path.join(dir, 'long-gop.mp4'));
    const output = path.join(dir, 'long-gop.av1.mp4');
    const { events } = await encode(source, output);
    assert.ok(segmentsPlanned(events) >= 3);
    assert.match(ffprobeJson(output, ['-show_entries', 'format=format_name']).format?.format_name ?? '', /mp4/);
    assertFrameExact(output, source, dir);
  });

  it('encodes MPEG-TS (clock starting at 1.4 s) with its audio in sync', async () => {
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
      '3',
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
    const output = path.join(dir, 'clock.av1.mkv');
    const { events } = await encode(source, output);
    assert.ok(segmentsPlanned(events) >= 3);
    assertFrameExact(output, source, dir);
    const starts = ffprobeJson(output, ['-show_entries', 'stream=codec_type,start_time']).streams.map((s) => Number(s.start_time));
    assert.ok(Math.abs(starts[0]! - starts[1]!) < 0.05, `video and audio start together: ${starts.join(',')}`);
  });

  it('keeps the timestamps of a variable-frame-rate source', async () => {
    const source = variableFrameRate(path.join(dir, 'vfr.mkv'));
    const output = path.join(dir, 'vfr.av1.mkv');
    const { events } = await encode(source, output);
    assert.ok(segmentsPlanned(events) >= 3);
    assertFrameExact(output, source, dir);
  });

  it('carries 10-bit HDR10 colour properties and mastering metadata into the AV1 stream', async () => {
    const source = hdr10Hevc(path.join(dir, 'hdr10.mkv'));
    const output = path.join(dir, 'hdr10.av1.mkv');
    await encode(source, output);
    assertFrameExact(output, source, dir);
    const data = ffprobeJson(output, [
      '-select_streams',
      'v:0',
      '-read_intervals',
      '%+#1',
      '-show_frames',
      '-show_streams',
      '-show_entries',
      'stream=pix_fmt,color_primaries,color_transfer,color_space:frame_side_data',
    ]);
    const stream = data.streams[0];
    assert.equal(stream?.pix_fmt, 'yuv420p10le');
    assert.equal(stream?.color_primaries, 'bt2020');
    assert.equal(stream?.color_transfer, 'smpte2084');
    assert.equal(stream?.color_space, 'bt2020nc');
    const sideData = data.frames?.[0]?.side_data_list ?? [];
    const md = sideData.find((s) => s.side_data_type === 'Mastering display metadata');
    const cll = sideData.find((s) => s.side_data_type === 'Content light level metadata');
    assert.ok(md, 'mastering display metadata present');
    const ratio = (r: string | number | undefined) => {
      const [a, b] = String(r).split('/').map(Number);
      return a! / b!;
    };
    assert.ok(Math.abs(ratio(md.green_x) - 0.265) < 0.001 && Math.abs(ratio(md.red_y) - 0.32) < 0.001);
    assert.ok(Math.abs(ratio(md.max_luminance) - 1000) < 1 && Math.abs(ratio(md.min_luminance) - 0.005) < 0.001);
    assert.deepEqual([cll?.max_content, cll?.max_average], [1000, 400]);
  });

  it('keeps two audio tracks, subtitles, chapters, a font attachment, metadata and dispositions', async () => {
    const source = richMkv(path.join(dir, 'rich.mkv'));
    const output = path.join(dir, 'rich.av1.mkv');
    await encode(source, output);
    assertFrameExact(output, source, dir);
    const data = ffprobeJson(output, ['-show_streams', '-show_chapters', '-show_format']);
    const streams = data.streams;
    assert.deepEqual(
      streams.map((s) => s.codec_type),
      ['video', 'audio', 'audio', 'subtitle', 'attachment'],
    );
    assert.deepEqual(
      streams.map((s) => s.codec_name),
      ['av1', 'aac', 'opus', 'subrip', 'ttf'],
    );
    assert.deepEqual([streams[1]?.tags?.language, streams[1]?.tags?.title], ['eng', 'English stereo']);
    assert.deepEqual([streams[2]?.tags?.language, streams[2]?.tags?.title], ['fra', 'Français mono']);
    assert.deepEqual([streams[3]?.tags?.language, streams[3]?.tags?.title], ['deu', 'Deutsch']);
    assert.equal(streams[3]?.disposition?.forced, 1);
    assert.equal(streams[2]?.disposition?.default, 0);
    assert.match(streams[4]?.tags?.filename ?? '', /\.ttf$/);
    assert.equal(streams[4]?.tags?.mimetype, 'application/x-truetype-font');
    assert.deepEqual(
      data.chapters?.map((c) => c.tags?.title),
      ['Opening', 'Ending'],
    );
    assert.equal(data.format?.tags?.title, 'Rich sample');
  });

  it('re-encodes every audio track to Opus with per-layout bitrates when asked', async () => {
    const source = path.join(dir, 'rich.mkv');
    const output = path.join(dir, 'rich.opus.mkv');
    await encode(source, output, { audio: 'opus', segmentSeconds: 10 });
    const streams = ffprobeJson(output, ['-show_streams']).streams;
    assert.deepEqual(
      streams.filter((s) => s.codec_type === 'audio').map((s) => [s.codec_name, s.channels]),
      [
        ['opus', 2],
        ['opus', 1],
      ],
    );
    assert.equal(decodedFrameCount(output), 72);
  });

  it('turns an MP4 with mov_text subtitles and cover art into MKV (subtitles converted, cover attached)', async () => {
    const source = path.join(dir, 'cover.mp4');
    const srt = path.join(dir, 'cover.srt');
    writeFileSync(srt, '1\n00:00:00,000 --> 00:00:01,000\nHi\n');
    ffmpegSync([
      '-f',
      'lavfi',
      '-i',
      movingSource('160x120', 24),
      '-f',
      'lavfi',
      '-i',
      'sine',
      '-i',
      srt,
      '-f',
      'lavfi',
      '-i',
      'color=red:s=64x64,format=yuvj420p',
      '-map',
      '0:v',
      '-map',
      '1:a',
      '-map',
      '2:s',
      '-map',
      '3:v',
      '-frames:v:1',
      '1',
      '-t',
      '2',
      '-pix_fmt:v:0',
      'yuv420p',
      '-c:v:0',
      'libx264',
      '-preset',
      'veryfast',
      '-c:v:1',
      'mjpeg',
      '-disposition:v:1',
      'attached_pic',
      '-c:a',
      'aac',
      '-c:s',
      'mov_text',
      source,
    ]);
    const output = path.join(dir, 'cover.av1.mkv');
    const { events } = await encode(source, output);
    assert.ok(events.some((e) => e.event === 'log' && /mov_text\) converted to subrip/.test(e.message)));
    const streams = ffprobeJson(output, ['-show_streams']).streams;
    // Matroska stores the cover as an attachment; ffmpeg reads image attachments back as attached pictures.
    assert.deepEqual(
      streams.map((s) => [s.codec_type, s.codec_name, s.disposition?.attached_pic]),
      [
        ['video', 'av1', 0],
        ['audio', 'aac', 0],
        ['subtitle', 'subrip', 0],
        ['video', 'mjpeg', 1],
      ],
    );
    assert.deepEqual([streams[3]?.tags?.filename, streams[3]?.tags?.mimetype], ['cover.jpg', 'image/jpeg']);
    assertFrameExact(output, source, dir);
  });

  it('crops odd dimensions to even and converts 4:4:4 to 4:2:0, saying so', async () => {
    const source = oddDimensions444(path.join(dir, 'odd.mkv'));
    const output = path.join(dir, 'odd.av1.mkv');
    const { events } = await encode(source, output);
    const logs = events.flatMap((e) => (e.event === 'log' ? [e.message] : []));
    assert.ok(
      logs.some((m) => /odd dimensions 161x121 cropped to 160x120/.test(m)),
      logs.join('\n'),
    );
    assert.ok(
      logs.some((m) => /4:4:4\) converted to yuv420p10le/.test(m)),
      logs.join('\n'),
    );
    const stream = ffprobeJson(output, ['-select_streams', 'v:0', '-show_entries', 'stream=width,height,pix_fmt']).streams[0];
    assert.deepEqual([stream?.width, stream?.height, stream?.pix_fmt], [160, 120, 'yuv420p10le']);
    assertFrameExact(output, source, dir, '160:120');
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('.partial')),
      [],
      'no temporary output left',
    );
  });
});
