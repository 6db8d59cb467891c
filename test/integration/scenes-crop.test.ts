import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { JobEvent, PlanEvent, SegmentEvent } from '../../common/events';
import { ffmpegSync, ffprobeJson, tempDir } from '../helpers/clips';
import { movingSource, perFramePsnr, videoPts } from '../helpers/sources';
import { runCli, type CliRun } from '../helpers/faults';
import { runCliSync } from '../helpers/cli';
import { requireBuiltCli } from '../helpers/resume-fixture';

/**
 * --split scene and --crop auto through the real CLI, on clips generated here: shots of different
 * content joined inside one long H.264 GOP (the cuts are not keyframes), and letterboxed content
 * that fades in from black.
 */
const FPS = 24;
/** First frames of the 2nd and 3rd shots. */
const SHOT_STARTS = [60, 134];
const SHOT_FRAMES = [60, 74, 58];
/**
 * At --target-vmaf 85 frames score 28-40 dB; a one-frame shift puts another shot's picture against
 * a frame at a shot change (under 12 dB), and a neighbouring frame of the hue-turning shot ~21 dB.
 */
const MIN_PSNR = 25;

function sceneClip(file: string): string {
  const shots = [movingSource('160x120', FPS), `mandelbrot=s=160x120:r=${FPS}`, `smptebars=s=160x120:r=${FPS},hue=H=2*PI*t*0.5`];
  const args = shots.flatMap((source, i) => ['-f', 'lavfi', '-i', `${source},trim=end_frame=${SHOT_FRAMES[i]},setpts=PTS-STARTPTS`]);
  ffmpegSync([
    ...args,
    '-filter_complex',
    '[0][1][2]concat=n=3:v=1,format=yuv420p[v]',
    '-map',
    '[v]',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-bf',
    '3',
    '-g',
    '600',
    '-keyint_min',
    '600',
    '-sc_threshold',
    '0',
    file,
  ]);
  return file;
}

