import assert from 'node:assert/strict';
import { decideKill, namesWorkDir, unwrapCommand, type KillExpectation, type ProcFacts } from '../../server/src/sys/kill-decision';

/** What this job starts: /usr/bin/ffmpeg run as `ffmpeg`, through setpriv and taskset, on /w/job. */
const EXPECT: KillExpectation = {
  pid: 4242,
  startTime: '98765',
  selfPid: 100,
  uid: 1000,
  workDir: '/w/job',
  toolCommands: ['ffmpeg', 'ffprobe'],
  toolExecutables: ['/usr/bin/ffmpeg', '/usr/bin/ffprobe'],
  wrapperExecutables: ['/usr/bin/setpriv', '/usr/bin/taskset'],
};
/** Our encoder as /proc shows it after the wrappers' exec()s. */
const ENCODER: ProcFacts = {
  startTime: '98765',
  state: 'S',
  pgid: 4242,
  realUid: 1000,
  effectiveUid: 1000,
  exe: '/usr/bin/ffmpeg',
  argv: [
    'ffmpeg',
    '-nostdin',
    '-i',
    'file:/w/job/segments/segment_000.mkv',
    '-c:v',
    'libsvtav1',
    'file:/w/job/encoded/segment_000.tmp.mkv',
  ],
};

function refused(facts: ProcFacts | undefined, expect: KillExpectation = EXPECT): string {
  const decision = decideKill(facts, expect);
  assert.equal(decision.kill, false, `killed ${JSON.stringify(facts)}`);
  return decision.kill ? '' : decision.reason;
}

describe('kill decision for a recorded child (pure)', () => {
  it('kills our encoder and its group when every fact matches', () => {
    assert.deepEqual(decideKill(ENCODER, EXPECT), { kill: true, group: true });
  });

  it("kills our encoder caught between the wrappers' exec()s (exe is setpriv, argv ends in ffmpeg)", () => {
    const between = {
      ...ENCODER,
      exe: '/usr/bin/setpriv',
      argv: ['/usr/bin/setpriv', '--pdeathsig', 'KILL', '--', '/usr/bin/taskset', '-c', '0,1', ...ENCODER.argv!],
    };
    assert.deepEqual(decideKill(between, EXPECT), { kill: true, group: true });
  });

  it('signals only the process, not the group, when it does not lead its own group', () => {
    assert.deepEqual(decideKill({ ...ENCODER, pgid: 77 }, EXPECT), { kill: true, group: false });
  });

  it('never signals pid 0, 1, a negative pid or itself', () => {
    for (const pid of [0, 1, -1, -4242, 1.5]) assert.match(refused(ENCODER, { ...EXPECT, pid }), /never ours/);
    assert.match(refused(ENCODER, { ...EXPECT, selfPid: 4242 }), /this process/);
  });

  it('refuses a gone process, a zombie and a recycled pid', () => {
    assert.match(refused(undefined), /no such process/);
    assert.match(refused({ ...ENCODER, state: 'Z' }), /zombie/);
    assert.match(refused({ ...ENCODER, startTime: '11' }), /another process now has this pid/);
    assert.match(refused(ENCODER, { ...EXPECT, startTime: 'x' }), /no valid start time/);
  });

  it("refuses another user's process, even one that is otherwise ours", () => {
    assert.match(refused({ ...ENCODER, realUid: 0, effectiveUid: 0 }), /uid 0/);
    assert.match(refused({ ...ENCODER, effectiveUid: 0 }), /not ours/);
    assert.match(refused({ ...ENCODER, realUid: undefined, effectiveUid: undefined }), /not ours/);
  });

  it("refuses a process that is not this job's ffmpeg or ffprobe", () => {
    assert.match(refused({ ...ENCODER, argv: ['sleep', '300', '/w/job/x'], exe: '/usr/bin/sleep' }), /"sleep" is not/);
    // argv[0] can be set to anything; the kernel's exe cannot.
    assert.match(refused({ ...ENCODER, exe: '/usr/bin/python3' }), /runs \/usr\/bin\/python3/);
    assert.match(refused({ ...ENCODER, exe: undefined }), /unreadable binary/);
    // A wrapper binary only passes while its own argv is a wrapper chain around our tool.
    assert.match(refused({ ...ENCODER, exe: '/usr/bin/setpriv' }), /runs \/usr\/bin\/setpriv/);
    // Another ffmpeg build than the one this job runs.
    assert.match(
      refused({ ...ENCODER, argv: ['/opt/other/ffmpeg', ...ENCODER.argv!.slice(1)], exe: '/opt/other/ffmpeg' }),
      /is not this job's/,
    );
    assert.match(refused({ ...ENCODER, argv: [] }), /no command line/);
  });

  it('refuses our ffmpeg working on another folder', () => {
    assert.match(
      refused({ ...ENCODER, argv: ['ffmpeg', '-i', '/home/me/film.mkv', '/w/job-other/out.mkv'] }),
      /nor its working directory names this work directory/,
    );
    // The work dir as argv[0] only does not count, and a longer sibling name is another folder.
    assert.match(refused({ ...ENCODER, argv: ['ffmpeg', '-i', '/w/jobs/x.mkv'] }), /names this work directory/);
    assert.match(refused({ ...ENCODER, argv: ['ffmpeg', '-i', 'file:segment_list.txt'], cwd: '/w/jobs' }), /names this work directory/);
  });

  it('accepts the mux, which runs in the work directory and names its list relatively', () => {
    const decision = decideKill(
      { ...ENCODER, argv: ['ffmpeg', '-f', 'concat', '-i', 'file:segment_list.txt', 'file:/home/me/out.mkv.tmp'], cwd: EXPECT.workDir },
      EXPECT,
    );
    assert.equal(decision.kill, true);
  });

  it('unwraps only the wrappers runProcess uses', () => {
    assert.deepEqual(unwrapCommand(['/usr/bin/setpriv', '--pdeathsig', 'KILL', '--', 'ffmpeg', '-i', 'a']), ['ffmpeg', '-i', 'a']);
    assert.deepEqual(unwrapCommand(['taskset', '-c', '2,3', 'ffmpeg']), ['ffmpeg']);
    assert.deepEqual(unwrapCommand(['setpriv', '--reuid', '0', 'ffmpeg']), ['setpriv', '--reuid', '0', 'ffmpeg']);
    assert.deepEqual(unwrapCommand(['sh', '-c', 'ffmpeg']), ['sh', '-c', 'ffmpeg']);
  });

  it('recognises the work dir with or without file:, and only as a path prefix', () => {
    assert.equal(namesWorkDir('file:/w/job/segments/a.mkv', '/w/job'), true);
    assert.equal(namesWorkDir('/w/job', '/w/job/'), true);
    assert.equal(namesWorkDir('/w/job2/a.mkv', '/w/job'), false);
    assert.equal(namesWorkDir('x/w/job/a.mkv', '/w/job'), false);
  });
});
