import assert from 'node:assert/strict';
import { batchSummaryLines } from '../../server/src/cli/batch';
import { optionIssueText, suggestFlag } from '../../server/src/cli/flags';
import { segmentPlanLines } from '../../server/src/cli/probe';
import { differingSettings, isSearchedManifest, searchedText } from '../../server/src/cli/search-handoff';
import { SEARCH_ONLY_NOTE } from '../../server/src/pipeline';
import { parseEncodeOptions } from '../../common/options';
import { segmentSettings } from '../../server/src/job/start-manifest';

/** The pure parts of the CLI's words (#23 item 4). */
describe('cli words', () => {
  it("suggests --target-vmaf for ab-av1's --min-vmaf, and typos by distance", () => {
    const known = ['--target-vmaf', '--min-crf', '--max-crf', '--preset'];
    assert.equal(suggestFlag('--min-vmaf', known), '--target-vmaf');
    assert.equal(suggestFlag('--min-crff', known), '--min-crf');
    assert.equal(suggestFlag('encdoe', ['encode', 'search', 'probe']), 'encode');
    assert.equal(suggestFlag('--min-vmaf', ['--preset']), undefined);
  });

  it('says a range complaint as the flag and the catalogue range', () => {
    assert.equal(
      optionIssueText({ code: 'too_big', path: ['crf'], message: 'Too big: expected number to be <=63' }, 70),
      '--crf: 70 is out of range 0–63',
    );
    assert.equal(optionIssueText({ code: 'too_big', path: ['preset'], message: 'Too big' }, 14), '--preset: 14 is out of range -1 to 13');
    assert.equal(
      optionIssueText({ code: 'invalid_type', expected: 'int', path: ['workers'], message: 'x' }, 2.5),
      '--workers: 2.5 is not a whole number (range 1–64)',
    );
    assert.equal(
      optionIssueText({ code: 'custom', path: [], message: '--crf and --target-vmaf are exclusive' }, undefined),
      '--crf and --target-vmaf are exclusive',
    );
  });

  it('a batch total names the file that grew', () => {
    const lines = batchSummaryLines(
      3,
      [
        { input: 'a.mkv', bytes: 1000, sourceBytes: 10_000 },
        { input: 'b\nc.mkv', bytes: 4570, sourceBytes: 1000 },
      ],
      [{ input: 'bad.mkv', cause: 'bad.mkv: not a video' }],
    );
    assert.deepEqual(lines, [
      'batch: 2 of 3 written (5 KiB from 11 KiB, 49.4% saved in total; 1 larger than its source), 1 failed:',
      '  bad.mkv: bad.mkv: not a video',
      '  larger than its source: b\\nc.mkv: 4 KiB from 1 KiB, 357% larger',
    ]);
  });

  it("a search's manifest is said as a search; settings that differ from the encode are named", () => {
    const segments = [{ index: 0, startFrame: 0, frames: 24, state: 'pending' as const, attempts: 0 }];
    assert.ok(isSearchedManifest({ status: 'cancelled', lastError: SEARCH_ONLY_NOTE, segments }));
    assert.ok(!isSearchedManifest({ status: 'cancelled', lastError: 'cancelled', segments }));
    assert.equal(searchedText(2), 'searched: 2 segments, CRFs found; run encode to use them');
    assert.equal(searchedText(1), 'searched: 1 segment, CRFs found; run encode to use them');
    const searched = parseEncodeOptions({ input: 'x.mkv', targetVmaf: 93 });
    const settings = { ...segmentSettings(searched), crop: '160:120:0:0' };
    assert.deepEqual(differingSettings(settings, searched), []);
    assert.deepEqual(differingSettings(settings, parseEncodeOptions({ input: 'x.mkv', targetVmaf: 95, preset: 10 })), [
      'preset',
      'targetVmaf',
    ]);
  });

  it("draws the segment plan with each segment's times, frames and reason", () => {
    assert.deepEqual(
      segmentPlanLines([
        { index: 0, frames: 168, startSeconds: 0, endSeconds: 7.02, reason: 'start' },
        { index: 1, frames: 312, startSeconds: 7.02, endSeconds: 20.02, reason: 'scene' },
      ]),
      ['    0  0.000–7.020 s   168 frames  start', '    1  7.020–20.020 s  312 frames  scene'],
    );
  });
});
