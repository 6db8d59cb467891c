/**
 * Completion in a zones file: ranges at the start of a line (the video's chapters, the last run's
 * segments), chapter names after `chapter`, segment numbers after `segment`, then the keys a zone
 * may set (from the option catalogue) and their values (enumerations, the catalogue's default,
 * SVT-AV1 parameter names in svt-params).
 */
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { KNOWN_SVT_PARAMS } from '../../../common/option-values';
import { OPTION_CATALOGUE, defaultOf } from '../../../common/option-catalogue';
import { formatClock, quoteName, ZONE_KEY_SPECS, zoneKeyRange, zoneKeySpec } from '../zones';
import type { ZonesVideo } from './zones-facts';

function range(line: number, from: number, to: number) {
  return { start: { line, character: from }, end: { line, character: to } };
}

function chapterItems(video: ZonesVideo | undefined, line: number, from: number, to: number, prefix: string): CompletionItem[] {
  return (video?.facts?.chapters ?? []).flatMap((chapter, i) =>
    chapter.title
      ? [
          {
            label: `${prefix}${quoteName(chapter.title)}`,
            kind: CompletionItemKind.Reference,
            detail: `chapter ${i + 1}: ${formatClock(chapter.startSeconds)}–${formatClock(chapter.endSeconds)}`,
            textEdit: { range: range(line, from, to), newText: `${prefix}${quoteName(chapter.title)} ` },
            sortText: String(i).padStart(4, '0'),
          },
        ]
      : [],
  );
}

function segmentItems(video: ZonesVideo | undefined, line: number, from: number, to: number, prefix: string): CompletionItem[] {
  const pts = video?.facts?.pts ?? [];
  return (video?.facts?.segments ?? []).map((s) => ({
    label: `${prefix}${s.index}`,
    kind: CompletionItemKind.Value,
    detail: `frames ${s.startFrame}–${s.startFrame + s.frames - 1}${pts.length ? `, from ${formatClock(pts[s.startFrame]! - pts[0]!)}` : ''}`,
    textEdit: { range: range(line, from, to), newText: `${prefix}${s.index} ` },
    sortText: String(s.index).padStart(6, '0'),
  }));
}

export function zonesCompletion(document: TextDocument, position: Position, video: ZonesVideo | undefined): CompletionItem[] {
  const lineText = document.getText(range(position.line, 0, position.character));
  if (lineText.includes('#')) return [];
  const { line, character } = position;
  const chapter = /^(\s*)chapter\s+("[^"]*|[^\s"]*)$/.exec(lineText);
  if (chapter) return chapterItems(video, line, character - chapter[2]!.length, character, '');
  const segment = /^\s*segment\s+(\d*)$/.exec(lineText);
  if (segment) return segmentItems(video, line, character - segment[1]!.length, character, '');
  const first = /^(\s*)(\S*)$/.exec(lineText);
  if (first) {
    const from = first[1]!.length;
    return [
      ...chapterItems(video, line, from, character, 'chapter '),
      ...segmentItems(video, line, from, character, 'segment '),
      {
        label: 'FRAME-FRAME',
        kind: CompletionItemKind.Snippet,
        detail: 'a range of frames (the end not included)',
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range: range(line, from, character), newText: '${1:0}-${2:end} ' },
      },
      {
        label: 'M:SS-M:SS',
        kind: CompletionItemKind.Snippet,
        detail: 'a range of times from the first frame',
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range: range(line, from, character), newText: '${1:0:00}-${2:0:10} ' },
      },
    ];
  }
  const token = /(\S*)$/.exec(lineText)![1]!;
  const equals = token.indexOf('=');
  if (equals < 0) {
    const used = new Set([...lineText.matchAll(/(?:^|\s)([a-z][a-z0-9-]*)=/g)].map((m) => m[1]));
    return ZONE_KEY_SPECS.filter((spec) => !used.has(spec.name)).map((spec) => {
      const span = zoneKeyRange(spec);
      return {
        label: spec.name,
        kind: CompletionItemKind.Property,
        detail: span ? `${spec.name}=${span.includes('|') ? span : span.replace('..', '–')}` : `${spec.name}=…`,
        documentation: spec.help,
        textEdit: { range: range(line, character - token.length, character), newText: `${spec.name}=` },
        command: { title: 'values', command: 'editor.action.triggerSuggest' },
      };
    });
  }
  const key = token.slice(0, equals);
  const spec = zoneKeySpec(key);
  if (!spec) return [];
  const valueFrom = character - token.length + equals + 1;
  if (spec.option === 'svtParams') {
    const typed = token.slice(equals + 1);
    const last = typed.lastIndexOf(':') + 1;
    return KNOWN_SVT_PARAMS.map((name) => ({
      label: name,
      kind: CompletionItemKind.Property,
      detail: 'an SVT-AV1 parameter (svt-params=k=v:k=v)',
      textEdit: { range: range(line, valueFrom + last, character), newText: `${name}=` },
    }));
  }
  const span = zoneKeyRange(spec);
  const values = span.includes('|') ? span.split('|') : [];
  const fallback = spec.option ? (defaultOf(OPTION_CATALOGUE[spec.option].schema) as number | string | undefined) : undefined;
  if (!values.length && fallback !== undefined) values.push(String(fallback));
  return values.map((value) => ({
    label: value,
    kind: CompletionItemKind.Value,
    detail: span ? `${spec.name}: ${span.replace('..', '–')}` : spec.name,
    textEdit: { range: range(line, valueFrom, character), newText: value },
  }));
}
