import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { basicClip, tempDir } from '../helpers/clips';
import { runCliSync, TINY_SEGMENT_FLAGS } from '../helpers/cli';
import type { QualityReport } from '../../common/report';

/**
 * `chunked-av1 report --json` after a real zoned encode (issue 26): the zones file beside the input
 * (`INPUT.zones`, one zone of frames 30–59 at crf=45) reaches the report as each segment's zone and
 * the zone's exact range, on segments of unequal length (the zone's edges cut the 1 s segments).
 */
describe('chunked-av1 report: zones from a real encode (integration)', function () {
  this.timeout(300_000);
  let dir: string;
  let cleanup: () => void;
  let input: string;

  before(() => {
    ({ dir, cleanup } = tempDir('chunked-av1-report-zones-'));
    input = basicClip(path.join(dir, 'zoned film.mkv'), { seconds: 3, size: '96x64' });
    writeFileSync(`${input}.zones`, '# one zone, at a fixed CRF\n30-60 crf=45\n');
    const encode = runCliSync(['encode', input, '--crf', '30', ...TINY_SEGMENT_FLAGS, '--keep-work-dir']);
    assert.equal(encode.status, 0, encode.stderr);
  });
  after(() => cleanup());

  it("gives each segment its zone and the zone its exact frames and times; the zone's CRF was used", () => {
    const json = runCliSync(['report', input, '--json']);
    assert.equal(json.status, 0, json.stderr);
    const report = JSON.parse(json.stdout) as QualityReport;
    assert.equal(report.metric, 'vmaf');
    assert.equal(report.zones?.length, 1, JSON.stringify(report.zones));
    const zone = report.zones[0]!;
    assert.equal(zone.label, 'zone 0: crf=45');
    assert.equal(zone.startFrame, 30);
    assert.equal(zone.endFrame, 60);
    assert.ok(Math.abs(zone.startSeconds - 30 / 24) < 1e-6, String(zone.startSeconds));
    assert.ok(Math.abs(zone.endSeconds - 60 / 24) < 1e-6, String(zone.endSeconds));
    const inZone = report.segments.filter((s) => s.zone);
    assert.deepEqual(
      inZone.map((s) => s.index),
      zone.segments,
    );
    assert.equal(
      inZone.reduce((frames, s) => frames + s.frames, 0),
      30,
      "the zone's segments cover its 30 frames",
    );
    for (const segment of report.segments) {
      const inside = segment.startFrame >= 30 && segment.startFrame < 60;
      assert.equal(segment.zone?.label, inside ? 'zone 0: crf=45' : undefined, `segment ${segment.index}`);
      assert.equal(segment.crf, inside ? 45 : 30, `segment ${segment.index}'s CRF`);
    }
    // Unequal segments: the zone's edges at 1.25 s and 2.5 s cut the 1 s grid.
    assert.ok(new Set(report.segments.map((s) => s.frames)).size > 1, report.segments.map((s) => s.frames).join(','));
  });
});
