/** Starts the language server as a Node child over IPC (never stdio: ffmpeg output on stdout would corrupt it). */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { InitializationOptions } from '../../common/protocol';

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
      { scheme: 'file', language: 'chunked-av1-zones' },
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

/*
 * vscode-languageclient 11 carries its own vscode-jsonrpc (10), whose RequestType class is not the
 * one common/protocol.ts builds with (9, beside vscode-languageserver 10); TypeScript sees the two
 * classes as unrelated. These wrappers keep the typing of the shared definitions and send by method name.
 */
export function request<P, R>(client: LanguageClient, type: RequestType<P, R, unknown>, params: P): Promise<R> {
  return client.sendRequest<R>(type.method, params);
}

export function request0<R>(client: LanguageClient, type: RequestType0<R, unknown>): Promise<R> {
  return client.sendRequest<R>(type.method);
}

export function onNotification<P>(client: LanguageClient, type: NotificationType<P>, handler: (params: P) => void): vscode.Disposable {
  return client.onNotification(type.method, handler);
}
