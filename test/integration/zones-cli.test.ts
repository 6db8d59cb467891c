import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ffmpegSync, tempDir } from '../helpers/clips';
import { runCliSync } from '../helpers/cli';

/**
 * Zones with the real CLI (#26): `zones import` of an Av1an file, the plan `probe --zones` shows
 * (zone boundaries as cuts, snapped to the scene change), a bad zones file refused in one line
 * before anything is made, and an encode that finds INPUT.zones beside its input.
 */
const CHAPTER_TWO = 'Générique — 終わり';

/** 8 s at 24 fps, 160x90: two scenes (testsrc2, then a mandelbrot) cut at 4 s, a chapter for each. */
function twoSceneClip(dir: string): string {
  const file = path.join(dir, 'film "two" scenes.mkv');
  const metadata = path.join(dir, 'chapters.txt');
  writeFileSync(
    metadata,
    `;FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=4000\ntitle=Opening\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=4000\nEND=8000\ntitle=${CHAPTER_TWO}\n`,
  );
  ffmpegSync([
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=160x90:r=24:d=4,format=yuv420p',
    '-f',
    'lavfi',
    '-i',
    'mandelbrot=s=160x90:r=24,trim=duration=4,format=yuv420p',
    '-i',
    metadata,
    '-filter_complex',
    '[0:v][1:v]concat=n=2:v=1[v]',
    '-map',
    '[v]',
    '-map_chapters',
    '2',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    '48',
    '-keyint_min',
    '48',
    file,
  ]);
  return file;
}

interface PlannedRow {
  index: number;
  startFrame: number;
  frames: number;
  reason?: string;
  zone?: { index: number; overrides: Record<string, unknown> };
}

