import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { tempDir } from '../helpers/clips';
import {
  DiskFullError,
  DiskGuard,
  freeBytes,
  isNoSpaceError,
  lowSpaceThreshold,
  requireFreeSpace,
  upfrontSpaceNeeded,
} from '../../server/src/sys/disk';
import {
  availableMemoryBytes,
  capWorkersByMemory,
  estimateWorkerMemoryBytes,
  parseMemAvailable,
  parseVmHwm,
} from '../../server/src/sys/memory';
import { cpuListArgument, cpuSetForWorker, pinnedCommand } from '../../server/src/sys/affinity';
import { ChildRegistry, parseStatStartTime, parseStatState } from '../../server/src/sys/children';
import { ProcessError, runProcess, wrappedCommand } from '../../server/src/sys/processes';

const GIB = 1024 ** 3;

describe('disk space', () => {
  it('reads free space of a directory, or of its nearest existing parent', async () => {
    const free = await freeBytes(tmpdir());
    assert.ok(free > 0);
    const deeper = await freeBytes(`${tmpdir()}/does/not/exist/yet`);
    assert.ok(Math.abs(deeper - free) < 64 * 1024 * 1024);
  });

  it('refuses a job that needs more space than there is, naming the directory', async () => {
    await assert.rejects(requireFreeSpace(tmpdir(), Number.MAX_SAFE_INTEGER, 'segment copies'), (error: unknown) => {
      assert.ok(error instanceof DiskFullError);
      assert.match(error.message, new RegExp(`^${tmpdir()}: not enough free disk space \\(.* free, .* needed\\): segment copies`));
      return true;
    });
  });

  it('recognises ENOSPC from Node writes and from ffmpeg stderr', () => {
    assert.ok(isNoSpaceError(Object.assign(new Error('x'), { code: 'ENOSPC' })));
    const ffmpegFailure = Object.assign(new Error('Error writing trailer'), {
      stderrTail: ['[matroska @ 0x5] Error writing: No space left on device'],
    });
    assert.ok(isNoSpaceError(ffmpegFailure));
    assert.ok(!isNoSpaceError(new Error('Invalid data found when processing input')));
  });

  it('sizes the up-front check and the low-space threshold from the job', () => {
    assert.equal(upfrontSpaceNeeded({ sourceBytes: 1000 }), 1500);
    const small = lowSpaceThreshold({ sourceBytes: 100 * 1024 * 1024, segments: 100, workers: 1 });
    const more = lowSpaceThreshold({ sourceBytes: 100 * 1024 * 1024, segments: 100, workers: 4 });
    assert.ok(more > small && small > 2 * 1024 * 1024);
  });

  it('stops new segments once free space is under the threshold', async () => {
    let free = 10_000;
    const guard = new DiskGuard('/work', 5_000, () => Promise.resolve(free));
    await guard.check();
    free = 4_000;
    await assert.rejects(guard.check(), /\/work: not enough free disk space .*stopped starting new segments/);
    await assert.rejects(guard.explain(Object.assign(new Error('write EOF'), { code: 'ENOSPC' })), DiskFullError);
    await assert.rejects(guard.explain(new Error('other')), /^Error: other$/);
  });
});

describe('memory', () => {
  it('parses MemAvailable and VmHWM', () => {
    assert.equal(parseMemAvailable('MemTotal: 100 kB\nMemAvailable:    2048 kB\n'), 2048 * 1024);
    assert.equal(parseMemAvailable('MemTotal: 100 kB\n'), undefined);
    assert.equal(parseVmHwm('VmPeak:\t 9 kB\nVmHWM:\t    1234 kB\n'), 1234 * 1024);
  });

  it('reads available memory of this machine', async () => {
    const bytes = await availableMemoryBytes();
    assert.ok(bytes > 64 * 1024 * 1024);
  });

  it('estimates more memory for bigger, deeper, 4:4:4 sources', () => {
    const hd10 = estimateWorkerMemoryBytes({ width: 1920, height: 1080, bitDepth: 10 });
    assert.ok(hd10 > 0.8 * GIB && hd10 < 1.6 * GIB, `1080p 10-bit: ${hd10}`);
    assert.ok(estimateWorkerMemoryBytes({ width: 3840, height: 2160, bitDepth: 10 }) > 3 * hd10);
    assert.ok(estimateWorkerMemoryBytes({ width: 1920, height: 1080, bitDepth: 8 }) < hd10);
    assert.ok(estimateWorkerMemoryBytes({ width: 1920, height: 1080, bitDepth: 10, chroma: 444 }) > hd10);
  });

  it('caps workers by available memory but never below one', () => {
    assert.equal(capWorkersByMemory(8, 10 * GIB, 1 * GIB), 8);
    assert.equal(capWorkersByMemory(8, 5 * GIB, 1 * GIB), 4);
    assert.equal(capWorkersByMemory(8, 0.5 * GIB, 1 * GIB), 1);
  });
});

