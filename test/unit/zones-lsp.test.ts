import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { buildTimeline } from '../../server/src/probe/frames';
import { zonesCompletion } from '../../server/src/lsp/zones-completion';
import { zonesCodeActions, zonesDiagnostics, zonesFormatting, zonesHover, zonesSymbols } from '../../server/src/lsp/zones-features';
import type { ZonesVideo } from '../../server/src/lsp/zones-facts';

/** 20 s at 24 fps, two chapters, a last run of five 4 s segments with their CRFs. */
function video(): ZonesVideo {
  const timeline = buildTimeline(
    Array.from({ length: 480 }, (_, i) => ({ pts: i / 24, key: i % 48 === 0 })),
    24,
  );
  return {
    video: '/v/film.mkv',
    facts: {
      pts: timeline.pts,
      lastFrameSeconds: timeline.lastFrameSeconds,
      chapters: [
        { title: 'Opening', startSeconds: 0, endSeconds: 10 },
        { title: 'End Credits', startSeconds: 10, endSeconds: 20 },
      ],
      segments: Array.from({ length: 5 }, (_, i) => ({ index: i, startFrame: i * 96, frames: 96 })),
      minSegmentSeconds: 2,
    },
    job: {
      segments: Array.from({ length: 5 }, (_, i) => ({ index: i, crf: 30 + i, vmaf: 93 + i / 10, bytes: (i + 1) * 1024 * 1024 })),
    } as unknown as ZonesVideo['job'],
  };
}

const doc = (text: string) => TextDocument.create('file:///v/film.mkv.zones', 'chunked-av1-zones', 1, text);

describe('zones in the language server', () => {
  it('puts a diagnostic on the bad line, with its quick fix as a code action', () => {
    const document = doc('0-96 crf=30\n100-900 target-vmf=90\n');
    const diagnostics = zonesDiagnostics(document, video());
    assert.deepEqual(
      diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.code]),
      [
        [1, 8, 18, 'unknown-key'],
        [1, 0, 7, 'past-end'],
      ],
    );
    const actions = zonesCodeActions(document, diagnostics);
    assert.deepEqual(
      actions.map((a) => [a.title, a.edit!.changes![document.uri]![0]!.newText]),
      [
        ['Change to target-vmaf', 'target-vmaf'],
        ["Clamp to the video's end", '100-480'],
      ],
    );
  });

  it('checks keys and values even without a video, and says why the ranges are not checked', () => {
    const diagnostics = zonesDiagnostics(doc('0-99999 crf=99'), undefined);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['bad-value', 'no-video'],
    );
  });

  it('completes keys (target-vmaf among them), values, chapter names and segment numbers', () => {
    const v = video();
    const keys = zonesCompletion(doc('0-96 crf=30 '), { line: 0, character: 12 }, v).map((i) => i.label);
    assert.ok(keys.includes('target-vmaf'), keys.join(', '));
    assert.ok(!keys.includes('crf'), 'a key already on the line is not offered again');
    const preset = zonesCompletion(doc('0-96 preset='), { line: 0, character: 12 }, v).map((i) => i.label);
    assert.deepEqual(preset, ['8']);
    const chapters = zonesCompletion(doc('chapter "En'), { line: 0, character: 11 }, v);
    assert.deepEqual(
      chapters.map((i) => i.textEdit && 'newText' in i.textEdit && i.textEdit.newText),
      ['"Opening" ', '"End Credits" '],
    );
    const segments = zonesCompletion(doc('segment '), { line: 0, character: 8 }, v).map((i) => i.label);
    assert.deepEqual(segments, ['0', '1', '2', '3', '4']);
    const svt = zonesCompletion(doc('0-96 svt-params=tune=0:fil'), { line: 0, character: 26 }, v).map((i) => i.label);
    assert.ok(svt.includes('film-grain'));
  });

  it('hovers a range with its frames, times and the segments it covers, with their CRF, VMAF and size', () => {
    const hover = zonesHover(doc('chapter "End Credits" crf=40'), { line: 0, character: 3 }, video());
    const value = (hover!.contents as { value: string }).value;
    assert.match(value, /\*\*Zone 0\*\*: frames 240–479 \(240 frames\)/);
    assert.match(value, /0:10–0:20/);
    assert.match(value, /covers segment 2 \(CRF 32, VMAF 93\.2, 3\.0 MiB\), segment 3 \(CRF 33, VMAF 93\.3, 4\.0 MiB\), segment 4/);
  });

  it('outlines each zone and formats the file', () => {
    const document = doc('0-96   crf=30\nchapter  "End Credits" target-vmaf=85');
    assert.deepEqual(
      zonesSymbols(document).map((s) => [s.name, s.detail]),
      [
        ['0-96', 'crf=30'],
        ['chapter  "End Credits"', 'target-vmaf=85'],
      ],
    );
    assert.equal(zonesFormatting(document)[0]!.newText, '0-96                   crf=30\nchapter "End Credits"  target-vmaf=85');
  });
});
