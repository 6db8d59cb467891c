import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { basicClip, decodedFrameCount, ffmpegSync, ffprobeJson, tempDir } from '../helpers/clips';
import { runCliSync } from '../helpers/cli';
import { requireBuiltCli } from '../helpers/resume-fixture';
import { movingSource } from '../helpers/sources';

/**
 * Issue #24 part C: sources that gave wrong pictures with exit 0 (or a refusal) before. Tiny
 * clips generated here, the real CLI. Before the fix (main at 5b1d378): case 11 encoded the 64x64
 * still as "the video" (output 64x64, 1 frame); case 12 exited 1 with "segment copy has no
 * timestamped packets"; case 10 cut 170 px off the right of a 320-wide coded picture (crop
 * detected upright, applied to the coded frames) and with --crop none wrote 320x180 sideways.
 */
describe('hostile sources: wrong pictures with exit 0 (real CLI, #24 C)', function () {
  this.timeout(300_000);
  const root = tempDir('chunked-av1-sources-');
  const file = (name: string) => path.join(root.dir, name);

  before(() => requireBuiltCli());
  after(() => root.cleanup());

  function encode(input: string, output: string, extra: string[] = []) {
    const result = runCliSync(['encode', input, '-o', output, '--crf', '45', '--preset', '12', ...extra], { timeoutMs: 240_000 });
    assert.equal(result.status, 0, result.stderr);
    return result;
  }

  const videoStreams = (output: string) =>
    ffprobeJson(output, ['-show_entries', 'stream=index,codec_type,codec_name,width,height']).streams.filter(
      (s) => s.codec_type === 'video',
    );

  it('case 11: a one-frame MJPEG still as the first stream is carried, the real video is encoded', () => {
    const still = file('still.jpg');
    ffmpegSync(['-f', 'lavfi', '-i', 'testsrc2=s=64x64:r=1', '-frames:v', '1', '-c:v', 'mjpeg', still]);
    const film = basicClip(file('film.mkv'), { seconds: 2, size: '160x120', fps: 24, gopFrames: 24 });
    const input = file('still-first.mkv');
    ffmpegSync(['-i', still, '-i', film, '-map', '0:v', '-map', '1:v', '-c', 'copy', input]);
    for (const container of ['mkv', 'mp4']) {
      const output = file(`out11.${container}`);
      const result = encode(input, output);
      assert.match(result.stderr, /video stream 1 \(160x120\) is encoded, the largest of 2 video streams; stream 0 is a one-frame still/);
      const videos = videoStreams(output);
      assert.deepEqual(
        videos.map((s) => [s.codec_name, s.width, s.height]),
        [
          ['av1', 160, 120],
          ['mjpeg', 64, 64],
        ],
        container,
      );
      assert.equal(decodedFrameCount(output), 48, container);
    }
  });

  it('case 12: an MP4 whose edit list starts mid-GOP encodes every frame ffprobe decodes, in order', () => {
    const base = file('base.mkv');
    ffmpegSync([
      '-f',
      'lavfi',
      '-i',
      movingSource('160x120', 24),
      '-t',
      '4',
      '-pix_fmt',
      'yuv420p',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-g',
      '48',
      base,
    ]);
    const cut = file('cut.mp4');
    ffmpegSync(['-ss', '1.3', '-i', base, '-c', 'copy', '-an', cut]);
    const expected = decodedFrameCount(cut);
    assert.ok(expected > 50, `the cut decodes to ${expected} frames`);
    const output = file('out12.mkv');
    encode(cut, output, ['--split', 'keyframe', '--segment-seconds', '1']);
    assert.equal(decodedFrameCount(output), expected);
    // In order, frame for frame: a one-frame shift on this moving picture falls far below 30 dB.
    const stats = file('psnr.txt');
    ffmpegSync([
      '-i',
      output,
      '-i',
      cut,
      '-lavfi',
      `[0:v]settb=1/24,setpts=N[a];[1:v]settb=1/24,setpts=N[b];[a][b]psnr=stats_file=${stats.replace(/[\\':]/g, '\\$&')}`,
      '-f',
      'null',
      '-',
    ]);
    const worst = Math.min(
      ...readFileSync(stats, 'utf8')
        .trim()
        .split('\n')
        .map((line) => Number(/psnr_avg:([\d.]+|inf)/.exec(line)?.[1]?.replace('inf', '99'))),
    );
    assert.ok(worst > 28, `worst frame ${worst} dB`);
  });
  it('case 10: a 90° display matrix is applied on purpose; crop is detected in the upright picture (MKV and MP4)', () => {
    // Coded 320x180 with 30 px bars top and bottom; displayed 180x320 with the bars left and right.
    const coded = file('coded.mkv');
    ffmpegSync([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=320x120:r=24,pad=320:180:0:30',
      '-t',
      '1',
      '-pix_fmt',
      'yuv420p',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-g',
      '24',
      coded,
    ]);
    const input = file('rotated.mp4');
    ffmpegSync(['-i', coded, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', input]);
    const cases: [string, string, number, number][] = [
      ['auto', 'mkv', 120, 320],
      ['none', 'mkv', 180, 320],
      ['none', 'mp4', 180, 320],
    ];
    for (const [crop, container, width, height] of cases) {
      const output = file(`out10-${crop}.${container}`);
      const result = encode(input, output, ['--crop', crop]);
      if (crop === 'auto') assert.match(result.stderr, /cropped 180x320 → 120x320 \(black bars: 30 px left and right\)/);
      const [video] = videoStreams(output);
      assert.deepEqual([video?.width, video?.height], [width, height], `${crop} ${container}`);
      // Upright as a player shows the source (ffmpeg autorotates it): far closer than the other turn.
      const psnr = (turn: string) => {
        const run = spawnSync(
          'ffmpeg',
          ['-hide_banner', '-i', output, '-noautorotate', '-i', input, '-lavfi', `[1:v]${turn}[r];[0:v][r]psnr`, '-f', 'null', '-'],
          { encoding: 'utf8' },
        );
        return Number(/average:([\d.]+)/.exec(run.stderr)?.[1]);
      };
      const window = crop === 'auto' ? ',crop=120:320:30:0' : '';
      const upright = psnr(`transpose=cclock${window}`);
      assert.ok(upright > 25 && upright > psnr(`transpose=clock${window}`) + 10, `${crop} ${container}: ${upright} dB upright`);
    }
  });
});
