import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import type { JobEvent } from '../../common/events';
import { frameCheck } from '../helpers/faults';
import { SEGMENTS, describeRun, makeJob, requireBuiltCli, tally, type Job } from '../helpers/resume-fixture';

/**
 * SIGKILL at ten moments spread from planning to concatenation, each chosen from the CLI's own
 * --json events. The re-run must finish with a frame-exact output and re-encode none of the
 * segments that were validated before the kill.
 */
type Moment = { name: string; when: (event: JobEvent, history: readonly JobEvent[]) => boolean };

const doneCount = (history: readonly JobEvent[]) => history.filter((e) => e.event === 'segment' && e.state === 'done').length;
const phase = (name: string) => (e: JobEvent) => e.event === 'phase' && e.phase === name;
const segment = (state: string) => (e: JobEvent) => e.event === 'segment' && e.state === state;

const MOMENTS: Moment[] = [
  { name: 'right after the plan', when: (e) => e.event === 'plan' },
  { name: 'when segmenting starts', when: phase('segment') },
  { name: 'when encoding starts', when: phase('encode') },
  { name: 'during the first segment encode', when: segment('encoding') },
  { name: 'during the first segment validation', when: segment('validating') },
  { name: 'after 2 segments are done', when: (e, h) => segment('done')(e) && doneCount(h) === 2 },
  { name: 'after half of the segments are done', when: (e, h) => segment('done')(e) && doneCount(h) === SEGMENTS / 2 },
  {
    name: 'while the second-to-last segment encodes',
    when: (e) => segment('encoding')(e) && e.event === 'segment' && e.index === SEGMENTS - 2,
  },
  { name: 'after the last segment is done', when: (e, h) => segment('done')(e) && doneCount(h) === SEGMENTS },
  { name: 'when concatenation starts', when: phase('concat') },
];

describe('faults: SIGKILL at 10 moments, then resume (real CLI)', function () {
  this.timeout(240_000);
  let job: Job;
  const totals = { killedAfterDone: 0, skipped: 0, reEncoded: 0, validatedReEncoded: 0 };

  before(() => {
    requireBuiltCli();
    job = makeJob();
  });
  after(() => {
    console.log(`      SIGKILL totals over ${wanted} kills: ${JSON.stringify(totals)}`);
    job?.cleanup();
  });

  // CHUNKED_AV1_FAULT_MOMENTS=N runs N of the ten moments, evenly spread (a quicker CI pass).
  const wanted = Math.min(MOMENTS.length, Number(process.env.CHUNKED_AV1_FAULT_MOMENTS) || MOMENTS.length);
  const picks = wanted === 1 ? [0] : Array.from({ length: wanted }, (_, k) => Math.round((k * (MOMENTS.length - 1)) / (wanted - 1)));
  for (const moment of picks.map((i) => MOMENTS[i]!)) {
    it(`resumes after a SIGKILL ${moment.name}`, async () => {
      rmSync(job.workDir, { recursive: true, force: true });
      rmSync(job.output, { force: true });

      const killed = await job.run([], { killWhen: moment.when, killSignal: 'SIGKILL' });
      assert.ok(killed.killedAfter, `the moment "${moment.name}" never came:\n${describeRun(killed)}`);
      assert.equal(killed.signal, 'SIGKILL');
      assert.deepEqual(killed.strays, [], 'ffmpeg processes survived the SIGKILL');
      assert.equal(existsSync(job.output), false, 'an output file appeared from a killed run');
      const validatedBefore = tally(killed).done;

      const resumed = await job.run();
      assert.equal(resumed.code, 0, describeRun(resumed));
      assert.deepEqual(resumed.strays, []);
      const after = tally(resumed);
      const plan = resumed.events.find((e) => e.event === 'plan');
      const total = plan && plan.event === 'plan' ? plan.segments : 0;
      assert.equal(total, SEGMENTS);
      const reEncodedValidated = validatedBefore.filter((i) => after.encoded.includes(i));
      assert.deepEqual(reEncodedValidated, [], `validated before the kill but re-encoded: ${reEncodedValidated.join(',')}`);
      for (const index of validatedBefore)
        assert.ok(after.skipped.includes(index), `segment ${index} was validated before the kill but not reported skipped`);
      assert.deepEqual(
        [...new Set([...after.skipped, ...after.encoded])].sort((a, b) => a - b),
        [...Array(total).keys()],
      );

      const check = frameCheck(job.input, job.output);
      assert.equal(check.outputFrames, check.sourceFrames);
      assert.ok(check.minPsnr > 25, `worst frame PSNR ${check.minPsnr} dB: frames shifted at a boundary?`);

      totals.killedAfterDone += validatedBefore.length;
      totals.skipped += after.skipped.length;
      totals.reEncoded += after.encoded.length;
      totals.validatedReEncoded += reEncodedValidated.length;
    });
  }
});
