/**
 * Language features for zones files (docs/zones.md): diagnostics from the same checks as the
 * encode, quick fixes (clamp, merge, snap, did-you-mean) carried in each diagnostic's data, a
 * hover on a range, the outline and formatting. The video's facts come from zones-facts.ts.
 */
import {
  CodeActionKind,
  DiagnosticSeverity,
  MarkupKind,
  SymbolKind,
  type CodeAction,
  type Diagnostic,
  type DocumentSymbol,
  type Hover,
  type Position,
  type TextEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  checkZones,
  formatClock,
  formatZones,
  parseZonesText,
  zoneOverrides,
  type ZoneFix,
  type ZoneProblem,
  type ResolvedZone,
} from '../zones';
import type { ZonesVideo } from './zones-facts';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, hint: DiagnosticSeverity.Hint } as const;

function toDiagnostic(problem: ZoneProblem): Diagnostic {
  return {
    severity: SEVERITY[problem.severity],
    range: { start: { line: problem.line, character: problem.start }, end: { line: problem.line, character: problem.end } },
    message: problem.message,
    source: 'zones',
    code: problem.code,
    ...(problem.fixes ? { data: { fixes: problem.fixes } } : {}),
  };
}

/** Without the video's facts: the syntax and the keys and values; and a word on why the ranges are not checked. */
function checkWithoutVideo(text: string, video: ZonesVideo | undefined): ZoneProblem[] {
  const parsed = parseZonesText(text);
  const problems = [...parsed.problems, ...parsed.zones.flatMap((zone) => zoneOverrides(zone.overrides).problems)];
  const why =
    video?.problem ??
    'no video found for this zones file (name it after the video: film.mkv.zones beside film.mkv), so its ranges are not checked';
  problems.push({ line: 0, start: 0, end: 0, severity: 'hint', code: 'no-video', message: why });
  return problems;
}

export function zonesCheck(document: TextDocument, video: ZonesVideo | undefined): { problems: ZoneProblem[]; zones: ResolvedZone[] } {
  const text = document.getText();
  if (!video?.facts) return { problems: checkWithoutVideo(text, video), zones: [] };
  return checkZones(text, video.facts);
}

export function zonesDiagnostics(document: TextDocument, video: ZonesVideo | undefined): Diagnostic[] {
  return zonesCheck(document, video).problems.map(toDiagnostic);
}

/** The quick fixes the diagnostics in the request carry. */
export function zonesCodeActions(document: TextDocument, diagnostics: Diagnostic[]): CodeAction[] {
  return diagnostics.flatMap((diagnostic) => {
    const fixes = (diagnostic.data as { fixes?: ZoneFix[] } | undefined)?.fixes ?? [];
    return fixes.map((fix, i): CodeAction => ({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: i === 0,
      edit: {
        changes: {
          [document.uri]: fix.edits.map((edit) => ({
            range: {
              start: { line: edit.line, character: edit.start },
              end: {
                line: edit.line,
                character: Math.min(
                  edit.end,
                  document
                    .getText({ start: { line: edit.line, character: 0 }, end: { line: edit.line + 1, character: 0 } })
                    .replace(/\r?\n$/, '').length,
                ),
              },
            },
            newText: edit.text,
          })),
        },
      },
    }));
  });
}

export function fmtBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/** The segments (as the last run planned them, in frames) that overlap the zone. */
export function coveredSegments(video: ZonesVideo, zone: ResolvedZone): NonNullable<NonNullable<ZonesVideo['facts']>['segments']> {
  return video.facts?.segments?.filter((s) => s.startFrame < zone.endFrame && s.startFrame + s.frames > zone.startFrame) ?? [];
}

/** A range's frames, times and the segments it covers (with their CRF, VMAF and size after a run). */
export function zonesHover(document: TextDocument, position: Position, video: ZonesVideo | undefined): Hover | null {
  const { zones } = zonesCheck(document, video);
  const zone = zones.find(
    (z) => z.line === position.line && position.character >= z.source.range.span.start && position.character <= z.source.range.span.end,
  );
  if (!zone || !video?.facts) return null;
  const { pts } = video.facts;
  const time = (frame: number) =>
    formatClock((frame < pts.length ? pts[frame]! : pts[pts.length - 1]! + video.facts!.lastFrameSeconds) - pts[0]!);
  const rows = [
    `**Zone ${zone.index}**: frames ${zone.startFrame}–${zone.endFrame - 1} (${zone.endFrame - zone.startFrame} frames)`,
    `${time(zone.startFrame)}–${time(zone.endFrame)}`,
  ];
  const segments = coveredSegments(video, zone);
  if (segments.length) {
    const details = segments.map((s) => {
      const known = video.job?.segments.find((j) => j.index === s.index);
      const parts = [
        known?.crf !== undefined ? `CRF ${known.crf}` : '',
        known?.vmaf !== undefined ? `VMAF ${known.vmaf.toFixed(1)}` : '',
        known?.bytes !== undefined ? fmtBytes(known.bytes) : '',
      ].filter(Boolean);
      return `segment ${s.index}${parts.length ? ` (${parts.join(', ')})` : ''}`;
    });
    rows.push(`covers ${details.join(', ')}${video.job ? ' (as the last run planned them)' : ''}`);
  } else rows.push('segments: not planned yet (run an encode or `chunked-av1 probe`)');
  const scenes = video.sceneCuts;
  if (scenes && 'frames' in scenes) rows.push(`scene changes: ${scenes.frames.length} known, from ${scenes.from}`);
  else if (scenes) rows.push(`scene changes: not known here, so no snap is offered (${scenes.missing})`);
  const span = zone.source.range.span;
  return {
    contents: { kind: MarkupKind.Markdown, value: rows.join('  \n') },
    range: { start: { line: span.line, character: span.start }, end: { line: span.line, character: span.end } },
  };
}

/** The outline: one symbol per zone, named by its range, its overrides as the detail. */
export function zonesSymbols(document: TextDocument): DocumentSymbol[] {
  const lines = document.getText().split(/\r?\n/);
  return parseZonesText(document.getText()).zones.map((zone) => {
    const span = zone.range.span;
    const name = lines[zone.line]!.slice(span.start, span.end);
    const line = { start: { line: zone.line, character: 0 }, end: { line: zone.line, character: lines[zone.line]!.length } };
    return {
      name,
      detail: zone.overrides.map((o) => `${o.key}=${o.value}`).join(' '),
      kind: SymbolKind.Event,
      range: line,
      selectionRange: { start: { line: zone.line, character: span.start }, end: { line: zone.line, character: span.end } },
    };
  });
}

export function zonesFormatting(document: TextDocument): TextEdit[] {
  const text = document.getText();
  const formatted = formatZones(text);
  if (formatted === text) return [];
  return [{ range: { start: { line: 0, character: 0 }, end: document.positionAt(text.length) }, newText: formatted }];
}
