import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputChangedError, requireUnchangedInput, watchInput } from '../../server/src/probe';

/** #24 B: what the run notices about its input between phases (real files, no ffmpeg). */
describe('input watch (the input we read is the input we join)', () => {
  let dir = '';
  let file = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'chunked-av1-watch-'));
    file = path.join(dir, 'in.mkv');
    writeFileSync(file, Buffer.alloc(3000, 1));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const refusal = async (cause: RegExp) => {
    const watch = await watchInput(file).then((w) => w!);
    return { watch, expect: (error: unknown) => error instanceof InputChangedError && cause.test(error.message) };
  };

  it('passes an untouched file and refuses no folder or missing file at the start (the probe says why)', async () => {
    await requireUnchangedInput((await watchInput(file))!);
    assert.equal(await watchInput(dir), undefined);
    assert.equal(await watchInput(path.join(dir, 'missing')), undefined);
  });

  it('names a size change in the units a person reads, exact bytes when they round alike', async () => {
    const { watch, expect } = await refusal(/\(size 3000 → 3001 bytes\)/);
    appendFileSync(file, 'x');
    await assert.rejects(requireUnchangedInput(watch), expect);
    writeFileSync(file, Buffer.alloc(3 * 1024 * 1024));
    await assert.rejects(requireUnchangedInput(watch), /\(size 2\.9 KiB → 3\.0 MiB\); put the original back/);
  });

  it('notices a same-size replacement, a rewrite in place, a new modification time and a removal', async () => {
    const other = path.join(dir, 'other.mkv');
    writeFileSync(other, Buffer.alloc(3000, 1));
    const replaced = await refusal(/replaced by another file of the same size/);
    renameSync(other, file);
    await assert.rejects(requireUnchangedInput(replaced.watch), replaced.expect);

    const rewritten = await refusal(/its content changed, same size/);
    writeFileSync(file, Buffer.alloc(3000, 2));
    await assert.rejects(requireUnchangedInput(rewritten.watch), rewritten.expect);

    const touched = await refusal(/its modification time changed/);
    utimesSync(file, new Date(), new Date(Date.now() + 60_000));
    await assert.rejects(requireUnchangedInput(touched.watch), touched.expect);

    const removed = await refusal(/\(it was removed\)/);
    rmSync(file);
    await assert.rejects(requireUnchangedInput(removed.watch), removed.expect);
  });
});
