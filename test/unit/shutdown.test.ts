import assert from 'node:assert/strict';
import { CancelledError } from '../../server/src/errors';
import { installShutdownHandlers, throwIfCancelled } from '../../server/src/shutdown';

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
      process.emit('SIGTERM' as any);
      assert.equal(controller.signal.aborted, true);
      assert.ok(controller.signal.reason instanceof CancelledError);
      assert.match(controller.signal.reason.message, /SIGTERM/);
      assert.deepEqual([first, exits], [['SIGTERM'], []]);
      assert.throws(() => throwIfCancelled(controller.signal), CancelledError);
      process.emit('SIGINT' as any);
      assert.deepEqual([forced, exits], [['SIGINT'], [130]]);
    } finally {
      uninstall();
    }
    assert.equal(process.listenerCount('SIGINT'), 0);
  });
});
