import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { concatListText, listPath, quoteConcatPath } from '../../server/src/assemble/concat-list';
import { tempDir } from '../helpers/clips';

describe('concat list', () => {
  it('quotes paths the way ffmpeg reads them', () => {
    assert.equal(quoteConcatPath('a b.mkv'), "'a b.mkv'");
    assert.equal(quoteConcatPath("it's.mkv"), "'it'\\''s.mkv'");
    assert.equal(quoteConcatPath('$x; ü 名.mkv'), "'$x; ü 名.mkv'");
    assert.throws(() => quoteConcatPath('a\nb'), /line break/);
  });

  it('writes a file line and an exact duration per segment', () => {
    const text = concatListText([
      { file: 'encoded/segment_000.mkv', durationSeconds: 1 },
      { file: 'encoded/segment_001.mkv', durationSeconds: 0.999 },
    ]);
    assert.equal(
      text,
      "ffconcat version 1.0\nfile 'encoded/segment_000.mkv'\nduration 1.000000\nfile 'encoded/segment_001.mkv'\nduration 0.999000\n",
    );
    assert.equal(listPath('/w', '/w/encoded/segment_000.mkv'), 'encoded/segment_000.mkv');
  });

  it('is read back by ffmpeg for hostile names (real concat demuxer)', function () {
    this.timeout(60_000);
    const { dir, cleanup } = tempDir();
    try {
      const names = ['it\'s $HOME; a "b".mkv', 'ünï 名前 (1).mkv'];
      mkdirSync(path.join(dir, 'sub dir'));
      for (const name of names) {
        execFileSync('ffmpeg', [
          '-v',
          'error',
          '-f',
          'lavfi',
          '-i',
          'testsrc2=s=64x48:r=10',
          '-t',
          '1',
          '-c:v',
          'ffv1',
          path.join(dir, 'sub dir', name),
        ]);
      }
      const list = path.join(dir, 'list.txt');
      writeFileSync(list, concatListText(names.map((n) => ({ file: `sub dir/${n}`, durationSeconds: 1 }))));
      const out = execFileSync(
        'ffprobe',
        ['-v', 'error', '-f', 'concat', '-safe', '0', '-count_packets', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', list],
        { encoding: 'utf8' },
      );
      assert.equal(out.trim(), '20');
    } finally {
      cleanup();
    }
  });
});
