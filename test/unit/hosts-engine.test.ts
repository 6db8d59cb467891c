import assert from 'node:assert/strict';
import { hostProblem, parseHostCheckOutput, parseSvtVersion } from '../../server/src/hosts/host-check';
import { choosePlace, hostOrder } from '../../server/src/hosts/places';
import { parseJoblogLine } from '../../server/src/hosts/parallel-runner';
import { safePathForParallel, segmentJobArgs, sshCommand } from '../../server/src/hosts/parallel-args';

describe('hosts engine (pure parts)', () => {
  it('offers a job to the least loaded host first, the others after it for retries', () => {
    assert.deepEqual(
      hostOrder([
        { host: 'a', workers: 2, busy: 2 },
        { host: 'b', workers: 4, busy: 1 },
        { host: 'c', workers: 1, busy: 0 },
      ]),
      ['c', 'b', 'a'],
    );
    assert.deepEqual(
      hostOrder([
        { host: 'a', workers: 1, busy: 0 },
        { host: 'b', workers: 1, busy: 0 },
      ]),
      ['a', 'b'],
    );
  });

  it('reads the host and exit code of a joblog line', () => {
    assert.deepEqual(
      parseJoblogLine('3\talice@box:2222\t1796090205.5\t  2.901\t12\t88\t255\t0\tnode w.js segment-worker remote/3-1.job.json'),
      { host: 'alice@box:2222', seconds: 2.901, exitCode: 255, signal: 0 },
    );
    assert.equal(parseJoblogLine('Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand'), undefined);
  });

  it("reads each host's check output and names what is wrong", () => {
    const mark = 'chunked-av1-check:';
    const facts = parseHostCheckOutput(
      [
        `ok\t${mark}cores 8`,
        `ok\t${mark}memory-kb 1000`,
        ...['ffmpeg', 'ffprobe', 'parallel', 'rsync', 'node'].map((t) => `ok\t${mark}has ${t}`),
        `ok\t${mark}libsvtav1`,
        `ok\t${mark}svt SVT-AV1 Encoder Lib v1.4.1`,
        `ok\t${mark}node v20.19.0`,
        `ok\t${mark}end`,
        'down\tssh: connect to host down port 22: Connection refused',
        `old\t${mark}has ffmpeg`,
        `old\t${mark}end`,
      ],
      ['ok', 'down', 'old'],
    );
    assert.deepEqual(
      { ...facts.get('ok'), tools: [...facts.get('ok')!.tools] },
      {
        cores: 8,
        memoryBytes: 1024000,
        tools: ['ffmpeg', 'ffprobe', 'parallel', 'rsync', 'node'],
        libsvtav1: true,
        svtVersion: 'v1.4.1',
        nodeVersion: 'v20.19.0',
        complete: true,
        messages: [],
      },
    );
    assert.equal(hostProblem(facts.get('ok')!, { svtVersion: 'v1.4.1' }), undefined);
    assert.match(hostProblem(facts.get('ok')!, { svtVersion: 'v2.0.0' })!, /SVT-AV1 v1\.4\.1 and this machine v2\.0\.0/);
    assert.match(hostProblem(facts.get('down')!, {})!, /not reachable over ssh .*Connection refused/);
    assert.match(hostProblem(facts.get('old')!, {})!, /^ffprobe, parallel, rsync, node not found/);
    assert.equal(parseSvtVersion('Svt[info]: SVT [version]:\tSVT-AV1 Encoder Lib v1.4.1'), 'v1.4.1');
  });

  it('puts only plain absolute paths and job ids into GNU parallel command lines', () => {
    assert.ok(safePathForParallel('/tmp/chunked-av1-worker-0-ab12/cli.js'));
    for (const bad of ['relative/cli.js', '/tmp/a b/cli.js', '/tmp/$x/cli.js', '/tmp/../etc/cli.js', "/tmp/it's/cli.js"])
      assert.ok(!safePathForParallel(bad), bad);
    assert.throws(() => sshCommand('/tmp/a b'));
    assert.throws(() => segmentJobArgs({ ssh: 'ssh', sshlogins: ['1/a'], joblog: 'j', worker: '/w/cli.js', jobId: '1-1; rm' }));
    const args = segmentJobArgs({ ssh: 'ssh', sshlogins: ['1/a', '1/b'], joblog: 'j', worker: '/w/cli.js', jobId: '3-7' });
    assert.deepEqual(args.slice(-2), [':::', '3-7']);
    assert.equal(args[args.indexOf('--retries') + 1], '2');
  });

  it('gives the next segment to the free place that has had the fewest, this machine first on a tie', () => {
    const place = (host: string, workers: number, busy: number, assigned: number) => ({ host, workers, busy, assigned });
    assert.equal(choosePlace([place(':', 1, 0, 0), place('a', 1, 0, 0), place('b', 1, 0, 0)]), ':');
    // This machine finished its first segment before the third was ready: b, which had none, takes it.
    assert.equal(choosePlace([place(':', 1, 0, 1), place('a', 1, 1, 1), place('b', 1, 0, 0)]), 'b');
    assert.equal(choosePlace([place(':', 1, 1, 1), place('a', 1, 1, 1), place('b', 1, 1, 1)]), undefined);
    assert.equal(choosePlace([place(':', 0, 0, 0), place('a', 2, 1, 3), place('b', 1, 0, 4)]), 'a');
  });
});
