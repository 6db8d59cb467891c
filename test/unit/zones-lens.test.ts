import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { buildTimeline } from '../../server/src/probe/frames';
import { zoneLensText, zonesCodeLenses } from '../../server/src/lsp/zones-lens';
import type { ZonesVideo } from '../../server/src/lsp/zones-facts';

const MiB = 1024 * 1024;

describe('the code lens above a zone', () => {
  it('gives the count, the CRF and VMAF spans and the total size of the covered segments', () => {
    const segments = [
      { crf: 31, vmaf: 93.14, bytes: 10 * MiB },
      { crf: 35, vmaf: 93.6, bytes: 20 * MiB },
      { crf: 33, vmaf: 93.3, bytes: 12 * MiB },
    ];
    assert.equal(zoneLensText(segments), '3 segments · CRF 31–35 · VMAF 93.1–93.6 · 42.0 MiB');
    assert.equal(zoneLensText([{ crf: 40, bytes: 300 * 1024 }]), '1 segment · CRF 40 · 300 KiB', 'no VMAF measured (fixed CRF)');
    assert.equal(zoneLensText([{}, {}]), '2 segments', 'not encoded yet');
  });

  it("puts one lens on each zone line that covers segments of the last run, linked to the zone's first segment in the tree; none before a run", () => {
    const timeline = buildTimeline(
      Array.from({ length: 96 }, (_, i) => ({ pts: i / 24, key: i % 24 === 0 })),
      24,
    );
    const video: ZonesVideo = {
      video: '/v/film.mkv',
      facts: {
        pts: timeline.pts,
        lastFrameSeconds: timeline.lastFrameSeconds,
        chapters: [],
        segments: Array.from({ length: 4 }, (_, i) => ({ index: i, startFrame: i * 24, frames: 24 })),
        minSegmentSeconds: 0.5,
      },
      job: {
        jobId: 'j1',
        segments: Array.from({ length: 4 }, (_, i) => ({ index: i, crf: 30 + i, bytes: MiB })),
      } as unknown as ZonesVideo['job'],
    };
    const document = TextDocument.create('file:///v/film.mkv.zones', 'chunked-av1-zones', 1, '# credits\n0-48 crf=30\n48-72 crf=40\n');
    const lenses = zonesCodeLenses(document, video);
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command!.title, l.command!.command, l.command!.arguments]),
      [
        [1, '2 segments · CRF 30–31 · 2.0 MiB', 'chunkedAv1.revealInJobs', ['j1', 0]],
        [2, '1 segment · CRF 32 · 1.0 MiB', 'chunkedAv1.revealInJobs', ['j1', 2]],
      ],
    );
    assert.deepEqual(zonesCodeLenses(document, { ...video, job: undefined }), []);
  });
});
