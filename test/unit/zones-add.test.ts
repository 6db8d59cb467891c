import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentEdit } from 'vscode-languageserver';
import { appendZoneLine, zoneLineForSegment } from '../../server/src/lsp/zones-add';

const URI = 'file:///v/film.mkv.zones';
/** The text after the edit's one insertion. */
function applied(text: string, edit: ReturnType<typeof appendZoneLine>['edit']): string {
  const change = edit.documentChanges!.find((c): c is TextDocumentEdit => 'edits' in c)!;
  return TextDocument.applyEdits(TextDocument.create(URI, 'chunked-av1-zones', 1, text), change.edits as never);
}

describe('Add Zone for This Segment', () => {
  it("writes the segment's frames, end excluded, with the job's target, else the segment's CRF", () => {
    const segment = { index: 12, startFrame: 1200, frames: 650 };
    assert.equal(zoneLineForSegment(segment, { targetVmaf: 93, crf: 31 }), '1200-1850 target-vmaf=93  # segment 12');
    assert.equal(zoneLineForSegment(segment, { crf: 31 }), '1200-1850 crf=31  # segment 12');
    assert.equal(zoneLineForSegment({ index: 0, startFrame: 0, frames: 24 }, {}), '0-24  # segment 0');
  });

  it('creates a missing file with the line', () => {
    const { edit, line } = appendZoneLine(URI, undefined, '0-24 crf=40  # segment 0');
    assert.deepEqual(edit.documentChanges![0], { kind: 'create', uri: URI, options: { ignoreIfExists: true } });
    assert.equal(applied('', edit), '0-24 crf=40  # segment 0\n');
    assert.equal(line, 0);
  });

  it("appends to an existing file, adding the last line's missing line break, CRLF in a CRLF file", () => {
    for (const [text, expected, expectedLine] of [
      ['0-24 crf=40\n', '0-24 crf=40\n24-48 crf=30  # segment 1\n', 1],
      ['0-24 crf=40', '0-24 crf=40\n24-48 crf=30  # segment 1\n', 1],
      ['# notes\n\n', '# notes\n\n24-48 crf=30  # segment 1\n', 2],
      ['0-24 crf=40\r\n', '0-24 crf=40\r\n24-48 crf=30  # segment 1\r\n', 1],
      ['0-24 crf=40\r\n0-4 crf=1', '0-24 crf=40\r\n0-4 crf=1\r\n24-48 crf=30  # segment 1\r\n', 2],
    ] as const) {
      const { edit, line } = appendZoneLine(URI, text, '24-48 crf=30  # segment 1');
      assert.equal(edit.documentChanges!.length, 1, 'no create for an existing file');
      assert.equal(applied(text, edit), expected);
      assert.equal(line, expectedLine);
    }
  });
});
