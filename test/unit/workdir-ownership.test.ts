import assert from 'node:assert/strict';
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errnoMessage } from '../../server/src/errors';
import { removeWorkDir } from '../../server/src/job/cleanup';
import { locateWorkDir } from '../../server/src/job/location';
import { checkOutputTarget, placeOutput } from '../../server/src/workdir/output-target';
import { isInside } from '../../server/src/sys/path-inside';
import { markWorkDir, workDirRefusal, type DirId, type WorkDirFacts } from '../../server/src/job/ownership';
import { MARKER_FILE, NAME_MAX_BYTES, defaultWorkDir } from '../../server/src/workdir/workdir';
import { isPartialOutputPath, partialOutputName } from '../../server/src/workdir/partial-output';
import { createExclusive, writeExclusiveTemp } from '../../server/src/sys/exclusive-file';
import { tempDir } from '../helpers/clips';

const id = (p: string, ino: number): DirId => ({ path: p, dev: 1, ino });

function facts(existing: (Partial<NonNullable<WorkDirFacts['existing']>> & { path: string; ino: number }) | undefined): WorkDirFacts {
  return {
    workDir: existing?.path ?? '/media/new',
    ...(existing ? { existing: { dev: 1, isDirectory: true, entries: [], marked: false, ...existing } } : {}),
    input: '/media/films/in.mkv',
    output: '/media/out/in.av1.mkv',
    inputDir: id('/media/films', 10),
    outputDir: id('/media/out', 11),
    home: id('/home/ann', 12),
  };
}

