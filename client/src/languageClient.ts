/** Starts the language server as a Node child over IPC (never stdio: ffmpeg output on stdout would corrupt it). */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions, NotificationDef, RequestDef } from '../../common/protocol';

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: InitializationOptions = { storagePath: context.globalStorageUri.fsPath };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'ffconcat' },
      { scheme: 'file', pattern: '**/.vscode/settings.json' },
    ],
    synchronize: {
      configurationSection: 'chunkedAv1',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/.vscode/settings.json'),
    },
    initializationOptions,
    outputChannel: output,
    // The server's own messages carry the file and the cause; no extra "Request failed" popups.
    connectionOptions: { maxRestartCount: 5 },
  };
  return new LanguageClient('chunkedAv1', 'Chunked AV1', serverOptions, clientOptions);
}

export function request<P, R>(client: LanguageClient, def: RequestDef<P, R>, params: P): Promise<R> {
  return client.sendRequest(def.method, params) as Promise<R>;
}

export function onNotification<P>(client: LanguageClient, def: NotificationDef<P>, handler: (params: P) => void): vscode.Disposable {
  return client.onNotification(def.method, handler);
}
