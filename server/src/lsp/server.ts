/**
 * The Chunked AV1 language server. It owns every job (the same pipeline as the CLI, in-process,
 * cancelled through an AbortSignal), streams job and segment state to the editor, publishes the
 * Problems-panel entries and serves the ffconcat language features. Started by the client over
 * Node IPC: nothing here may write to stdout.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createConnection,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseEncodeOptions, type EncodeOptions } from '../../../common/options';
import { errorMessage } from '../errors';
import { runEncodeJob } from '../pipeline';
import { JobRegistry, type RunPipeline } from './jobs';
import { KnownJobs } from './known-jobs';
import { refreshFromManifest } from './manifest-sync';
import { parseSettings, toEncodeOptions } from '../../../common/settings';
import { settingsDiagnostics } from './settings-diagnostics';
import { SETTING_CHECKS } from './setting-checks';
import { checkTools } from './tool-check';
import { concatDocumentLinks, concatHover, missingFileDiagnostics } from './concat-features';
import { JobDiagnostics } from './published-diagnostics';
import {
  CancelJob,
  CheckTools,
  JobState,
  ListJobs,
  NEEDS_CONFIRMATION,
  PresetProblems,
  RemoveJobs,
  ResumeJob,
  RetrySegments,
  SegmentStateChanged,
  StartJob,
  type InitializationOptions,
  type StartJobRefusal,
} from '../../../common/protocol';
import { outputFacts, outputRefusal } from './output-placement';
import { forgetKeptReportData, keptReportDataFile, registerReportRequest } from './report';
import { registerZones, ZONES_CAPABILITIES, ZONES_LANGUAGE } from './zones-server';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let knownJobs: KnownJobs | undefined;
let storagePath: string | undefined;
let workspaceFolders: string[] = [];
let canShowDocument = false;

// The pipeline's log arrives as 'log' events (ffmpeg command lines at debug); the registry sends
// them to the client's "Chunked AV1" log channel.
// A finished job keeps its report's data in our storage, since its work directory is removed.
const run: RunPipeline = (options, ctx) =>
  runEncodeJob(options, { signal: ctx.signal, onEvent: ctx.onEvent, reportDataFile: keptReportDataFile(storagePath, ctx.jobId) });

function logToClient(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
  if (level === 'debug') connection.console.debug(message);
  else if (level === 'warn') connection.console.warn(message);
  else if (level === 'error') connection.console.error(message);
  else connection.console.info(message);
}

const registry = new JobRegistry({
  run,
  onJobState(job) {
    void connection.sendNotification(JobState, job);
    diagnostics.refreshJob(job);
    saveKnownJobs();
  },
  onSegmentState(jobId, segment) {
    void connection.sendNotification(SegmentStateChanged, { jobId, segment });
    const job = registry.get(jobId);
    if (job && (segment.state === 'failed' || segment.state === 'done' || segment.state === 'queued' || segment.warning)) {
      diagnostics.refreshJob(job);
    }
  },
  log: logToClient,
});

const diagnostics = new JobDiagnostics({
  publish: (uri, list) => {
    connection
      .sendDiagnostics({ uri, diagnostics: list })
      .catch((error: unknown) => logToClient('warn', `publishing diagnostics for ${uri} failed: ${String(error)}`));
  },
  extra: (uri) => {
    const document = documents.get(uri);
    return document && document.languageId === 'ffconcat' ? missingFileDiagnostics(document, registry.list()) : [];
  },
});

function saveKnownJobs(): void {
  try {
    knownJobs?.save(registry.entries());
  } catch (error) {
    connection.console.warn(`could not save the job list: ${errorMessage(error)}`);
  }
}

async function readSettings(scopeUri?: string) {
  const raw: unknown = await connection.workspace.getConfiguration({ scopeUri, section: 'chunkedAv1' });
  return parseSettings(raw, SETTING_CHECKS);
}

connection.onInitialize((params: InitializeParams) => {
  const init = params.initializationOptions as InitializationOptions | undefined;
  if (init?.storagePath) {
    storagePath = init.storagePath;
    knownJobs = new KnownJobs(init.storagePath);
  }
  workspaceFolders = (params.workspaceFolders ?? []).map((folder) => fileURLToPath(folder.uri));
  canShowDocument = Boolean(params.capabilities.window?.showDocument?.support);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      documentLinkProvider: { resolveProvider: false },
      ...ZONES_CAPABILITIES,
    },
  };
});

connection.onInitialized(async () => {
  void checkSettings(false);
  const stored = knownJobs?.load() ?? [];
  registry.restore(
    stored.map(({ options, ...snapshot }) => ({
      snapshot,
      options: options ? safeOptions(options) : undefined,
    })),
  );
  await Promise.all(registry.list().map((job) => refreshFromManifest(job)));
  for (const job of registry.list()) {
    diagnostics.refreshJob(job);
    void connection.sendNotification(JobState, job);
  }
  void offerResume();
});

function safeOptions(raw: Record<string, unknown>) {
  try {
    return parseEncodeOptions(raw as never);
  } catch {
    return undefined;
  }
}

async function offerResume(): Promise<void> {
  const unfinished = registry.list().filter((job) => job.status === 'interrupted' && registry.hasOptions(job.jobId));
  if (!unfinished.length) return;
  const names = unfinished.map((job) => path.basename(job.input)).join(', ');
  const choice = await connection.window.showInformationMessage(
    `Chunked AV1: ${unfinished.length} unfinished job(s) (${names}).`,
    { title: 'Resume' },
    { title: 'Not now' },
  );
  if (choice?.title === 'Resume') for (const job of unfinished) registry.retry(job.jobId);
}

/** Validates the settings; squiggles go on `.vscode/settings.json`, a warning offers to open it. */
async function checkSettings(announce: boolean): Promise<void> {
  for (const folder of workspaceFolders) {
    const settingsUri = pathToFileURL(path.join(folder, '.vscode', 'settings.json')).href;
    if (!documents.get(settingsUri)) publishSettingsFile(settingsUri);
  }
  const { problems } = await readSettings();
  if (!problems.length || !announce) return;
  const choice = await connection.window.showWarningMessage(`Chunked AV1: ${problems[0]!.message}`, { title: 'Open Settings' });
  if (choice?.title !== 'Open Settings') return;
  const target = workspaceFolders
    .map((f) => pathToFileURL(path.join(f, '.vscode', 'settings.json')).href)
    .find((uri) => settingsDiagnosticsFor(uri).length);
  if (target && canShowDocument) {
    const first = settingsDiagnosticsFor(target)[0]!;
    await connection.window.showDocument({ uri: target, takeFocus: true, selection: first.range });
  }
}