describe('zones (integration, real CLI)', function () {
  this.timeout(300_000);
  let dir: string;
  let cleanup: () => void;
  let clip: string;
  before(() => {
    ({ dir, cleanup } = tempDir('chunked-av1-zones-'));
    clip = twoSceneClip(dir);
  });
  after(() => cleanup());

  it('imports an Av1an zones file, mapping what maps and naming what does not', () => {
    const av1an = path.join(dir, 'av1an zones.txt');
    writeFileSync(
      av1an,
      '0 48 svt-av1 --crf 40 --preset 6 --film-grain 8\n96 -1 svt-av1 reset --crf 30 --passes 2\n10 20 aom --cq-level=32\n',
    );
    const run = runCliSync(['zones', 'import', av1an]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.stdout.split('\n').slice(1), [
      '0-48 crf=40 preset=6 film-grain=8',
      "96-end crf=30  # not mapped: reset (a zone's keys always apply on top of the job's options), --passes 2",
      '10-20  # not mapped: aom arguments (we encode with SVT-AV1), --cq-level=32',
      '',
    ]);
    assert.match(run.stderr, /^chunked-av1: av1an zones\.txt:2: not mapped: --passes 2$/m);
    assert.match(run.stderr, /^chunked-av1: av1an zones\.txt:3: not mapped: --cq-level=32$/m);
    // What it printed plans: saved as a zones file, probe reads it.
    const saved = path.join(dir, 'imported.zones');
    writeFileSync(saved, run.stdout.split('\n').slice(0, 3).join('\n'));
    const probe = runCliSync(['probe', clip, '--json', '--zones', saved]);
    assert.equal(probe.status, 0, probe.stderr);
    const missing = runCliSync(['zones', 'import', path.join(dir, 'nope.txt')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^chunked-av1: .*nope\.txt: no such file$/m);
  });

  it('plans zone boundaries as cuts, snapped to the scene change, each segment with its zone', () => {
    const zones = path.join(dir, 'plan.zones');
    // 3.9 s is frame 94, two frames before the scene change at 4 s (frame 96): the end snaps there.
    writeFileSync(zones, `# two zones\n0:01-0:03.9 crf=30\nchapter "${CHAPTER_TWO}" target-vmaf=85 film-grain=4\n`);
    const run = runCliSync(['probe', clip, '--json', '--zones', zones]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /zones: zone 0 \(line 2\): end moved from frame 94 to the scene cut at frame 96 \(\+0\.08 s\)/);
    const { plan } = JSON.parse(run.stdout) as { plan: { zones: string; segments: PlannedRow[] } };
    assert.equal(plan.zones, zones);
    const starts = plan.segments.map((s) => s.startFrame);
    assert.ok(starts.includes(24) && starts.includes(96), `cuts at 24 and 96: ${starts.join(', ')}`);
    assert.equal(plan.segments.find((s) => s.startFrame === 24)!.reason, 'zone');
    for (const segment of plan.segments) {
      const end = segment.startFrame + segment.frames;
      if (segment.zone?.index === 0) assert.ok(segment.startFrame >= 24 && end <= 96, `segment ${segment.index} inside zone 0`);
      else if (segment.zone?.index === 1) assert.ok(segment.startFrame >= 96 && end <= 192, `segment ${segment.index} inside zone 1`);
      else assert.ok(end <= 24, `segment ${segment.index} before the zones`);
    }
    assert.deepEqual(plan.segments.find((s) => s.startFrame === 96)!.zone, {
      index: 1,
      overrides: { targetVmaf: 85, svtParams: 'film-grain=4' },
    });
    const text = runCliSync(['probe', clip, '--zones', zones]);
    assert.match(text.stdout, /zones from .*plan\.zones\):\n/);
    assert.match(text.stdout, /\n +\d+ +1\.000–\S+ s +\d+ frames +zone \(zone 0\)\n/);
  });

  it('refuses a bad zones file in one line naming FILE:LINE:COLUMN, before any work directory is made', () => {
    const work = path.join(dir, 'bad');
    const zones = path.join(dir, 'bad.zones');
    writeFileSync(zones, '0-48 crf=30\n100-9999 target-vmf=90\n');
    const run = runCliSync([
      'encode',
      clip,
      '--zones',
      zones,
      '--crf',
      '40',
      '--preset',
      '13',
      '-o',
      path.join(dir, 'bad.mkv'),
      '--work-dir',
      work,
    ]);
    assert.equal(run.status, 1, run.stderr);
    const lines = run.stderr.trim().split('\n');
    assert.match(
      lines.at(-1)!,
      /^chunked-av1: .*bad\.zones:2:1: the zone runs past the video's end \(192 frames, 0:0(8|7\.999)\) \(and 1 more problem\(s\) in the file\)$/,
    );
    assert.equal(existsSync(work), false, 'no work directory');
    assert.equal(existsSync(path.join(dir, 'bad.mkv')), false);
    const unknown = runCliSync(['encode', clip, '--zones', path.join(dir, 'none.zones'), '--crf', '40', '-o', path.join(dir, 'none.mkv')]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /none\.zones: zones file not found$/m);
  });

  it('encodes with INPUT.zones found beside the input, says so once, cuts at its boundaries, and status --json gives each zone after the work directory is gone', () => {
    writeFileSync(`${clip}.zones`, 'chapter "Opening" crf=50\n');
    try {
      const output = path.join(dir, 'out.mkv');
      const run = runCliSync(['encode', clip, '--crf', '40', '--preset', '13', '--segment-seconds', '2', '-o', output, '--json']);
      assert.equal(run.status, 0, run.stderr);
      const events = run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { event: string; message?: string; ranges?: PlannedRow[] });
      const said = events.filter((e) => e.event === 'log' && e.message?.startsWith('using zones from '));
      assert.equal(said.length, 1);
      assert.equal(said[0]!.message, `using zones from ${clip}.zones`);
      const plan = events.find((e) => e.event === 'plan')!;
      assert.ok(
        plan.ranges!.some((r) => r.startFrame === 96),
        `a cut at the chapter's end: ${plan.ranges!.map((r) => r.startFrame).join(', ')}`,
      );
      assert.ok(existsSync(output));
      assert.deepEqual(
        readdirSync(dir).filter((name) => name.endsWith('.work')),
        [],
      );
      // The work directory is gone: status --json still gives each segment's zone (the finished-job record keeps them).
      const status = runCliSync(['status', '--json', output]);
      assert.equal(status.status, 0, status.stderr);
      const segments = (JSON.parse(status.stdout) as { segments: { index: number; crf: number; zone?: unknown }[] }).segments;
      assert.equal(segments.length, plan.ranges!.length);
      for (const segment of segments) {
        const zoned = plan.ranges!.find((r) => r.index === segment.index)!.startFrame < 96;
        assert.deepEqual(segment.zone, zoned ? { index: 0, overrides: { crf: 50 } } : undefined, `segment ${segment.index}'s zone`);
        assert.equal(segment.crf, zoned ? 50 : 40, `segment ${segment.index}'s CRF`);
      }
    } finally {
      writeFileSync(`${clip}.zones`, '');
    }
  });
  it("encodes each segment at its zone's CRF, gives the zone in status --json, and encodes again only the segments whose zone changed", () => {
    const zones = path.join(dir, 'crf.zones');
    const output = path.join(dir, 'zoned.mkv');
    const work = path.join(dir, 'zoned.work');
    type Event = { event: string; index?: number; state?: string; crf?: number; level?: string; message?: string };
    const encode = (): Event[] => {
      const run = runCliSync(
        [
          'encode',
          clip,
          '--zones',
          zones,
          '--crf',
          '40',
          '--preset',
          '13',
          '--segment-seconds',
          '2',
          '-o',
          output,
          '--work-dir',
          work,
        ].concat(['--keep-work-dir', '-y', '--json']),
      );
      assert.equal(run.status, 0, run.stderr);
      return run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Event);
    };
    const crfs = (events: Event[]) =>
      new Map(events.filter((e) => e.event === 'segment' && e.state === 'encoding').map((e) => [e.index!, e.crf!]));
    writeFileSync(zones, `chapter "Opening" crf=50\nchapter "${CHAPTER_TWO}" crf=20\n`);
    const first = crfs(encode());
    const status = runCliSync(['status', '--json', '--work-dir', work, output]);
    assert.equal(status.status, 0, status.stderr);
    const segments = (
      JSON.parse(status.stdout) as { segments: { index: number; startFrame: number; crf: number; zone?: { index: number } }[] }
    ).segments;
    assert.deepEqual([...new Set(segments.map((s) => s.zone?.index))].sort(), [0, 1], 'segments in both zones');
    for (const segment of segments) {
      const zone = segment.startFrame < 96 ? 0 : 1;
      assert.equal(segment.zone?.index, zone, `segment ${segment.index}'s zone`);
      assert.equal(segment.crf, zone === 0 ? 50 : 20, `segment ${segment.index}'s CRF`);
      assert.equal(first.get(segment.index), segment.crf, `segment ${segment.index} was encoded at its zone's CRF`);
    }
    // The second zone changes: only its segments are encoded again, and the run says so in one line.
    writeFileSync(zones, `chapter "Opening" crf=50\nchapter "${CHAPTER_TWO}" crf=25\n`);
    const events = encode();
    const again = crfs(events);
    const second = segments.filter((s) => s.startFrame >= 96).map((s) => s.index);
    assert.deepEqual(
      [...again.keys()].sort((a, b) => a - b),
      second,
    );
    assert.ok([...again.values()].every((crf) => crf === 25));
    const said = events.filter((e) => e.event === 'log' && /the zones changed since the last run/.test(e.message ?? ''));
    assert.equal(said.length, 1, JSON.stringify(said));
    assert.match(said[0]!.message!, new RegExp(`segment\\(s\\) ${second.join(', ')}: encoding them again$`));
  });
});
