/**
 * *Add Zone for This Segment* (#26): the zone line for one segment of a known job, and the
 * workspace edit that appends it to the zones file beside the input (created when missing).
 * Pure: the caller finds the segment's frames (zones-facts.ts) and the file's current text.
 */
import type { CreateFile, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver';

export interface SegmentFrames {
  index: number;
  startFrame: number;
  frames: number;
}

/** What the new zone sets: the job's own target when it searched, else the CRF the segment got. */
export interface ZoneStartingValue {
  targetVmaf?: number;
  crf?: number;
}

/**
 * `1200-1850 target-vmaf=93  # segment 12`: the end frame is excluded, as in every zones range.
 * With neither a target nor a CRF known, the line has only the range and the comment: the zones
 * checks then warn that it sets nothing, which is what the user is about to fill in.
 */
export function zoneLineForSegment(segment: SegmentFrames, value: ZoneStartingValue): string {
  const range = `${segment.startFrame}-${segment.startFrame + segment.frames}`;
  const setting = value.targetVmaf !== undefined ? ` target-vmaf=${value.targetVmaf}` : value.crf !== undefined ? ` crf=${value.crf}` : '';
  return `${range}${setting}  # segment ${segment.index}`;
}

/** Where the appended line lands and the edit that puts it there. */
export interface AppendedZone {
  edit: WorkspaceEdit;
  /** The new line's number (0-based) in the file after the edit. */
  line: number;
}

/** Appends `line` to the file at `uri`, whose text is `text` (undefined: no such file yet, so it is created). */
export function appendZoneLine(uri: string, text: string | undefined, line: string): AppendedZone {
  const lines = (text ?? '').split('\n');
  const last = lines.length - 1;
  const end = { line: last, character: lines[last]!.length };
  const needsBreak = lines[last]!.length > 0;
  // A CRLF file stays CRLF.
  const eol = text?.includes('\r\n') ? '\r\n' : '\n';
  const insert: TextDocumentEdit = {
    textDocument: { uri, version: null },
    edits: [{ range: { start: end, end }, newText: `${needsBreak ? eol : ''}${line}${eol}` }],
  };
  const create: CreateFile = { kind: 'create', uri, options: { ignoreIfExists: true } };
  return {
    edit: { documentChanges: text === undefined ? [create, insert] : [insert] },
    line: needsBreak ? last + 1 : last,
  };
}