const settingsDiagnosticsCache = new Map<string, Diagnostic[]>();
function settingsDiagnosticsFor(uri: string): Diagnostic[] {
  return settingsDiagnosticsCache.get(uri) ?? [];
}

function publishSettingsFile(uri: string, document?: TextDocument): void {
  let doc = document;
  if (!doc) {
    const file = fileURLToPath(uri);
    if (!existsSync(file)) {
      // Fire-and-forget like the notifications above: a lost diagnostics message is harmless.
      if (settingsDiagnosticsCache.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
      settingsDiagnosticsCache.delete(uri);
      return;
    }
    doc = TextDocument.create(uri, 'jsonc', 0, readFileSync(file, 'utf8'));
  }
  const list = settingsDiagnostics(doc, { openInEditor: document !== undefined });
  settingsDiagnosticsCache.set(uri, list);
  // Fire-and-forget like the notifications above: a lost diagnostics message is harmless.
  void connection.sendDiagnostics({ uri, diagnostics: list });
}

function isSettingsFile(uri: string): boolean {
  return /\/\.vscode\/settings\.json$/.test(uri);
}

documents.onDidChangeContent(({ document }) => {
  if (isSettingsFile(document.uri)) publishSettingsFile(document.uri, document);
  else if (document.languageId === 'ffconcat') diagnostics.refreshUri(document.uri);
});
documents.onDidClose(({ document }) => {
  if (isSettingsFile(document.uri)) publishSettingsFile(document.uri);
  else diagnostics.refreshUri(document.uri);
});
connection.onDidChangeConfiguration(() => void checkSettings(true));
connection.onDidChangeWatchedFiles(({ changes }) => {
  for (const change of changes) if (isSettingsFile(change.uri) && !documents.get(change.uri)) publishSettingsFile(change.uri);
});

const zones = registerZones(connection, documents, {
  jobs: () => registry.list(),
  tools: async (uri) => {
    const { settings } = await readSettings(uri);
    return { ffmpeg: settings.ffmpegPath || undefined, ffprobe: settings.ffprobePath || undefined };
  },
  // What "Encode to AV1" would run: the settings with their default preset (zones check the minimum segment and the split).
  nextEncode: async (video) => {
    const { settings } = await readSettings(pathToFileURL(video).href);
    const folder = workspaceFolders.find((f) => video.startsWith(f + path.sep));
    try {
      return {
        preset: settings.defaultPreset,
        options: parseEncodeOptions(toEncodeOptions(video, settings.defaultPreset, settings, folder)),
      };
    } catch {
      return undefined;
    }
  },
  log: (message) => logToClient('warn', message),
});

connection.onHover(({ textDocument, position }) => {
  const document = documents.get(textDocument.uri);
  if (document?.languageId === ZONES_LANGUAGE) return zones.hover(document, position);
  return document && document.languageId === 'ffconcat' ? concatHover(document, position, registry.list()) : null;
});
connection.onDocumentLinks(({ textDocument }) => {
  const document = documents.get(textDocument.uri);
  return document && document.languageId === 'ffconcat' ? concatDocumentLinks(document) : [];
});

connection.onRequest(StartJob, async ({ input, preset, overwrite = false, allowOutsideWorkspace = false }) => {
  let options: EncodeOptions;
  let presetName: string;
  try {
    const folder = workspaceFolders.find((f) => input.startsWith(f + path.sep));
    const { settings, problems } = await readSettings(pathToFileURL(input).href);
    presetName = preset ?? settings.defaultPreset;
    const presetProblem = problems.find((p) => p.path[0] === 'chunkedAv1.presets' && p.path[1] === presetName);
    if (presetProblem) throw new Error(presetProblem.message);
    options = parseEncodeOptions({ ...toEncodeOptions(input, presetName, settings, folder), overwrite });
  } catch (error) {
    throw new ResponseError(1, `${input}: ${errorMessage(error)}`);
  }
  // Nothing is written before the user has agreed to where the output goes and what it replaces.
  if (options.output) {
    const refusal = outputRefusal(outputFacts(options.output, input, workspaceFolders), { overwrite, allowOutsideWorkspace });
    if (refusal) throw new ResponseError<StartJobRefusal>(NEEDS_CONFIRMATION, `${input}: ${refusal.reason}: ${refusal.output}`, refusal);
    try {
      // chunkedAv1.outputPath may name a folder that does not exist yet (e.g. ${fileDirname}/av1/...).
      mkdirSync(path.dirname(options.output), { recursive: true });
    } catch (error) {
      throw new ResponseError(1, `${input}: ${errorMessage(error)}`);
    }
  }
  return { jobId: registry.start(options, presetName) };
});
connection.onRequest(CancelJob, ({ jobId }) => {
  registry.cancel(jobId);
});
connection.onRequest(RetrySegments, ({ jobId, segments }) => {
  try {
    registry.retry(jobId, segments);
    return { jobId };
  } catch (error) {
    throw new ResponseError(1, errorMessage(error));
  }
});
connection.onRequest(ResumeJob, ({ jobId }) => {
  try {
    registry.retry(jobId, []);
    return { jobId };
  } catch (error) {
    throw new ResponseError(1, errorMessage(error));
  }
});
connection.onRequest(ListJobs, () => ({ jobs: registry.list() }));
connection.onRequest(PresetProblems, async ({ scopeUri }) => {
  const { problems } = await readSettings(scopeUri);
  const invalid: Record<string, string> = {};
  for (const problem of problems) {
    const [key, name] = problem.path;
    if (key === 'chunkedAv1.presets' && typeof name === 'string' && !(name in invalid)) invalid[name] = problem.message;
  }
  return { invalid };
});
connection.onRequest(CheckTools, async ({ scopeUri }) => checkTools((await readSettings(scopeUri)).settings));
connection.onRequest(RemoveJobs, ({ jobIds }) => {
  for (const jobId of jobIds) {
    const removed = registry.remove(jobId);
    if (removed) {
      diagnostics.forgetJob(removed);
      void forgetKeptReportData(storagePath, jobId);
    }
  }
  saveKnownJobs();
  return { jobs: registry.list() };
});
registerReportRequest(connection, registry, () => storagePath);

// A job in flight must not outlive the server: abort every job when the client shuts us down.
// It is marked interrupted, so the next server offers to resume it.
connection.onShutdown(() => registry.interruptAll());

documents.listen(connection);
connection.listen();
