import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ManifestStore,
  loadManifest,
  manifestSchema,
  reconcileManifest,
  settingsKey,
  type Manifest,
  type SegmentSettings,
} from '../../server/src/job/manifest';
import { inputChange, inputIdentity } from '../../server/src/probe/source-identity';
import { writeFileAtomic } from '../../server/src/sys/atomic-write';
import { planSegments } from '../../server/src/plan/plan';
import { buildTimeline } from '../../server/src/probe/frames';
import { tempDir } from '../helpers/clips';

const settings: SegmentSettings = { crf: 30, preset: 8, svtParams: '', keyintSeconds: 10, pixelFormat: 'yuv420p10le', segmentSeconds: 1 };
const plan = planSegments(
  buildTimeline(
    Array.from({ length: 72 }, (_, i) => ({ pts: i / 24, key: i % 24 === 0 })),
    24,
  ),
  { segmentSeconds: 1 },
);

describe('manifest', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('chunked-av1-manifest-')));
  afterEach(() => cleanup());

  async function fresh(input: string) {
    return { version: 1 as const, input: await inputIdentity(input), output: '/o.mkv', settings, settingsKey: settingsKey(settings), plan };
  }

  it('writes atomically and replays the per-segment journal, ignoring a torn last line', async () => {
    const input = path.join(dir, 'in.bin');
    writeFileSync(input, Buffer.alloc(3 * 1024 * 1024, 7));
    const file = path.join(dir, 'manifest.json');
    const store = new ManifestStore(file, reconcileManifest(undefined, await fresh(input), plan).manifest);
    await store.save();
    await store.recordSegment(1, { state: 'done', crf: 30, bytes: 10, hash: 'abc' });
    appendFileSync(`${file}.journal`, '{"index":2,"patch":{"state":"do');
    const loaded = await loadManifest(file);
    assert.equal(loaded!.segments[1]!.state, 'done');
    assert.equal(loaded!.segments[1]!.hash, 'abc');
    assert.equal(loaded!.segments[2]!.state, 'pending');
    await store.save();
    assert.deepEqual(readdirSync(dir).sort(), ['in.bin', 'manifest.json'], 'journal folded in, no temp files');
    assert.equal(manifestSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).segments[1]!.state, 'done');
  });

  it('keeps done segments for the same input and settings, drops them when a setting or the input changes', async () => {
    const input = path.join(dir, 'in.bin');
    writeFileSync(input, 'source bytes');
    const first = reconcileManifest(undefined, await fresh(input), plan).manifest;
    first.segments[0] = { ...first.segments[0]!, state: 'done', settingsKey: settingsKey(settings), hash: 'h', bytes: 1 };
    const again = reconcileManifest(first, await fresh(input), plan);
    assert.equal(again.manifest.segments[0]!.state, 'done');
    assert.equal(again.inputChanged, undefined);
    const otherCrf = { ...(await fresh(input)), settings: { ...settings, crf: 31 }, settingsKey: settingsKey({ ...settings, crf: 31 }) };
    assert.equal(reconcileManifest(first, otherCrf, plan).manifest.segments[0]!.state, 'pending');
    assert.equal(settingsKey({ ...settings, segmentSeconds: 5 }), settingsKey(settings), 'segment length moves cuts, not encodes');
    writeFileSync(input, 'other bytes!');
    const changed = reconcileManifest(first, await fresh(input), plan);
    assert.match(changed.inputChanged!, /content changed/);
    assert.equal(changed.manifest.segments[0]!.state, 'pending');
  });

  it('identifies inputs by size, edge hash and mtime', async () => {
    const input = path.join(dir, 'in.bin');
    writeFileSync(input, Buffer.alloc(5 * 1024 * 1024, 1));
    const a = await inputIdentity(input);
    assert.equal(inputChange(a, { ...a }), undefined);
    assert.match(inputChange(a, { ...a, size: 1 })!, /size changed/);
    assert.match(inputChange(a, { ...a, mtimeMs: a.mtimeMs + 1000 })!, /modification time/);
  });

  it('returns undefined for a missing or unreadable manifest', async () => {
    assert.equal(await loadManifest(path.join(dir, 'none.json')), undefined);
    await writeFileAtomic(path.join(dir, 'bad.json'), '{"version": 1');
    assert.equal(await loadManifest(path.join(dir, 'bad.json')), undefined);
    const m: Partial<Manifest> = { version: 1 };
    await writeFileAtomic(path.join(dir, 'partial.json'), JSON.stringify(m));
    assert.equal(await loadManifest(path.join(dir, 'partial.json')), undefined);
  });
});
