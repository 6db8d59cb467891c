import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runEncodeJob } from '../../server/src/pipeline';
import { parseEncodeOptions, type EncodeOptionsInput } from '../../common/options';
import type { DoneEvent, JobEvent, SegmentEvent } from '../../common/events';
import { forgetOpenQualityCaches, QUALITY_CACHE_FILE } from '../../server/src/crf/quality-cache';
import { tempDir } from '../helpers/clips';
import { crfGranularity } from '../../server/src/crf/crf-granularity';
import { resolveTools, toolCapabilities } from '../../server/src/sys/tools';
import { complexityClip } from '../helpers/complexity-clip';

/**
 * --target-vmaf end to end on a source with an easy, a medium and a hard part (two 1 s segments
 * each), real ffmpeg/SVT-AV1 and the configured VMAF engine.
 */
const MIN_CRF = 10;
const MAX_CRF = 55;

async function encode(input: string, output: string, workDir: string, extra: Partial<EncodeOptionsInput>) {
  const events: JobEvent[] = [];
  const done = await runEncodeJob(
    parseEncodeOptions({
      input,
      output,
      workDir,
      keepWorkDir: true,
      overwrite: true,
      preset: 13,
      segmentSeconds: 1,
      // Two 1 s segments per part at its keyframes (a scene split would keep each 2 s part whole).
      split: 'keyframe',
      minCrf: MIN_CRF,
      maxCrf: MAX_CRF,
      ...extra,
    }),
    { onEvent: (e) => events.push(e) },
  );
  return { done, events };
}