describe('cpu pinning', () => {
  it('splits CPUs evenly among workers', () => {
    assert.deepEqual(cpuSetForWorker(0, 2, 8), [0, 1, 2, 3]);
    assert.deepEqual(cpuSetForWorker(1, 2, 8), [4, 5, 6, 7]);
    assert.deepEqual(cpuSetForWorker(2, 4, 2), [0]);
    assert.deepEqual(cpuSetForWorker(3, 4, 2), [1]);
    assert.equal(cpuListArgument([3, 1, 1, 2]), '1,2,3');
    assert.deepEqual(pinnedCommand('/usr/bin/taskset', [0, 1], 'ffmpeg', ['-i', 'a b']), [
      '/usr/bin/taskset',
      ['-c', '0,1', 'ffmpeg', '-i', 'a b'],
    ]);
  });

  it('runs a child on the requested CPU (Linux with taskset)', async function () {
    if (process.platform !== 'linux' || !wrappedCommand('x', [], { cpus: [0] })[1].includes('-c')) this.skip();
    const result = await runProcess('grep', ['Cpus_allowed_list', '/proc/self/status'], { cpus: [0] });
    assert.match(result.stdout, /Cpus_allowed_list:\s+0\s*$/m);
  });
});

describe('child processes', () => {
  it('parses start time and state from /proc/<pid>/stat, even with odd command names', () => {
    const stat = '123 (ff mpeg) (x)) S 1 123 123 0 -1 4194304 100 0 0 0 5 1 0 0 20 0 3 0 98765 1000 200';
    assert.equal(parseStatStartTime(stat), '98765');
    assert.equal(parseStatState(stat), 'S');
    assert.equal(parseStatStartTime(readFileSync('/proc/self/stat', 'utf8'))?.match(/^\d+$/)?.length, 1);
  });

  it('reports the peak RSS of a child', async () => {
    const result = await runProcess(
      process.execPath,
      ['-e', 'const b = Buffer.alloc(150 * 1024 * 1024, 1); setTimeout(() => b.length, 700);'],
      { trackPeakRss: true },
    );
    assert.ok((result.peakRssBytes ?? 0) > 150 * 1024 * 1024, `peak ${result.peakRssBytes}`);
  });

  it("records running children and reaps only those /proc proves are this job's ffmpeg", async function () {
    if (process.platform !== 'linux') this.skip();
    this.timeout(20_000);
    const { dir, cleanup } = tempDir();
    try {
      const registry = new ChildRegistry(dir, { tools: ['ffmpeg', 'ffprobe'] });
      const controller = new AbortController();
      let spawnedPid = 0;
      // A real ffmpeg that runs until killed (-re paces an endless source) and writes into the work dir.
      const running = runProcess(
        'ffmpeg',
        ['-nostdin', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5', '-f', 'nut', '-y', `${dir}/out.nut`],
        {
          signal: controller.signal,
          onSpawn: (pid) => {
            spawnedPid = pid;
            registry.spawned(pid);
          },
        },
      );
      running.catch(() => undefined);
      assert.equal(registry.records().length, 1);
      assert.equal(registry.records()[0]!.pid, spawnedPid);
      assert.equal(ChildRegistry.isAlive(registry.records()[0]!), true);
      // A fresh registry on the same work dir (the next run) finds and kills it.
      assert.deepEqual(new ChildRegistry(dir, { tools: ['ffmpeg', 'ffprobe'] }).reapStale(), [spawnedPid]);
      await assert.rejects(running);
      assert.equal(registry.records().length, 0);
      // A record whose start time does not match is not the same process.
      registry.spawned(process.pid);
      const mine = registry.records()[0]!;
      assert.equal(ChildRegistry.isAlive(mine), true);
      assert.equal(ChildRegistry.isAlive({ ...mine, startTime: '1' }), false);
      // ...and even a live, matching record of a process that is not ffmpeg (this one) is dropped, not killed.
      assert.deepEqual(new ChildRegistry(dir, { tools: ['ffmpeg'] }).reapStale(), []);
      assert.equal(registry.records().length, 0);
    } finally {
      cleanup();
    }
  });

  it('calls onExit whatever the outcome', async () => {
    const exited: number[] = [];
    await runProcess('true', [], { onExit: (pid) => exited.push(pid) });
    await assert.rejects(runProcess('false', [], { onExit: (pid) => exited.push(pid) }), ProcessError);
    assert.equal(exited.length, 2);
  });
});