/** testsrc2 content of `content` size padded with black bars to `frame`, fading in from black over its first 2 s. */
function letterboxed(file: string, frame: [number, number], content: [number, number], seconds: number): string {
  const y = (frame[1] - content[1]) / 2;
  ffmpegSync([
    '-f',
    'lavfi',
    '-i',
    `${movingSource(`${content[0]}x${content[1]}`, FPS)},fade=in:0:${2 * FPS},pad=${frame[0]}:${frame[1]}:0:${y}:black,format=yuv420p`,
    '-t',
    String(seconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    String(2 * FPS),
    file,
  ]);
  return file;
}

function planOf(run: CliRun): PlanEvent {
  const plan = run.events.find((e): e is PlanEvent => e.event === 'plan');
  assert.ok(plan, run.stderr);
  return plan;
}

function keyframeTimes(file: string): number[] {
  const out = execFileSync(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', file],
    { encoding: 'utf8' },
  );
  return out
    .split('\n')
    .filter((l) => l.includes(',K'))
    .map((l) => Number(l.split(',')[0]));
}

/** The part of `probe --json` (server/src/cli/probe.ts) these tests read. */
interface ProbeSummary {
  crop: { rect?: { width: number; height: number; x: number; y: number }; framesSeen: number };
  scenes: { count: number };
}

function probeJson(file: string): ProbeSummary {
  const probe = runCliSync(['probe', file, '--json']);
  assert.equal(probe.status, 0, probe.stderr);
  return JSON.parse(probe.stdout) as ProbeSummary;
}

describe('scene-aware split and automatic crop (integration, real CLI)', function () {
  this.timeout(600_000);
  let dir: string;
  let cleanup: () => void;
  before(() => {
    requireBuiltCli();
    ({ dir, cleanup } = tempDir('chunked-av1-scenes-'));
  });
  after(() => cleanup());

  it('cuts on shot changes inside a long GOP: keyframes there, frame-exact, one CRF per shot', async () => {
    const source = sceneClip(path.join(dir, "shots 'three' #1.mkv"));
    assert.deepEqual(keyframeTimes(source), [0], 'the source has no keyframe at the shot changes');
    const output = path.join(dir, 'shots.av1.mkv');
    const run = await runCli([
      'encode',
      source,
      '-o',
      output,
      '--json',
      '--split',
      'scene',
      '--segment-seconds',
      '3',
      '--min-segment-seconds',
      '1.5',
      '--target-vmaf',
      '85',
      '--preset',
      '12',
      '--samples',
      '1',
      '--sample-duration',
      '1',
      '--keep-work-dir',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const plan = planOf(run);
    const starts = plan.ranges.map((r) => r.startFrame);
    // Every boundary is a shot change, within one frame, and every shot change is a boundary.
    for (const start of starts.slice(1))
      assert.ok(
        SHOT_STARTS.some((s) => Math.abs(s - start) <= 1),
        `boundary at frame ${start}`,
      );
    for (const shot of SHOT_STARTS)
      assert.ok(
        starts.some((s) => Math.abs(s - shot) <= 1),
        `no boundary at the shot change at frame ${shot}`,
      );
    assert.deepEqual(
      plan.ranges.slice(1).map((r) => r.reason),
      ['scene', 'scene'],
    );
    // Each segment opens with a keyframe in the output.
    const keys = keyframeTimes(output);
    for (const range of plan.ranges)
      assert.ok(
        keys.some((k) => Math.abs(k - range.startSeconds) < 0.5 / FPS),
        `no keyframe at ${range.startSeconds} s (${keys.join(', ')})`,
      );
    // Frame-exact: same frame count and timestamps, every frame close to its source frame.
    const want = videoPts(source);
    const got = videoPts(output);
    assert.equal(got.length, want.length);
    const psnr = perFramePsnr(output, source, path.join(dir, 'psnr.log'));
    assert.ok(Math.min(...psnr) >= MIN_PSNR, `worst frame PSNR ${Math.min(...psnr).toFixed(2)} dB`);
    // No shot holds two CRFs: the segments overlapping each shot share one.
    const crfs = new Map(
      run.events.filter((e): e is SegmentEvent => e.event === 'segment' && e.state === 'done').map((e) => [e.index, e.crf]),
    );
    const shotBounds = [0, ...SHOT_STARTS, want.length];
    for (let shot = 0; shot < 3; shot++) {
      const inside = plan.ranges.filter((r) => r.startFrame < shotBounds[shot + 1]! - 1 && r.startFrame + r.frames > shotBounds[shot]! + 1);
      assert.equal(
        new Set(inside.map((r) => crfs.get(r.index))).size,
        1,
        `shot ${shot} spans segments ${inside.map((r) => r.index).join(',')} with CRFs ${inside.map((r) => crfs.get(r.index)).join(',')}`,
      );
    }
    // A second run in the kept work directory takes the scene scores and the crop from the manifest.
    const again = await runCli([
      'encode',
      source,
      '-o',
      output,
      '-y',
      '--json',
      '--split',
      'scene',
      '--segment-seconds',
      '3',
      '--min-segment-seconds',
      '1.5',
      '--target-vmaf',
      '85',
      '--preset',
      '12',
      '--samples',
      '1',
      '--sample-duration',
      '1',
    ]);
    assert.equal(again.code, 0, again.stderr);
    const logs = again.events.flatMap((e) => (e.event === 'log' ? [e.message] : []));
    assert.ok(logs.includes('scene scores from the manifest (no detection pass)'), logs.join('\n'));
    assert.ok(logs.includes('crop decision from the manifest (no cropdetect pass)'), logs.join('\n'));
    assert.deepEqual(
      planOf(again).ranges.map((r) => r.startFrame),
      starts,
    );
  });

  it('crops the bars of a letterboxed source that fades in: the encode and the VMAF reference see the picture', async () => {
    const source = letterboxed(path.join(dir, 'letterbox 640.mkv'), [640, 360], [640, 272], 5);
    const output = path.join(dir, 'letterbox.av1.mkv');
    const run = await runCli([
      'encode',
      source,
      '-o',
      output,
      '--json',
      '--segment-seconds',
      '2',
      '--target-vmaf',
      '88',
      '--preset',
      '12',
      '--samples',
      '1',
      '--sample-duration',
      '1',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(planOf(run).crop, { width: 640, height: 272, x: 0, y: 44 });
    assert.ok(
      run.events.some((e: JobEvent) => e.event === 'log' && e.message === 'cropped 640x360 → 640x272 (black bars: 44 px top and bottom)'),
    );
    const stream = ffprobeJson(output, ['-select_streams', 'v:0', '-show_entries', 'stream=width,height']).streams[0];
    assert.deepEqual([stream?.width, stream?.height], [640, 272]);
    const probes = run.events.flatMap((e) => (e.event === 'segment' && e.probe ? [e.probe] : []));
    assert.ok(probes.length > 0, 'no probe events');
    for (const probe of probes) assert.deepEqual([probe.referenceWidth, probe.referenceHeight], [640, 272]);
  });

  it('finds the content area of a 1920x1080 letterboxed film exactly, the fade to black notwithstanding', () => {
    const source = letterboxed(path.join(dir, 'scope 1080.mkv'), [1920, 1080], [1920, 800], 4);
    const info = probeJson(source);
    assert.deepEqual(info.crop.rect, { width: 1920, height: 800, x: 0, y: 140 });
    assert.ok(info.crop.framesSeen > 0);
  });

  it('does not crop a picture without bars, nor one whose bars are under 1 %', () => {
    const plain = path.join(dir, 'plain.mkv');
    ffmpegSync([
      '-f',
      'lavfi',
      '-i',
      `${movingSource('320x240', FPS)},format=yuv420p`,
      '-t',
      '3',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      plain,
    ]);
    assert.equal(probeJson(plain).crop.rect, undefined);
    const thin = path.join(dir, 'thin bars.mkv');
    // 1 px top and bottom of 360 (0.6 %).
    ffmpegSync([
      '-f',
      'lavfi',
      '-i',
      `${movingSource('640x358', FPS)},pad=640:360:0:1:black,format=yuv420p`,
      '-t',
      '3',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      thin,
    ]);
    const info = probeJson(thin);
    assert.equal(info.crop.rect, undefined);
    assert.equal(info.scenes.count, 1);
  });
});
