/**
 * The zones language (`chunked-av1-zones`) on the connection: diagnostics as the document changes
 * (after the video's probe, once per version of the video), completion, outline, formatting and
 * quick fixes. server.ts routes hovers here for zones documents.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  ErrorCodes,
  ResponseError,
  type Connection,
  type Hover,
  type Position,
  type ServerCapabilities,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { AddZoneForSegment, type AddZoneResult, type JobSnapshot } from '../../../common/protocol';
import { zonesCodeLenses } from './zones-lens';
import { appendZoneLine, zoneLineForSegment } from './zones-add';
import { zonesCompletion } from './zones-completion';
import { videoForZonesUri, zonesVideo, type NextEncode, type ZonesVideo } from './zones-facts';
import { zonesCodeActions, zonesDiagnostics, zonesFormatting, zonesHover, zonesSymbols } from './zones-features';

export const ZONES_LANGUAGE = 'chunked-av1-zones';

export const ZONES_CAPABILITIES: ServerCapabilities = {
  completionProvider: { triggerCharacters: ['=', '"', ' ', ':'] },
  documentSymbolProvider: true,
  documentFormattingProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  codeLensProvider: { resolveProvider: false },
};

export interface ZonesHost {
  jobs(): JobSnapshot[];
  tools(uri: string): Promise<{ ffmpeg?: string; ffprobe?: string }>;
  /** The encode that would run next for this video (the settings and their default preset), when they make one. */
  nextEncode(video: string): Promise<NextEncode | undefined>;
  log(message: string): void;
}

export function registerZones(connection: Connection, documents: TextDocuments<TextDocument>, host: ZonesHost) {
  const isZones = (document: TextDocument | undefined): document is TextDocument => document?.languageId === ZONES_LANGUAGE;
  const videoFor = async (uri: string): Promise<ZonesVideo | undefined> => {
    try {
      const video = videoForZonesUri(uri);
      const next = video ? await host.nextEncode(video) : undefined;
      return await zonesVideo(uri, host.jobs(), await host.tools(uri), next);
    } catch (error) {
      host.log(`zones: ${uri}: ${String(error)}`);
      return undefined;
    }
  };
  const publish = async (document: TextDocument) => {
    const video = await videoFor(document.uri);
    const current = documents.get(document.uri);
    // A newer version is on its way; it publishes its own.
    if (!current || current.version !== document.version) return;
    await connection.sendDiagnostics({ uri: document.uri, diagnostics: zonesDiagnostics(current, video) });
  };
  documents.onDidChangeContent(({ document }) => {
    if (isZones(document)) void publish(document).catch((error: unknown) => host.log(`zones diagnostics: ${String(error)}`));
  });
  documents.onDidClose(({ document }) => {
    if (isZones(document)) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });
  connection.onCompletion(async ({ textDocument, position }) => {
    const document = documents.get(textDocument.uri);
    return isZones(document) ? zonesCompletion(document, position, await videoFor(document.uri)) : [];
  });
  connection.onDocumentSymbol(({ textDocument }) => {
    const document = documents.get(textDocument.uri);
    return isZones(document) ? zonesSymbols(document) : [];
  });
  connection.onDocumentFormatting(({ textDocument }) => {
    const document = documents.get(textDocument.uri);
    return isZones(document) ? zonesFormatting(document) : [];
  });
  connection.onCodeLens(async ({ textDocument }) => {
    const document = documents.get(textDocument.uri);
    return isZones(document) ? zonesCodeLenses(document, await videoFor(document.uri)) : [];
  });
  connection.onCodeAction(({ textDocument, context }) => {
    const document = documents.get(textDocument.uri);
    return isZones(document) ? zonesCodeActions(document, context.diagnostics) : [];
  });
  connection.onRequest(AddZoneForSegment, async ({ jobId, segment }): Promise<AddZoneResult> => {
    const job = host.jobs().find((j) => j.jobId === jobId);
    const known = job?.segments.find((s) => s.index === segment);
    if (!job || !known) throw new ResponseError(ErrorCodes.InvalidParams, `no segment ${segment} in job ${jobId}`);
    const file = `${job.input}.zones`;
    // The open document's own URI when there is one (the client may spell it differently).
    const open = documents.all().find((d) => d.uri.startsWith('file:') && fileURLToPath(d.uri) === file);
    const uri = open?.uri ?? pathToFileURL(file).href;
    // This job's segments in frames, from the same probe the zones checks use.
    const video = await zonesVideo(uri, [job], await host.tools(uri));
    const frames = video?.facts?.segments?.find((s) => s.index === segment);
    if (!frames) throw new ResponseError(ErrorCodes.InternalError, video?.problem ?? `${job.input}: its frames are not known`);
    const line = zoneLineForSegment(frames, { targetVmaf: job.targetVmaf, crf: known.crf });
    const text = open?.getText() ?? (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
    return { uri, ...appendZoneLine(uri, text, line) };
  });
  return {
    hover: async (document: TextDocument, position: Position): Promise<Hover | null> =>
      zonesHover(document, position, await videoFor(document.uri)),
  };
}