function measurementLines(workDir: string): number {
  return readFileSync(path.join(workDir, QUALITY_CACHE_FILE), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"type":"measurement"')).length;
}

/** Every segment's verified VMAF is in [T - 0.5, T + 2], unless the CRF range or grid makes that impossible. */
function assertInRange(done: DoneEvent, events: JobEvent[], target: number): void {
  for (const segment of done.segments) {
    assert.equal(typeof segment.crf, 'number', `segment ${segment.index} has a CRF`);
    assert.equal(typeof segment.vmaf, 'number', `segment ${segment.index} has a verified VMAF`);
    const vmaf = segment.vmaf!;
    const crf = segment.crf!;
    const probes = events
      .filter((e): e is SegmentEvent => e.event === 'segment' && e.index === segment.index && !!e.probe)
      .map((e) => e.probe!);
    const detail = `segment ${segment.index}: CRF ${crf}, verified VMAF ${vmaf.toFixed(2)}; probes ${probes.map((p) => `${p.crf}:${p.vmaf.toFixed(2)}`).join(' ')}`;
    if (crf > MIN_CRF) assert.ok(vmaf >= target - 0.5, `under the target: ${detail}`);
    // Above the window only when no higher CRF is allowed, or the next CRF up was measured below the target.
    const nextUpFails = probes.some((p) => p.crf === crf + 1 && p.vmaf < target);
    if (crf < MAX_CRF && !nextUpFails) assert.ok(vmaf <= target + 2, `wastes bits: ${detail}`);
  }
}

describe('target quality (integration, real ffmpeg)', function () {
  this.timeout(600_000);
  let dir: string;
  let cleanup: () => void;
  let source: string;
  before(() => {
    ({ dir, cleanup } = tempDir('chunked-av1-tq-'));
    source = complexityClip(path.join(dir, "parts 'easy' $hard;ü.mkv"), { partSeconds: 2 });
  });
  after(() => cleanup());

  it('T=90 on samples: CRFs follow complexity, verified VMAF in range, probes streamed; a re-run measures nothing again', async () => {
    const workDir = path.join(dir, 'work-90');
    const output = path.join(dir, 'out-90.mkv');
    const options = { targetVmaf: 90, samples: 1, sampleSeconds: 0.5, vmafSubsample: 2 };
    const { done, events } = await encode(source, output, workDir, options);
    assert.equal(done.segments.length, 6);
    const crfs = done.segments.map((s) => s.crf!);
    const easy = Math.min(crfs[0]!, crfs[1]!);
    const hard = Math.max(crfs[4]!, crfs[5]!);
    assert.ok(easy > hard + 5, `easy parts get a much higher CRF than hard ones: ${crfs.join(', ')}`);
    assertInRange(done, events, 90);
    const searching = events.filter((e) => e.event === 'segment' && e.state === 'searching' && e.probe);
    assert.ok(searching.length >= 6, 'each probe is reported as it completes');
    const doneEvents = events.filter((e): e is SegmentEvent => e.event === 'segment' && e.state === 'done');
    for (const e of doneEvents) assert.ok(e.crf !== undefined && e.vmaf !== undefined, 'done events carry crf and verified vmaf');

    // Simulate a run that died before any segment was recorded: only the measurement cache survives.
    const measured = measurementLines(workDir);
    for (const name of ['manifest.json', 'manifest.json.journal', 'encoded', 'lock'])
      rmSync(path.join(workDir, name), { recursive: true, force: true });
    rmSync(output, { force: true });
    forgetOpenQualityCaches();
    const again = await encode(source, output, workDir, options);
    assert.equal(measurementLines(workDir), measured, 'no new VMAF measurement on the re-run');
    assert.deepEqual(
      again.done.segments.map((s) => s.crf),
      crfs,
      'same decisions from the cache',
    );
  });

  it("detects that this ffmpeg's SVT-AV1 takes integer CRFs only (1.4.x) or quarter steps (newer)", async () => {
    const tools = resolveTools();
    const step = await crfGranularity(tools);
    assert.ok(step === 1 || step === 0.25);
    // ffmpeg 5.x ships with SVT-AV1 1.x here (Debian 12: 1.4.1), which truncates 30.5 to 30.
    if (/ffmpeg version 5\./.test((await toolCapabilities(tools)).version)) assert.equal(step, 1);
  });

  it('T=95 with a full pass per segment: verified VMAF in range, the final probe reused as the output, size warnings named', async () => {
    const workDir = path.join(dir, 'work-95');
    // --max-encoded-percent 1: segments over it carry a warning naming the segment and what to change
    const { done, events } = await encode(source, path.join(dir, 'out-95.mkv'), workDir, { targetVmaf: 95, maxEncodedPercent: 1 });
    assertInRange(done, events, 95);
    // (the static bars at CRF 55 stay under 1 % of the lossless source; the detailed parts do not).
    const warned = done.segments.filter((s) => s.warning);
    assert.ok(warned.length >= 2, 'the detailed segments are over 1 % of the source');
    for (const s of warned) {
      assert.match(
        s.warning!,
        new RegExp(
          `^segment ${s.index}: at CRF ${s.crf} .*over --max-encoded-percent 1; encoded anyway.*(--target-vmaf|--max-encoded-percent)`,
        ),
      );
    }
    const encodedAfterSearch = done.segments.filter((s) =>
      events.some((e) => e.event === 'segment' && e.index === s.index && e.state === 'encoding'),
    );
    assert.ok(
      encodedAfterSearch.length < done.segments.length,
      'full-pass probes at the final CRF become the output without a second encode',
    );
  });

  it('--probe-preset other than --preset: full-pass probes are not kept, every segment is encoded and verified on its own', async () => {
    const workDir = path.join(dir, 'work-probe-preset');
    const { done, events } = await encode(source, path.join(dir, 'out-probe-preset.mkv'), workDir, {
      targetVmaf: 90,
      preset: 13,
      probePreset: 12,
      vmafSubsample: 4,
    });
    for (const s of done.segments) {
      assert.ok(
        events.some((e) => e.event === 'segment' && e.index === s.index && e.state === 'encoding'),
        `segment ${s.index} encoded at the final preset`,
      );
      assert.equal(typeof s.vmaf, 'number', `segment ${s.index} verified`);
      // Presets 12 and 13 encode alike in SVT-AV1 1.4, so the verification sees what the probes saw.
      if (s.crf! > MIN_CRF) assert.ok(s.vmaf! >= 90 - 0.5, `segment ${s.index}: ${s.vmaf} at CRF ${s.crf}`);
    }
    const verifications = readFileSync(path.join(workDir, QUALITY_CACHE_FILE), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"type":"measurement"')).length;
    assert.ok(
      verifications > events.filter((e) => e.event === 'segment' && e.probe).length,
      'whole-segment verifications measured besides the probes',
    );
  });
});
