import assert from 'node:assert/strict';
import { choosePlace, Places } from '../../server/src/hosts/places';
import { hostsGoneMessage } from '../../server/src/hosts/hosts-runner';
import { formatWorkerReport, parseWorkerReport, type WorkerReport } from '../../server/src/hosts/worker-report';
import { JobStopError } from '../../server/src/errors';
import { isRetryable } from '../../server/src/job/retry';

const place = (host: string, workers: number, busy: number, assigned: number) => ({ host, workers, busy, assigned });
const never = () => Promise.resolve(new Error('not expected'));

describe('hosts: where a segment runs, remote reports, every host gone', () => {
  it('sends a retry to a place the segment has not failed on, waiting for it when it is busy', () => {
    const places = [place(':', 1, 0, 1), place('a', 1, 0, 0), place('b', 1, 0, 1)];
    assert.equal(choosePlace(places, new Set(['a'])), ':');
    assert.equal(choosePlace([place(':', 0, 0, 0), place('a', 1, 0, 0), place('b', 1, 1, 1)], new Set(['a'])), undefined);
    // Failed everywhere that is open: any free place takes it again.
    assert.equal(choosePlace([place(':', 0, 0, 0), place('a', 1, 0, 0), place('b', 1, 1, 1)], new Set(['a', 'b'])), 'a');
  });

  it('a retried segment waits for the other host, then goes there; GNU parallel tries the failed host last', async () => {
    const places = new Places(
      [
        { host: 'a', workers: 1 },
        { host: 'b', workers: 1 },
      ],
      0,
    );
    assert.equal(await places.acquire(0, undefined, never), 'a');
    assert.equal(await places.acquire(1, undefined, never), 'b');
    places.failed(0, 'a');
    places.release('a');
    let got: string | undefined;
    const waiting = places.acquire(0, undefined, never).then((host) => (got = host));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(got, undefined, 'a is free, but segment 0 failed there and b is up');
    places.release('b');
    assert.equal(await waiting, 'b');
    assert.deepEqual(places.sshloginOrder('b', 0), ['b', 'a']);
  });

  it('a host that is down takes no segments; when every place is gone the check decides, and a revived host takes work again', async () => {
    const places = new Places(
      [
        { host: 'a', workers: 1 },
        { host: 'b', workers: 2 },
      ],
      0,
    );
    places.markDown(['a'], 'ssh failed: Connection refused');
    assert.equal(await places.acquire(0, undefined, never), 'b');
    assert.deepEqual(places.sshloginOrder('b', 0), ['b']);
    places.release('b');
    places.markDown(['b'], 'ssh failed: No route to host');
    assert.ok(places.allGone);
    const stop = new JobStopError('gone');
    await assert.rejects(
      places.acquire(1, undefined, (gone) => {
        assert.deepEqual(gone.hosts.map((h) => h.host).sort(), ['a', 'b']);
        return Promise.resolve(stop);
      }),
      stop,
    );
    const revived = await places.acquire(1, undefined, () => {
      places.revive('b');
      return Promise.resolve(undefined);
    });
    assert.equal(revived, 'b');
    // With slots on this machine, lost hosts are not the end.
    const withLocal = new Places([{ host: 'a', workers: 1 }], 1);
    withLocal.markDown(['a'], 'gone');
    assert.ok(!withLocal.allGone);
    assert.equal(await withLocal.acquire(0, undefined, never), ':');
  });

  it('a waiting segment stops waiting on cancel', async () => {
    const places = new Places([{ host: 'a', workers: 1 }], 0);
    await places.acquire(0, undefined, never);
    const controller = new AbortController();
    const waiting = places.acquire(1, controller.signal, never);
    controller.abort();
    await assert.rejects(waiting, { name: 'CancelledError' });
  });

  it('the every-host-gone line names each host and its cause, and is not retried', () => {
    const line = hostsGoneMessage({
      hosts: [
        { host: 'a', cause: 'not reachable over ssh with a key (batch mode): Connection refused' },
        { host: 'u@b:2222', cause: 'ssh failed' },
      ],
    });
    assert.equal(line.split('\n').length, 1);
    assert.match(line, /^every host is gone \(host "a": not reachable .*Connection refused; host "u@b:2222": ssh failed\)/);
    assert.match(line, /run the same command again to resume$/);
    assert.equal(isRetryable(new JobStopError(line)), false);
  });

  it('reads back what a remote worker reports, with or without GNU parallel tag', () => {
    const reports: WorkerReport[] = [
      { kind: 'frames', frames: 42 },
      { kind: 'state', state: 'encoding', crf: 35 },
      { kind: 'state', state: 'searching' },
      { kind: 'alive' },
      { kind: 'end' },
    ];
    for (const report of reports) {
      assert.deepEqual(parseWorkerReport(formatWorkerReport(report)), report);
      assert.deepEqual(parseWorkerReport(`3-1\t${formatWorkerReport(report)}`), report);
    }
    for (const other of [
      '3-1\tssh: connect to host a port 22: Connection refused',
      'chunked-av1-worker frames x',
      'chunked-av1-worker state done',
    ])
      assert.equal(parseWorkerReport(other), undefined, other);
  });
});