describe('work directory ownership (pure rule)', () => {
  it('accepts a new, an empty or a marked folder', () => {
    assert.equal(workDirRefusal(facts(undefined)), undefined);
    assert.equal(workDirRefusal(facts({ path: '/media/w', ino: 20 })), undefined);
    assert.equal(workDirRefusal(facts({ path: '/media/w', ino: 20, entries: ['segments', 'x'], marked: true })), undefined);
  });

  it('refuses a non-empty folder without the marker, naming a stranger file', () => {
    assert.match(
      workDirRefusal(facts({ path: '/media/w', ino: 20, entries: ['segments', 'thesis.docx'] }))!,
      /not made by chunked-av1 \(holds thesis\.docx\)/,
    );
  });

  it('refuses /, the home folder, the input and output folders by identity, and ancestors', () => {
    assert.match(workDirRefusal(facts({ path: '/', ino: 2, marked: true }))!, /root folder/);
    assert.match(workDirRefusal(facts({ path: '/elsewhere/home-bind', ino: 12, marked: true }))!, /home folder/);
    assert.match(workDirRefusal(facts({ path: '/x/films-link-target', ino: 10, marked: true }))!, /input's folder/);
    assert.match(workDirRefusal(facts({ path: '/media/out', ino: 11, marked: true }))!, /output's folder/);
    assert.match(workDirRefusal(facts({ path: '/media', ino: 3, marked: true }))!, /contains the input/);
    assert.match(workDirRefusal(facts({ path: '/home', ino: 4, marked: true }))!, /contains your home folder/);
    assert.match(workDirRefusal(facts({ path: '/media/w', ino: 20, isDirectory: false }))!, /not a folder/);
    assert.match(workDirRefusal({ ...facts(undefined), workDir: '/media/out/in.av1.mkv' })!, /is the output's path/);
  });

  it('isInside is about path components, not string prefixes', () => {
    assert.ok(isInside('/a/b/c', '/a'));
    assert.ok(!isInside('/ab/c', '/a'));
    assert.ok(!isInside('/a', '/a'));
    assert.ok(!isInside('/a/../b', '/a/x'));
  });
});

describe('work directory names', () => {
  it('keeps the readable default when it fits and falls back to a stable hashed name when not', () => {
    assert.equal(defaultWorkDir('/v/in.av1.mkv'), '/v/.in.av1.mkv.work');
    const long = `/v/${'é'.repeat(124)}.mkv`; // 252 bytes: fits, but ".NAME.work" does not
    const work = defaultWorkDir(long);
    assert.match(path.basename(work), /^\.chunked-av1-[0-9a-f]{16}\.work$/);
    assert.equal(defaultWorkDir(long), work, 'the same output finds the same work dir again');
    assert.notEqual(defaultWorkDir(`/w/${'é'.repeat(124)}.mkv`), work);
    const longPartial = path.join('/v', partialOutputName(long, '0123456789abcdef'));
    assert.ok(isPartialOutputPath(long, longPartial) && Buffer.byteLength(path.basename(longPartial)) <= NAME_MAX_BYTES);
    assert.ok(isPartialOutputPath('/v/out.mkv', '/v/.out.partial-0123456789abcdef.mkv'));
    assert.ok(!isPartialOutputPath('/v/out.mkv', '/v/.out.partial.mkv'), 'the old fixed name is a user file now');
    assert.ok(!isPartialOutputPath('/v/out.mkv', '/w/.out.partial-0123456789abcdef.mkv'), 'another folder');
    assert.equal(locateWorkDir({ target: `/v/${'é'.repeat(120)}.mp4`, output: long }), work, 'status/clean find it from INPUT -o OUTPUT');
  });
});

describe('errno lines', () => {
  it('names the path and the cause; anything else is not mapped', () => {
    assert.equal(
      errnoMessage(Object.assign(new Error('x'), { code: 'EROFS', path: '/ro/out.mkv' })),
      '/ro/out.mkv: the file system is read-only (EROFS)',
    );
    assert.match(errnoMessage(Object.assign(new Error('x'), { code: 'ELOOP', path: '/l' }))!, /^\/l: too many symbolic links/);
    assert.equal(errnoMessage(new Error('plain bug')), undefined);
    assert.equal(errnoMessage(Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' })), undefined);
  });
});

describe('clean-up by name', () => {
  it('removes what a job writes, keeps a stranger file and the marker with it', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const work = path.join(dir, 'work');
      await markWorkDir(work, path.join(dir, 'out.mkv'));
      for (const sub of ['segments', 'encoded', 'probes/segment_001', '.children']) mkdirSync(path.join(work, sub), { recursive: true });
      for (const file of [
        'manifest.json',
        'manifest.json.journal',
        'segment_list.txt',
        'lock',
        'segments/segment_000.mkv',
        'encoded/segment_000.tmp.mkv',
        'probes/segment_001/s.mkv',
        '.children/123',
      ]) {
        writeFileSync(path.join(work, file), 'x');
      }
      writeFileSync(path.join(work, 'encoded', 'notes.txt'), 'mine');
      const kept = await removeWorkDir(work);
      assert.deepEqual(kept, { removed: false, leftOver: [path.join('encoded', 'notes.txt')] });
      assert.deepEqual(readdirSync(work).sort(), [MARKER_FILE, 'encoded']);
      assert.equal(readFileSync(path.join(work, 'encoded', 'notes.txt'), 'utf8'), 'mine');
    } finally {
      cleanup();
    }
  });

  it('does not follow a symlink in the place of one of its folders, and refuses an unmarked folder', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const precious = path.join(dir, 'precious');
      mkdirSync(precious);
      writeFileSync(path.join(precious, 'segment_000.mkv'), 'a film');
      const work = path.join(dir, 'work');
      await markWorkDir(work, path.join(dir, 'out.mkv'));
      symlinkSync(precious, path.join(work, 'segments'));
      assert.deepEqual((await removeWorkDir(work)).leftOver, ['segments']);
      assert.ok(existsSync(path.join(precious, 'segment_000.mkv')));
      assert.equal((await removeWorkDir(precious)).removed, false);
      assert.ok(existsSync(path.join(precious, 'segment_000.mkv')));
    } finally {
      cleanup();
    }
  });
});

describe('output identity', () => {
  it('refuses the input through a hard link or a symlink, and an existing file without overwrite', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const input = path.join(dir, 'in.mkv');
      writeFileSync(input, 'source');
      linkSync(input, path.join(dir, 'hard.mkv'));
      symlinkSync(input, path.join(dir, 'soft.mkv'));
      await assert.rejects(checkOutputTarget(input, path.join(dir, 'hard.mkv'), true), /is the input/);
      await assert.rejects(checkOutputTarget(path.join(dir, 'soft.mkv'), input, true), /is the input/);
      writeFileSync(path.join(dir, 'old.mkv'), 'old');
      await assert.rejects(checkOutputTarget(input, path.join(dir, 'old.mkv'), false), /already exists; pass --overwrite/);
      await assert.rejects(checkOutputTarget(input, dir, true), /is a folder/);
      await checkOutputTarget(input, path.join(dir, 'old.mkv'), true);
    } finally {
      cleanup();
    }
  });

  it('the final placement does not replace a file that appeared, unless told to', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const output = path.join(dir, 'out.mkv');
      const input = path.join(dir, 'in.mkv');
      const temp = (text: string) => writeExclusiveTemp(output, text);
      writeFileSync(output, 'appeared');
      const first = await temp('new');
      await assert.rejects(placeOutput(first, output, false, input), /appeared there during the encode/);
      assert.equal(readFileSync(output, 'utf8'), 'appeared');
      await placeOutput(first, output, true, input);
      assert.equal(readFileSync(output, 'utf8'), 'new');
      // A hard link to the input made at the output during the encode: not replaced, even so.
      writeFileSync(input, 'source');
      linkSync(input, path.join(dir, 'linked.mkv'));
      await assert.rejects(placeOutput(await temp('newest'), path.join(dir, 'linked.mkv'), true, input), /is the input/);
      assert.equal(readFileSync(input, 'utf8'), 'source');
      const newer = await temp('newer');
      await placeOutput(newer, path.join(dir, 'fresh.mkv'), false, input);
      assert.equal(readFileSync(path.join(dir, 'fresh.mkv'), 'utf8'), 'newer');
      assert.equal(existsSync(newer.path), false);
    } finally {
      cleanup();
    }
  });

  it('a temp file replaced after we made it is neither placed nor removed', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const output = path.join(dir, 'out.mkv');
      const temp = await writeExclusiveTemp(output, 'ours');
      writeFileSync(path.join(dir, 'secret.txt'), 'secret');
      rmSync(temp.path);
      symlinkSync('secret.txt', temp.path);
      await assert.rejects(placeOutput(temp, output, false, path.join(dir, 'in.mkv')), /was replaced or removed by another program/);
      assert.equal(existsSync(output), false);
      assert.equal(readFileSync(path.join(dir, 'secret.txt'), 'utf8'), 'secret');
      // Exclusive creation never opens what is there, and the random part keeps names apart.
      const names = new Set<string>();
      for (let k = 0; k < 4; k++) {
        const made = await createExclusive(dir, (tag) => `.out.partial-${tag}.mkv`);
        await made.handle.close();
        names.add(made.file.path);
      }
      assert.equal(names.size, 4);
    } finally {
      cleanup();
    }
  });
});
