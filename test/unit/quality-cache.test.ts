import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QualityCache, measurementKey, stableJson } from '../../server/src/crf/quality-cache';

describe('quality cache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "h5 cache 'q' $;ü-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const identity = {
    sample: { source: 'abc', ranges: [[25, 50]] },
    encoder: 'libsvtav1 1.4.1',
    settings: { preset: 12, svt: '' },
    crf: 30,
    vmaf: { subsample: 8, pool: 'harmonic_mean' },
  };

  it('keys by every part of the identity, independent of key order', () => {
    const key = measurementKey(identity);
    assert.equal(
      measurementKey({
        vmaf: { pool: 'harmonic_mean', subsample: 8 },
        crf: 30,
        settings: { svt: '', preset: 12 },
        encoder: 'libsvtav1 1.4.1',
        sample: { ranges: [[25, 50]], source: 'abc' },
      }),
      key,
    );
    assert.notEqual(measurementKey({ ...identity, crf: 31 }), key);
    assert.notEqual(measurementKey({ ...identity, encoder: 'libsvtav1 2.0' }), key);
    assert.notEqual(measurementKey({ ...identity, settings: { preset: 11, svt: '' } }), key);
    assert.notEqual(measurementKey({ ...identity, vmaf: { subsample: 1, pool: 'harmonic_mean' } }), key);
    assert.notEqual(measurementKey({ ...identity, sample: { source: 'abc', ranges: [[26, 50]] } }), key);
    assert.equal(stableJson({ b: 1, a: [2, { d: 1, c: undefined }] }), '{"a":[2,{"d":1}],"b":1}');
  });

  it('persists measurements and decisions across runs, ignoring a torn last line', async () => {
    const file = join(dir, 'quality-cache.jsonl');
    const first = await QualityCache.open(file);
    const key = measurementKey(identity);
    assert.equal(first.get(key), undefined);
    await Promise.all([
      first.putMeasurement({ key, crf: 30, vmaf: 93.2, bytes: 1234, seconds: 1.5, segment: 0 }),
      first.putDecision({ scope: 's', segment: 0, crf: 30, vmaf: 93.2, probes: 3 }),
      first.putDecision({ scope: 's', segment: 3, crf: 40, probes: 2 }),
      first.putDecision({ scope: 'other', segment: 1, crf: 20, probes: 2 }),
    ]);
    await appendFile(file, '{"type":"measurement","key":"x","crf":');
    const second = await QualityCache.open(file);
    assert.deepEqual(second.get(key), { type: 'measurement', key, crf: 30, vmaf: 93.2, bytes: 1234, seconds: 1.5, segment: 0 });
    assert.equal(second.hits, 1);
    assert.equal(second.size, 1);
    assert.deepEqual(second.neighbourCrfs('s', 1), [30, 40]);
    assert.deepEqual(second.neighbourCrfs('s', 3), [30]);
    assert.deepEqual(second.neighbourCrfs('s', 2, 1), [40]);
    assert.deepEqual(second.neighbourCrfs('none', 2), []);
    assert.equal(second.decision('s', 0)?.crf, 30);
    const lines = (await readFile(file, 'utf8')).split('\n');
    assert.equal(lines.filter((l) => l.startsWith('{"type":"measurement","key":"' + key)).length, 1);
  });
});
