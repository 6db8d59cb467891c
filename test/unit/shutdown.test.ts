import assert from 'node:assert/strict';
import { CancelledError } from '../../server/src/errors';
import { installShutdownHandlers, throwIfCancelled } from '../../server/src/job/shutdown';
import { acquireJobLock, lockOwner, LOCK_FILE } from '../../server/src/job/lock';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { tempDir } from '../helpers/clips';

describe('shutdown', () => {
  it('aborts on the first signal and exits 130 on the second', () => {
    const controller = new AbortController();
    const exits: number[] = [];
    const first: string[] = [];
    const forced: string[] = [];
    const uninstall = installShutdownHandlers(controller, {
      exit: (code) => exits.push(code),
      onFirstSignal: (s) => first.push(s),
      onForcedExit: (s) => forced.push(s),
    });
    try {
      process.emit('SIGTERM');
      assert.equal(controller.signal.aborted, true);
      assert.ok(controller.signal.reason instanceof CancelledError);
      assert.match(controller.signal.reason.message, /SIGTERM/);
      assert.deepEqual([first, exits], [['SIGTERM'], []]);
      assert.throws(() => throwIfCancelled(controller.signal), CancelledError);
      process.emit('SIGINT');
      assert.deepEqual([forced, exits], [['SIGINT'], [130]]);
    } finally {
      uninstall();
    }
    assert.equal(process.listenerCount('SIGINT'), 0);
  });
});

describe('job lock', () => {
  it('lets one run own a work dir, refuses a second, and takes over a stale lock', () => {
    const { dir, cleanup } = tempDir();
    try {
      const lock = acquireJobLock(dir);
      assert.equal(lockOwner(dir)?.pid, process.pid);
      // Another live process owning the lock: refused with the owner named.
      writeFileSync(`${dir}/${LOCK_FILE}`, JSON.stringify({ pid: 1, startTime: '', host: os.hostname(), since: 'x' }));
      assert.throws(() => acquireJobLock(dir), /another chunked-av1 run \(pid 1 /);
      // A lock whose process is gone (start time does not match) is stale and taken over.
      writeFileSync(`${dir}/${LOCK_FILE}`, JSON.stringify({ pid: 1, startTime: '1', host: os.hostname(), since: 'x' }));
      assert.equal(lockOwner(dir), undefined);
      const again = acquireJobLock(dir);
      assert.equal(lockOwner(dir)?.pid, process.pid);
      again.release();
      lock.release();
      assert.equal(lockOwner(dir), undefined);
    } finally {
      cleanup();
    }
  });
});
