import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/clips';
import { FfmpegPeakRss, ffreportValue, parseBenchMaxRss } from '../../server/src/sys/ffmpeg-peak-rss';
import { PeakRssWatcher } from '../../server/src/sys/memory';
import { runProcess } from '../../server/src/sys/processes';

const MIB = 1024 * 1024;

/** A short real SVT-AV1 encode: ends well inside one 250 ms poll interval on an idle machine. */
const SHORT_ENCODE = [
  '-nostdin',
  '-hide_banner',
  '-nostats',
  '-loglevel',
  'error',
  '-f',
  'lavfi',
  '-i',
  'testsrc=duration=0.2:size=160x96:rate=10',
  '-c:v',
  'libsvtav1',
  '-preset',
  '12',
  '-f',
  'null',
  '-',
];

describe('peak RSS of an ffmpeg run', () => {
  it("parses ffmpeg's bench line and escapes the report path for FFREPORT", () => {
    assert.equal(parseBenchMaxRss('bench: utime=0.1s\nbench: maxrss=98544kB\n'), 98544 * 1024);
    assert.equal(parseBenchMaxRss('no bench here'), undefined);
    assert.equal(parseBenchMaxRss('bench: maxrss=0kB'), undefined);
    assert.equal(ffreportValue("/tmp/a b/x:y'%z\\.log"), "file=/tmp/a\\ b/x\\:y\\'%%z\\\\.log:level=32");
  });

  it("takes the encoder's own peak from the kernel, through setpriv and taskset, even for a very short encode", async function () {
    this.timeout(30_000);
    const peak = await FfmpegPeakRss.create();
    assert.ok(peak);
    try {
      await runProcess('ffmpeg', [...peak.args, ...SHORT_ENCODE], { env: peak.env, cpus: [0] });
      const bytes = await peak.read();
      // SVT-AV1 at 160x96 needs tens of MiB; the setpriv/taskset wrappers are ~2-3 MiB.
      assert.ok(bytes !== undefined && bytes > 16 * MIB, `peak ${bytes}`);
    } finally {
      await peak.dispose();
    }
  });

  it('writes its report in a folder of its own, whatever the temp path holds, and removes exactly that', async function () {
    this.timeout(30_000);
    const { dir, cleanup } = tempDir();
    const saved = process.env.TMPDIR;
    try {
      const odd = path.join(dir, "t:m'p %d\\ é#?");
      mkdirSync(odd);
      process.env.TMPDIR = odd;
      const peak = await FfmpegPeakRss.create();
      assert.ok(peak);
      await runProcess('ffmpeg', [...peak.args, ...SHORT_ENCODE], { env: peak.env });
      assert.ok(((await peak.read()) ?? 0) > 16 * MIB);
      await peak.dispose();
      assert.deepEqual(readdirSync(odd), []);
      assert.ok(existsSync(odd));
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      cleanup();
    }
  });

  it('polls only the program itself, never the wrapper it starts as', async () => {
    // The watcher expects another binary than the one running, as if the exec had not happened yet.
    const watcher = new PeakRssWatcher(process.pid, '/nonexistent/ffmpeg', 10).start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(watcher.stop(), undefined);
    const self = new PeakRssWatcher(process.pid, process.execPath, 10).start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok((self.stop() ?? 0) > MIB);
  });
});
