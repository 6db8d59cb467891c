import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/clips';
import { ChildRegistry, parseStatPgid, parseStatusUids, procFacts } from '../../server/src/sys/children';

const ownStartTime = () => {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3]!;
};

describe('child registry: records are claims, read and dropped without trusting them', () => {
  before(function () {
    if (process.platform !== 'linux') this.skip();
  });

  it('reads pgid, uids and exe from /proc', () => {
    assert.equal(parseStatPgid('123 (a) b) S 1 77 77 0'), 77);
    assert.deepEqual(parseStatusUids('Name:\tx\nUid:\t1000\t1001\t1000\t1000\n'), { realUid: 1000, effectiveUid: 1001 });
    const self = procFacts(process.pid)!;
    assert.equal(self.realUid, process.getuid!());
    assert.equal(self.exe, realpathSync(process.execPath));
    assert.equal(procFacts(0), undefined);
    assert.equal(procFacts(-1), undefined);
  });

  it('drops, with a debug line, records that are torn, misnamed or name pid 1, and leaves other names alone', () => {
    const { dir, cleanup } = tempDir();
    try {
      const children = path.join(dir, '.children');
      mkdirSync(children);
      writeFileSync(path.join(children, '1'), JSON.stringify({ pid: 1, startTime: '1' }));
      writeFileSync(path.join(children, '12345'), JSON.stringify({ pid: 54321, startTime: '1' })); // name and content disagree
      writeFileSync(path.join(children, '777'), '{"pid": 7');
      writeFileSync(path.join(children, 'README'), 'not a record');
      const lines: string[] = [];
      const reaped = new ChildRegistry(dir, { tools: ['ffmpeg'] }, (_level, message) => lines.push(message)).reapStale();
      assert.deepEqual(reaped, []);
      assert.deepEqual(readdirSync(children), ['README']);
      assert.ok(
        lines.some((l) => /^child record 1: not killed, pid 1 is never ours/.test(l)),
        lines.join('\n'),
      );
      assert.ok(
        lines.some((l) => /12345: unreadable child record; dropped/.test(l)),
        lines.join('\n'),
      );
      assert.ok(
        lines.some((l) => /README: not a child record name; left alone/.test(l)),
        lines.join('\n'),
      );
    } finally {
      cleanup();
    }
  });

  it('never follows a .children link: the folder it points at is not read or emptied', () => {
    const { dir, cleanup } = tempDir();
    try {
      const elsewhere = path.join(dir, 'elsewhere');
      const work = path.join(dir, 'work');
      mkdirSync(elsewhere);
      mkdirSync(work);
      writeFileSync(path.join(elsewhere, String(process.pid)), JSON.stringify({ pid: process.pid, startTime: ownStartTime() }));
      symlinkSync(elsewhere, path.join(work, '.children'));
      const registry = new ChildRegistry(work, { tools: ['ffmpeg'] });
      assert.deepEqual(registry.records(), []);
      assert.deepEqual(registry.reapStale(), []);
      registry.exited(process.pid);
      assert.deepEqual(readdirSync(elsewhere), [String(process.pid)]);
    } finally {
      cleanup();
    }
  });
});
